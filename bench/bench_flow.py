"""Issue 2: the scan-to-label path and order lookup on a database of 1,000,000
orders and 1,000,000 shipments."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import sqlite_utils

from bench.bigdb import big_db, order_no, working_copy
from bench.common import Result, p95_ms, time_calls
from printers import open_printer
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.hub.port import HubPort
from station.settings import Settings
from station.store.db import connect
from station.store.orders import find_order

ORDERS = 1_000_000


class HandOff:
    """A runner that notes when label bytes reach it, and sends nothing."""

    def __init__(self) -> None:
        self.at: float | None = None

    def submit(self, fn, done, failed) -> None:
        self.at = time.perf_counter()


def scan_to_label_ms(
    db_path: Path,
    printer_url: str,
    parcels: int,
    hub: Callable[[sqlite_utils.Database], HubPort] | None = None,
    orders: int = ORDERS,
    warmup: int = 0,
) -> list[float]:
    """For each parcel: ms from the scan of its last item to the label bytes' hand-off.

    The stable weight is already on the scale when the last item is scanned. `hub`
    makes the bench's hub port from its database (default: no hub); the first
    `warmup` parcels are packed untimed.
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-flow-"))
    db = connect(working_copy(db_path, folder))
    runner = HandOff()
    port = hub(db) if hub else None
    bench = Bench(db, Settings.load(folder), open_printer(printer_url), runner=runner, hub=port)
    bench.scale_link(ScaleLink.CONNECTED)
    samples = []
    for n in range(orders - parcels, orders):
        bench.reading(Reading(Decimal(0), True, at=time.monotonic()))
        order = find_order(db, order_no(n))
        codes = [line.sku for line in order.lines for _ in range(line.quantity)]
        bench.scan(order.order_no)
        for code in codes[:-1]:
            bench.scan(code)
        weight = bench.session.expected_grams
        bench.reading(Reading(Decimal(weight), True, at=time.monotonic()))
        start = time.perf_counter()
        bench.scan(codes[-1])
        assert runner.at is not None and bench.session is None, bench.message
        if n >= orders - parcels + warmup:
            samples.append((runner.at - start) * 1000)
        runner.at = None
    if port is not None:
        port.close()
    db.close()
    return samples


def run() -> list[Result]:
    path = big_db(ORDERS)
    db = connect(path)
    rng = random.Random(1)
    # What a bench scans: the open orders (the newest 1,000), after the first
    # scans of the day have brought their pages into the cache.
    today = iter([order_no(ORDERS - 1 - rng.randrange(1000)) for _ in range(2200)])
    lookup = time_calls(lambda: find_order(db, next(today)), repeat=2000, warmup=200)
    # Any of the million orders at random: mostly pages no scan has read yet.
    anywhere = iter([order_no(rng.randrange(ORDERS)) for _ in range(2200)])
    scattered = time_calls(lambda: find_order(db, next(anywhere)), repeat=2000, warmup=200)
    db.close()
    folder = Path(tempfile.mkdtemp(prefix="bench-labels-"))
    pdf = scan_to_label_ms(path, f"pdf:{folder}", parcels=200)
    escpos = scan_to_label_ms(path, "escpos+tcp://127.0.0.1:9", parcels=200)
    return [
        Result(2, "order lookup, p95, open orders (1M orders)", p95_ms(lookup), "ms", "< 1 ms"),
        Result(
            2,
            "order lookup, p95, any of 1M orders at random (cold pages)",
            p95_ms(scattered),
            "ms",
            "-",
        ),
        Result(
            2, "last scan to PDF label bytes, p95 (1M shipments)", p95_ms(pdf), "ms", "<= 60 ms"
        ),
        Result(
            2, "last scan to ESC/POS bytes, p95 (1M shipments)", p95_ms(escpos), "ms", "<= 25 ms"
        ),
    ]

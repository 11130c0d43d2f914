"""A bench driven to a chosen point of the packing flow, for tests about what
happens there (overrides, PINs, reprints)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import sqlite_utils

from printers import open_printer
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.settings import Settings
from station.store import orders


def weighed_bench(
    demo_db: sqlite_utils.Database, settings: Settings, labels: Path, off_by_grams: int = 0
) -> Bench:
    """A bench whose first open ZTO demo order has every item scanned and is on the
    scale, `off_by_grams` away from its expected weight (0: it records and prints)."""
    bench = Bench(demo_db, settings, open_printer(f"pdf:{labels}"))
    bench.scale_link(ScaleLink.CONNECTED)
    order_no = demo_db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
        "ORDER BY order_no LIMIT 1"
    ).fetchone()[0]
    bench.scan(order_no)
    for line in orders.find_order(demo_db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    grams = bench.session.expected_grams + off_by_grams
    bench.reading(Reading(Decimal(grams), True, at=bench.clock()))
    return bench

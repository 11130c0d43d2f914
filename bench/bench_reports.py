"""Issue 7: dashboard refresh and courier manifest on a database of 1,000,000
shipments spread over 100 days (about 10,000 on the busiest, latest day)."""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.bigdb import big_db
from bench.common import Result, median_ms, p95_ms, time_calls
from station.core.handover import Manifest
from station.reporting.manifest import write_csv, write_pdf
from station.store.db import connect
from station.store.handover import day_parcels
from station.store.reports import Period, dashboard

ORDERS = 1_000_000  # shared with bench_flow: 999,000 shipped
MANIFEST_PARCELS = 5_000


def latest_day(db) -> Period:
    """The day of the newest shipment: 'today' when the database was built."""
    newest = db.execute("SELECT max(recorded_at) FROM shipments").fetchone()[0]
    return Period.today(datetime.fromisoformat(newest.replace("Z", "+00:00")).astimezone())


def run() -> list[Result]:
    db = connect(big_db(ORDERS))
    today = latest_day(db)
    parcels_today = dashboard(db, today).total.parcels
    day = time_calls(lambda: dashboard(db, today), repeat=30, warmup=3)
    week = Period(today.start - timedelta(days=6), today.end)
    seven = time_calls(lambda: dashboard(db, week), repeat=5, warmup=1)
    started = time.perf_counter()
    parcels = day_parcels(db, "ZTO", Period(today.start - timedelta(days=1), today.end))
    manifest = Manifest("ZTO", "bench", "bench-1", tuple(parcels[:MANIFEST_PARCELS]))
    assert manifest.count == MANIFEST_PARCELS, manifest.count
    folder = Path(tempfile.mkdtemp(prefix="bench-manifest-"))
    write_pdf(manifest, folder / "manifest.pdf")
    pdf_s = time.perf_counter() - started
    started = time.perf_counter()
    write_csv(manifest, folder / "manifest.csv")
    csv_ms = (time.perf_counter() - started) * 1000
    db.close()
    return [
        Result(
            7,
            f"dashboard refresh, today ({parcels_today:,} parcels), p95 (1M shipments)",
            p95_ms(day),
            "ms",
            "< 200 ms",
        ),
        Result(
            7, "dashboard refresh, last 7 days, median (1M shipments)", median_ms(seven), "ms", "-"
        ),
        Result(7, "courier manifest PDF, 5,000 parcels with barcodes", pdf_s, "s", "< 5 s"),
        Result(7, "courier manifest CSV, 5,000 parcels", csv_ms, "ms", "-"),
    ]

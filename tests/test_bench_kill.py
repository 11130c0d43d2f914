"""kill -9 at random moments of the packing flow: nothing recorded is lost, nothing is
recorded twice, no label file is left cut short, and every label not printed is
listed at the next start.

A real bench process packs the demo orders one after the other (real SQLite file,
real PDF printer) and is killed with SIGKILL at random points (mid-scan, mid-record,
mid-print), then started again, until every order it can pack is shipped.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils

from station.store.shipments import unprinted

ROOT = Path(__file__).resolve().parent.parent
KILLS = 8

PACKER = """
import sys
from decimal import Decimal
from pathlib import Path
from printers import open_printer
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.core.session import Phase
from station.settings import Settings
from station.store.db import DB_FILE, connect

folder = Path(sys.argv[1])
db = connect(folder / DB_FILE)
bench = Bench(db, Settings.load(folder), open_printer(f"pdf:{folder / 'labels'}"))
bench.scale_link(ScaleLink.CONNECTED)
first = bench.message.message
print(first.key, first.params.get("count", 0), flush=True)
for _ in range(first.params.get("count", 0)):
    if bench.scan("CMD-REPRINT").message.key != "label_unprinted_next":
        break
for (order_no,) in db.execute(
    "SELECT order_no FROM orders WHERE status = 'open' ORDER BY order_no"
).fetchall():
    bench.reading(Reading(Decimal(0), True, at=bench.clock()))
    bench.scan(order_no)
    session = bench.session
    if session is None:
        continue
    if any(not line.barcodes for line in session.order.lines):
        bench.scan("CMD-CANCEL")  # a product missing from the catalogue cannot be scanned
        continue
    if session.phase is Phase.CONFIRM:
        bench.scan("CMD-CONFIRM")
    for line in session.order.lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    bench.reading(Reading(Decimal(session.expected_grams or 500), True, at=bench.clock()))
    if bench.session is not None:
        bench.scan("CMD-CANCEL")
print("done", flush=True)
"""


def start(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PACKER, str(data_dir)],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count(db: sqlite_utils.Database, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_sigkill_anywhere_in_packing_loses_nothing_and_lists_unprinted_labels(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns()))
    rng = random.Random(seed)
    pause = threading.Event()
    for _ in range(KILLS):
        expected = len(unprinted(demo_db))
        process = start(data_dir)
        listed = process.stdout.readline().split()
        assert listed == (["labels_unprinted", str(expected)] if expected else ["ready", "0"]), (
            f"seed {seed}: {listed or process.stderr.read()}"
        )
        pause.wait(rng.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.communicate()
    expected = len(unprinted(demo_db))
    last = start(data_dir)
    out, err = last.communicate(timeout=100)
    assert last.returncode == 0, err
    assert out.split()[:2] == (["labels_unprinted", str(expected)] if expected else ["ready", "0"])

    assert demo_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    shipped = count(demo_db, "SELECT count(*) FROM shipments WHERE voided_at IS NULL")
    assert shipped >= 20, f"seed {seed}: the packer shipped only {shipped} orders"
    assert (
        count(
            demo_db,
            """SELECT count(*) FROM orders o WHERE (o.status = 'shipped') != EXISTS
             (SELECT 1 FROM shipments s WHERE s.order_no = o.order_no AND s.voided_at IS NULL)""",
        )
        == 0
    ), f"seed {seed}: an order's status and its shipment disagree"
    assert (
        count(
            demo_db,
            "SELECT count(*) FROM shipments s WHERE NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.shipment_id = s.id AND o.event = 'shipment.recorded')",
        )
        == 0
    ), f"seed {seed}: a shipment without its upload row"
    assert (
        count(
            demo_db,
            "SELECT count(*) FROM shipments s WHERE NOT EXISTS "
            "(SELECT 1 FROM scan_events e WHERE e.shipment_id = s.id)",
        )
        == 0
    ), f"seed {seed}: a shipment without its scan events"
    assert count(demo_db, "SELECT count(*) FROM tracking_pool WHERE state = 'used'") == count(
        demo_db, "SELECT count(*) FROM shipments WHERE tracking_source = 'pool'"
    ), f"seed {seed}: a pool number used without a shipment, or the other way round"
    assert count(demo_db, "SELECT count(*) - count(DISTINCT tracking_no) FROM shipments") == 0, (
        f"seed {seed}: a waybill number on two shipments"
    )
    assert unprinted(demo_db) == [], f"seed {seed}: labels left unprinted after the last run"
    labels = data_dir / "labels"
    pdfs = sorted(labels.glob("*.pdf"))
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), pdf.name
    numbers = [r[0] for r in demo_db.execute("SELECT tracking_no FROM shipments")]
    for number in numbers:
        assert any(number in pdf.name for pdf in pdfs), f"seed {seed}: no label for {number}"

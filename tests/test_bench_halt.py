"""Issue 12: a bench whose records might not be kept stops taking parcels, in red.

Its WAL deleted under it (this process lost its locks), the database damaged
(found while packing or by the hourly housekeeping): the open order is dropped
unrecorded, no label is printed, and every later scan gets the same message.
A damaged or cut-short file never hangs `station run --smoke` on a dialog.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils
from multiprocess import fresh_value, wal_identity
from multiprocess import station as run_station
from test_db_check import closed, damage_table
from test_ui_bench import scan, station  # noqa: F401 (the fixture)

from printers import open_printer
from station.bench import Bench
from station.core.messages import Tone
from station.core.reading import Reading, ScaleLink
from station.settings import Settings
from station.store import orders
from station.store.db import DB_FILE, connect
from station.ui.app import Station, watched_housekeeping

TESTS = Path(__file__).resolve().parent


def lose_locks_and_let_another_process_delete_the_wal(data_dir: Path) -> None:
    """Exactly what the old header check did: this process opens and closes the
    database file with Python (dropping all its POSIX locks on it); another
    process then reads and closes, takes itself for the last, and deletes the WAL."""
    with (data_dir / DB_FILE).open("rb") as file:
        file.read(100)
    fresh_value(data_dir, "SELECT count(*) FROM orders")
    assert wal_identity(data_dir) is None


def shipments_seen_by_a_fresh_process(data_dir: Path) -> int:
    return int(fresh_value(data_dir, "SELECT count(*) FROM shipments"))


def open_order(db: sqlite_utils.Database) -> orders.Order:
    order_no = db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
        "ORDER BY order_no LIMIT 1"
    ).fetchone()[0]
    found = orders.find_order(db, order_no)
    assert found is not None
    return found


def scan_items(bench: Bench, order: orders.Order) -> None:
    bench.scan(order.order_no)
    for line in order.lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])


def test_a_bench_whose_wal_was_deleted_stops_before_recording_and_prints_nothing(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    labels = tmp_path / "labels"
    bench = Bench(demo_db, settings, open_printer(f"pdf:{labels}"))
    bench.scale_link(ScaleLink.CONNECTED)
    order = open_order(demo_db)
    scan_items(bench, order)
    assert bench.session is not None
    lose_locks_and_let_another_process_delete_the_wal(data_dir)
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    assert bench.message.tone is Tone.ERROR
    assert bench.message.message.key == "store_journal_lost"
    assert bench.session is None and bench.last is None
    assert not labels.exists() or not any(labels.iterdir())
    assert shipments_seen_by_a_fresh_process(data_dir) == 0
    again = bench.scan(open_order(demo_db).order_no)
    assert again.message.key == "store_journal_lost" and bench.session is None


def test_a_scan_after_the_wal_was_deleted_starts_no_order(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    bench = Bench(demo_db, settings, open_printer(f"pdf:{tmp_path}"))
    lose_locks_and_let_another_process_delete_the_wal(data_dir)
    result = bench.scan(open_order(demo_db).order_no)
    assert (result.tone, result.message.key) == (Tone.ERROR, "store_journal_lost")
    assert bench.session is None


def test_damage_met_while_packing_stops_the_bench(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    order_no = open_order(demo_db).order_no
    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    db = connect(path)
    try:
        bench = Bench(db, settings, open_printer(f"pdf:{tmp_path}"))
        result = bench.scan(order_no)
        assert (result.tone, result.message.key) == (Tone.ERROR, "store_damaged")
        assert bench.scan("CMD-REPRINT").message.key == "store_damaged"
    finally:
        db.close()


def test_housekeeping_finding_damage_stops_the_running_window(
    qtbot,
    station: Station,  # noqa: F811
    data_dir: Path,
    settings: Settings,
) -> None:
    # Damaged by another process: a raw write from this one would drop the
    # window's own locks, the very fault this issue is about.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from test_db_check import damage_table; "
            "damage_table(Path(sys.argv[1]), 'orders')",
            str(data_dir / DB_FILE),
        ],
        cwd=TESTS,
        check=True,
        timeout=60,
    )
    housekeeping = watched_housekeeping(station, data_dir, settings)
    worker = threading.Thread(target=housekeeping.run_once)
    worker.start()
    qtbot.waitUntil(lambda: station.bench.halted is not None, timeout=10000)
    worker.join(timeout=10)
    assert station.bench.halted.message.key == "store_damaged"
    assert "PACKING STOPPED" in station.window.banner.text()
    assert scan(qtbot, station, "WX-B").message.key == "store_damaged"
    assert station.bench.session is None


@pytest.mark.parametrize("damage", ["header", "cut short"])
def test_a_damaged_file_ends_a_smoke_run_with_a_message_not_a_dialog(
    demo_db: sqlite_utils.Database, data_dir: Path, damage: str
) -> None:
    path = closed(demo_db, data_dir)
    if damage == "header":
        with path.open("r+b") as file:
            file.write(b"garbage-garbage!")
    else:
        os.truncate(path, path.stat().st_size // 2)
    done = run_station(data_dir, "run", "--smoke")
    assert done.returncode == 2
    assert "is damaged and was not opened" in done.stderr
    assert "Traceback" not in done.stderr and "ready" not in done.stdout


def test_a_wal_deleted_while_recording_prints_no_label(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    """The WAL goes while the shipment's transaction is open (a trigger runs the loss
    at the insert): the record lands in a deleted file, so no label is printed."""
    labels = tmp_path / "labels"
    bench = Bench(demo_db, settings, open_printer(f"pdf:{labels}"))
    bench.scale_link(ScaleLink.CONNECTED)
    order = open_order(demo_db)
    scan_items(bench, order)
    assert bench.session is not None

    def lose_wal() -> int:
        lose_locks_and_let_another_process_delete_the_wal(data_dir)
        return 0

    demo_db.conn.create_function("lose_wal", 0, lose_wal)
    demo_db.execute(
        "CREATE TEMP TRIGGER lose_wal_at_insert AFTER INSERT ON shipments "
        "BEGIN SELECT lose_wal(); END"
    )
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    assert (bench.message.tone, bench.message.message.key) == (Tone.ERROR, "store_journal_lost")
    assert bench.last is None
    assert not labels.exists() or not any(labels.iterdir())

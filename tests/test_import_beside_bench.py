"""A large import in another process never keeps the bench from recording, and a
kill in the middle of one leaves whole orders that a second run completes.

Real parts: a real `station orders import` subprocess on a generated WeChat Shop
export, and a real Bench recording demo orders on its own connection to the
same database file, with a PDF printer.

The bench waits 10 s for the write lock; a 600,000-order import once held it
longer than that. Here the import is 100,000 orders and the bench waits 3 s,
the same proportion, so that an import written in one transaction (which holds
the lock for the whole write, several seconds) makes recordings fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from bench.bench_import import SHOP_HEADER, write_files
from printers import open_printer
from station.bench import Bench
from station.core.model import OrderStatus
from station.core.reading import Reading, ScaleLink
from station.core.session import Phase
from station.demo import seed
from station.importers.commit import ImportAction, apply_plan, plan_orders
from station.importers.mapping import ORDERS, choose_mapping
from station.importers.orders import parse_orders
from station.importers.table import read_table
from station.settings import Settings
from station.store import orders
from station.store.db import DB_FILE, connect
from station.store.pool import add_numbers

ROOT = Path(__file__).resolve().parent.parent
BENCH_BUSY_TIMEOUT_MS = 3000


class Keys:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def bench_changed(self) -> None:
        pass

    def bench_feedback(self, result) -> None:
        self.keys.append(result.message.key)

    def bench_override_requested(self, kind: str) -> None:
        pass

    def bench_label_printed(self, shipment_id: int, waybill: object, result: object) -> None:
        pass


def start_import(data_dir: Path, file: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station",
            "--data-dir",
            str(data_dir),
            "orders",
            "import",
            str(file),
        ],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


RECORDED = ("recorded", "recorded_pool_low", "recorded_cost_alert")
"""What recording a parcel says (a demo order may be over the shipping-cost limit)."""


def pack(bench: Bench, order_no: str) -> str:
    """Pack one order at the bench; the key of what recording it said (or "skipped"
    for an order that needs a waybill scan)."""
    bench.reading(Reading(Decimal(0), True, at=bench.clock()))
    bench.scan(order_no)
    session = bench.session
    if session is None:
        return "skipped"
    if any(not line.barcodes for line in session.order.lines):
        bench.scan("CMD-CANCEL")  # a product missing from the catalogue cannot be scanned
        return "skipped"
    if session.phase is Phase.CONFIRM:
        bench.scan("CMD-CONFIRM")
    for line in session.order.lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    bench.reading(Reading(Decimal(session.expected_grams or 500), True, at=bench.clock()))
    said = next((k for k in reversed(bench.listener.keys) if k.startswith("record")), "skipped")
    if bench.session is not None:
        bench.scan("CMD-CANCEL")
    return said


@pytest.mark.slow
def test_a_bench_records_beside_a_100k_import_without_a_locked_database(
    db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    demo_db = db
    seed(demo_db, orders=600)  # enough to keep packing for the whole import
    add_numbers(demo_db, "ZTO", (f"7{n:013d}" for n in range(3561234600001, 3561234601000)))
    add_numbers(demo_db, "SF", (f"SF{n:013d}" for n in range(1023574480001, 1023574481000)))
    open_orders = [
        r[0]
        for r in demo_db.execute(
            "SELECT order_no FROM orders WHERE status = 'open' ORDER BY order_no"
        ).fetchall()
    ]
    shop_file, _ = write_files(tmp_path, 100_000)
    own = connect(data_dir / DB_FILE)
    own.execute(f"PRAGMA busy_timeout = {BENCH_BUSY_TIMEOUT_MS}")
    bench = Bench(
        own, Settings.load(data_dir), open_printer(f"pdf:{tmp_path / 'labels'}"), listener=Keys()
    )
    bench.scale_link(ScaleLink.CONNECTED)
    importer = start_import(data_dir, shop_file)
    said: list[str] = []
    pause = threading.Event()
    try:
        while importer.poll() is None and len(said) < len(open_orders):
            said.append(pack(bench, open_orders[len(said)]))
            pause.wait(0.1)
        out, err = importer.communicate(timeout=100)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.communicate()
        own.close()
    assert importer.returncode == 0, err
    assert "imported: 100000" in out
    assert "record_busy" not in said
    assert sum(said.count(k) for k in RECORDED) >= 3
    # The recordings overlapped the import's writes: some were recorded after the first
    # imported order was stored and before the last one was.
    first, last = demo_db.execute(
        "SELECT min(created_at), max(created_at) FROM orders WHERE source LIKE 'file:%'"
    ).fetchone()
    during = demo_db.execute(
        "SELECT count(*) FROM shipments WHERE recorded_at > ? AND recorded_at < ?", [first, last]
    ).fetchone()[0]
    assert during >= 1
    assert demo_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def lines_in(file: Path) -> int:
    return len(file.read_bytes().decode("gb18030").splitlines()) - 1


def orders_without_lines(db: sqlite_utils.Database) -> int:
    return db.execute(
        "SELECT count(*) FROM orders o WHERE NOT EXISTS "
        "(SELECT 1 FROM order_lines l WHERE l.order_no = o.order_no)"
    ).fetchone()[0]


@pytest.mark.slow
def test_a_kill_during_an_import_keeps_whole_orders_and_a_second_run_finishes_it(
    db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    count = 30_000
    shop_file, _ = write_files(tmp_path, count)
    importer = start_import(data_dir, shop_file)
    pause = threading.Event()
    stored = 0
    while importer.poll() is None and stored == 0:
        pause.wait(0.01)
        stored = db.execute("SELECT count(*) FROM orders").fetchone()[0]
    importer.send_signal(signal.SIGKILL)
    importer.communicate()
    assert 0 < stored < count, "the kill did not land in the middle of the import"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert orders_without_lines(db) == 0
    again = start_import(data_dir, shop_file)
    _, err = again.communicate(timeout=100)
    assert again.returncode == 0, err
    assert db.execute("SELECT count(*) FROM orders").fetchone()[0] == count
    assert db.execute("SELECT count(*) FROM order_lines").fetchone()[0] == lines_in(shop_file)
    assert orders_without_lines(db) == 0
    assert orders.find_order(db, "WX0000000000") is not None


@pytest.mark.slow
def test_a_full_disk_stops_an_import_in_plain_words_and_a_second_run_finishes_it(
    small_disk: Path, tmp_path: Path
) -> None:
    count = 20_000  # about 14 MB of database: more than the 4 MiB filesystem holds
    shop_file, _ = write_files(tmp_path, count)
    first = start_import(small_disk, shop_file)
    out, err = first.communicate(timeout=100)
    assert first.returncode == 1, err
    assert "The disk is full" in out and "run the same import again" in out
    assert "Traceback" not in err
    db = connect(small_disk / DB_FILE)
    stored = db.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert 0 < stored < count
    assert orders_without_lines(db) == 0
    db.close()
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = start_import(small_disk, shop_file)
    out, err = again.communicate(timeout=100)
    assert again.returncode == 0, err
    db = connect(small_disk / DB_FILE)
    assert db.execute("SELECT count(*) FROM orders").fetchone()[0] == count
    assert db.execute("SELECT count(*) FROM order_lines").fetchone()[0] == lines_in(shop_file)
    assert orders_without_lines(db) == 0
    db.close()


def test_orders_the_bench_shipped_or_held_after_the_plan_are_left_as_the_bench_left_them(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    shipped_no, held_no = demo_db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
        "AND order_no NOT IN (SELECT order_no FROM order_flags) ORDER BY order_no LIMIT 2"
    ).fetchall()
    file = tmp_path / "shop.csv"
    file.write_text(
        SHOP_HEADER
        + "".join(
            f"{order_no},SKU-NEW,新商品,3,19.90,王五,13900001111,浙江省,杭州市,西湖区,"
            f"文三路 9 号,待发货,2026-11-21 10:00:00\n"
            for order_no in (shipped_no[0], held_no[0], "WX-NEW-1")
        ),
        encoding="utf-8",
    )
    table = read_table(file)
    plan = plan_orders(demo_db, parse_orders(table, choose_mapping(table.headers, ORDERS)), "t")
    assert [p.action for p in plan.orders] == [
        ImportAction.UPDATE,
        ImportAction.UPDATE,
        ImportAction.NEW,
    ]
    shipped_lines = orders.find_order(demo_db, shipped_no[0]).lines

    bench_db = connect(data_dir / DB_FILE)  # the bench, on its own connection, meanwhile
    bench = Bench(
        bench_db,
        Settings.load(data_dir),
        open_printer(f"pdf:{tmp_path / 'labels'}"),
        listener=Keys(),
    )
    bench.scale_link(ScaleLink.CONNECTED)
    assert pack(bench, shipped_no[0]) in RECORDED
    bench.scan(held_no[0])
    assert bench.scan("CMD-HOLD").message.key == "held"
    bench_db.close()

    summary = apply_plan(demo_db, plan)
    assert (summary.imported, summary.updated, summary.unchanged_shipped) == (1, 1, 1)
    shipped = orders.find_order(demo_db, shipped_no[0])
    assert shipped.lines == shipped_lines and shipped.shipped is not None
    held = orders.find_order(demo_db, held_no[0])
    assert held.status is OrderStatus.HOLD
    assert [line.sku for line in held.lines] == ["SKU-NEW"]
    assert [line.quantity for line in orders.find_order(demo_db, "WX-NEW-1").lines] == [3]

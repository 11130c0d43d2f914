"""Storage on a real SQLite file: schema, migrations, lookups, atomic recording, the pool."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from station.core.carriers import carrier
from station.core.model import OrderStatus
from station.core.session import PackingSession
from station.core.weighing import WeightRule
from station.store import orders, pool, shipments
from station.store.db import DatabaseTooNew, connect, schema_version, transaction
from station.store.migrations import STEPS

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_database_is_wal_with_foreign_keys_and_current_schema(db: sqlite_utils.Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(db) == len(STEPS)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO product_barcodes (barcode, sku) VALUES ('1', 'NO-SUCH-SKU')")


def test_newer_schema_is_refused_not_touched(data_dir: Path) -> None:
    path = data_dir / "future.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version={len(STEPS) + 1}")
    raw.close()
    with pytest.raises(DatabaseTooNew, match="newer"):
        connect(path)


def test_reopening_keeps_data_and_runs_no_migration_twice(data_dir: Path) -> None:
    path = data_dir / "s.db"
    first = connect(path)
    from station.demo import seed

    seed(first, orders=3)
    first.close()
    with connect(path) as again:
        assert again.execute("SELECT count(*) FROM orders").fetchone()[0] == 3


def test_order_found_by_number_or_pick_code_ignoring_case(demo_db: sqlite_utils.Database) -> None:
    order = orders.find_order(demo_db, "wx20261121000002")
    assert order is not None and order.order_no == "WX20261121000002"
    by_pick = orders.find_order(demo_db, "PL00002")
    assert by_pick is not None and by_pick.order_no == "WX20261121000002"
    assert orders.find_order(demo_db, "WX-NOPE") is None
    line = order.lines[0]
    assert line.barcodes and line.unit_weight_g is not None and line.category


def test_product_found_by_any_barcode(demo_db: sqlite_utils.Database) -> None:
    product = orders.find_product(demo_db, "CUP-350")
    assert product is not None
    assert orders.find_product(demo_db, product.barcodes[0]).sku == "CUP-350"


def _ready_session(
    db: sqlite_utils.Database, order_no: str, tracking: str | None
) -> PackingSession:
    order = orders.find_order(db, order_no)
    assert order is not None
    session = PackingSession(order, WeightRule(), NOW)
    for line in order.lines:
        for _ in range(line.quantity):
            session.scan_item(line.sku, NOW, True)
    session.weigh(session.expected_grams or 500, NOW)
    session.assign_carrier(carrier("ZTO"))
    if tracking:
        assert session.scan_tracking(tracking, NOW) is None
    return session


def test_record_writes_shipment_events_outbox_and_order_status_together(
    demo_db: sqlite_utils.Database,
) -> None:
    session = _ready_session(demo_db, "WX20261121000001", None)
    recorded = shipments.record_shipment(demo_db, session, "packer", "bench-1", from_pool=True)
    row = shipments.shipment_row(demo_db, recorded.shipment_id)
    assert row["tracking_source"] == "pool" and row["label_status"] == "pending"
    assert row["weight_g"] == recorded.weight_g > 0
    outbox = list(demo_db.query("SELECT * FROM outbox"))
    assert len(outbox) == 1 and outbox[0]["state"] == "queued"
    assert recorded.tracking_no in outbox[0]["payload"]
    assert "****" in outbox[0]["payload"]
    events = demo_db.execute(
        "SELECT count(*) FROM scan_events WHERE shipment_id = ?", [recorded.shipment_id]
    ).fetchone()[0]
    assert events == len(session.events)
    assert orders.find_order(demo_db, "WX20261121000001").status is OrderStatus.SHIPPED
    used = demo_db.execute(
        "SELECT state, shipment_id FROM tracking_pool WHERE tracking_no = ?", [recorded.tracking_no]
    ).fetchone()
    assert used == ("used", recorded.shipment_id)


def test_a_second_live_shipment_for_an_order_is_refused(demo_db: sqlite_utils.Database) -> None:
    first = _ready_session(demo_db, "WX20261121000001", "73561234599991")
    second = _ready_session(demo_db, "WX20261121000001", "73561234599992")
    shipments.record_shipment(demo_db, first, "a", "bench-1")
    with pytest.raises(shipments.AlreadyShipped):
        shipments.record_shipment(demo_db, second, "b", "bench-2")
    assert demo_db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1


def test_failed_record_leaves_nothing_and_returns_the_pool_number(
    demo_db: sqlite_utils.Database,
) -> None:
    session = _ready_session(demo_db, "WX20261121000001", None)
    free = pool.free_count(demo_db, "ZTO")
    demo_db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        shipments.record_shipment(demo_db, session, "packer", "bench-1", from_pool=True)
    assert pool.free_count(demo_db, "ZTO") == free
    assert demo_db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 0
    assert demo_db.execute("SELECT count(*) FROM scan_events").fetchone()[0] == 0
    assert orders.find_order(demo_db, "WX20261121000001").status is OrderStatus.OPEN


@pytest.mark.parametrize("voided", [False, True])
def test_the_pool_never_hands_out_a_number_a_shipment_carries(
    demo_db: sqlite_utils.Database, voided: bool
) -> None:
    """A database put back from a backup (or a lost write) can say 'free' for a number
    already printed on a parcel: the shipments table wins over the pool's state."""
    first = shipments.record_shipment(
        demo_db, _ready_session(demo_db, "WX20261121000001", None), "a", "bench-1", from_pool=True
    )
    if voided:
        demo_db.execute(
            "UPDATE shipments SET voided_at = '2026-11-21T10:00:00.000Z' WHERE id = ?",
            [first.shipment_id],
        )
    free_before = pool.free_count(demo_db, "ZTO")
    demo_db.execute(
        "UPDATE tracking_pool SET state = 'free', used_at = NULL, shipment_id = NULL "
        "WHERE tracking_no = ?",
        [first.tracking_no],
    )
    assert pool.free_count(demo_db, "ZTO") == free_before
    assert pool.free_counts(demo_db)["ZTO"] == free_before
    second = shipments.record_shipment(
        demo_db, _ready_session(demo_db, "WX20261121000002", None), "b", "bench-1", from_pool=True
    )
    assert second.tracking_no != first.tracking_no
    with transaction(demo_db):
        assert pool.claim_number(demo_db, "ZTO") not in (first.tracking_no, second.tracking_no)


def test_pool_hands_out_each_number_once_under_concurrency(data_dir: Path) -> None:
    path = data_dir / "pool.db"
    with connect(path) as setup:
        pool.add_numbers(setup, "ZTO", (f"7{n:013d}" for n in range(200)))
        claimed: list[str] = []
        lock = threading.Lock()

        def worker() -> None:
            db = connect(path)
            for _ in range(40):
                with transaction(db):
                    number = pool.claim_number(db, "ZTO")
                with lock:
                    claimed.append(number)
            db.close()

        threads = [threading.Thread(target=worker) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(claimed) == 200 and len(set(claimed)) == 200
        assert pool.free_count(setup, "ZTO") == 0


KILLED_WRITER = """
import os, sys
from station.store.db import connect, transaction
from station.store import pool
db = connect(sys.argv[1])
with transaction(db):
    number = pool.claim_number(db, "ZTO")
    print(number, flush=True)
    os._exit(9)
"""


def test_a_writer_killed_mid_transaction_loses_no_pool_number(data_dir: Path) -> None:
    path = data_dir / "crash.db"
    with connect(path) as db:
        pool.add_numbers(db, "ZTO", ["73561234500001", "73561234500002"])
        out = subprocess.run(
            [sys.executable, "-c", KILLED_WRITER, str(path)], capture_output=True, text=True
        )
        assert out.returncode == 9 and out.stdout.strip() == "73561234500001"
        assert pool.free_count(db, "ZTO") == 2
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reimport_never_touches_a_shipped_order(demo_db: sqlite_utils.Database) -> None:
    session = _ready_session(demo_db, "WX20261121000001", "73561234599991")
    shipments.record_shipment(demo_db, session, "a", "bench-1")
    before = orders.find_order(demo_db, "WX20261121000001")
    changed = orders.save_order(
        demo_db, "WX20261121000001", replace(before.recipient, name="李四"), []
    )
    assert changed is False
    assert orders.find_order(demo_db, "WX20261121000001").lines == before.lines
    assert orders.find_order(demo_db, "WX20261121000001").recipient.name == before.recipient.name

"""Disk full or database locked at the bench: a plain message, no label, and a
bench that records the parcel by itself once the cause is gone.

Real parts: the demo database on a real 4 MiB filesystem (tmpfs) filled up by a
ballast file, a real write transaction of a second connection holding the lock,
and the real PDF printer writing into the same small filesystem.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.bench import RECORD_RETRY_S, Bench
from station.core.reading import Reading, ScaleLink
from station.core.session import Phase
from station.demo import seed
from station.settings import Settings
from station.store import orders, pool
from station.store.db import DB_FILE, connect


class Recorder:
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


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def labels(small_disk: Path) -> Path:
    return small_disk / "labels"


@pytest.fixture
def bench(small_disk: Path, labels: Path) -> Iterator[Bench]:
    db = connect(small_disk / DB_FILE)
    seed(db, orders=60)
    bench = Bench(
        db,
        Settings.load(small_disk),
        open_printer(f"pdf:{labels}"),
        listener=Recorder(),
        clock=Clock(),
    )
    bench.scale_link(ScaleLink.CONNECTED)
    yield bench
    db.close()


def put(bench: Bench, grams: int) -> None:
    bench.reading(Reading(Decimal(grams), True, at=bench.clock()))


def weigh_an_order(bench: Bench) -> tuple[str, int]:
    """Open the first open order routing sends ZTO (the pool these tests count), scan
    its items; returns it and its good weight."""
    for (order_no,) in bench.db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
        "ORDER BY order_no"
    ).fetchall():
        bench.scan(order_no)
        if bench.session is not None and bench.routed and bench.routed.carrier == "ZTO":
            break
        bench.scan("CMD-CANCEL")
    for line in orders.find_order(bench.db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    assert bench.session is not None and bench.session.phase is Phase.WEIGH
    return order_no, bench.session.expected_grams


def recorded_and_printed(keys: list[str]) -> bool:
    """The last two messages: recorded (a demo order may cost over the shipping-cost
    limit: recorded with the alert), then printed."""
    return keys[-2] in ("recorded", "recorded_cost_alert") and keys[-1] == "printed"


def shipments(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM shipments").fetchone()[0]


def fill_the_disk(bench: Bench) -> Path:
    """Fill the filesystem with a ballast file, after the WAL was emptied: the next
    write to the database must grow the WAL and fails. Delete the ballast to free it."""
    bench.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ballast = Path(bench.db.conn.execute("PRAGMA database_list").fetchone()[2]).with_name("ballast")
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return ballast


def test_a_full_disk_at_recording_is_plain_words_no_label_and_records_by_itself_later(
    bench: Bench, labels: Path
) -> None:
    order_no, grams = weigh_an_order(bench)
    free = pool.free_count(bench.db, "ZTO")
    ballast = fill_the_disk(bench)
    put(bench, grams)
    assert bench.listener.keys[-1] == "record_disk_full"
    assert bench.message.message.params == {"order_no": order_no}
    assert "disk is full" in bench.message.message.english()
    assert bench.session is not None and bench.session.phase is Phase.TRACKING
    assert bench.session.tracking_no == ""
    assert shipments(bench.db) == 0 and pool.free_count(bench.db, "ZTO") == free
    assert not labels.exists() or not list(labels.iterdir())
    told = len(bench.listener.keys)
    put(bench, grams)  # not due yet: nothing tried, nothing said
    bench.clock.now += RECORD_RETRY_S
    put(bench, grams)  # due, the disk is still full: tried, the same message is not repeated
    assert len(bench.listener.keys) == told and shipments(bench.db) == 0
    ballast.unlink()
    put(bench, grams)  # not due again yet
    assert shipments(bench.db) == 0
    bench.clock.now += RECORD_RETRY_S
    put(bench, grams)
    assert recorded_and_printed(bench.listener.keys)
    assert bench.session is None
    row = next(bench.db.query("SELECT * FROM shipments"))
    assert row["order_no"] == order_no and row["label_status"] == "printed"
    assert pool.free_count(bench.db, "ZTO") == free - 1
    failures = bench.db.execute(
        "SELECT count(*) FROM scan_events WHERE kind = 'record' AND result = 'failed'"
    ).fetchone()[0]
    assert failures == 1
    assert len(list(labels.glob("*.pdf"))) == 1


def test_reweigh_after_a_full_disk_records_at_the_next_fresh_weight(bench: Bench) -> None:
    _, grams = weigh_an_order(bench)
    ballast = fill_the_disk(bench)
    put(bench, grams)
    assert bench.listener.keys[-1] == "record_disk_full"
    ballast.unlink()
    assert bench.scan("CMD-REWEIGH").message.key == "weight_reweigh"
    put(bench, grams)  # the same reading: not fresh
    assert shipments(bench.db) == 0
    put(bench, 0)
    put(bench, grams + 3)
    assert recorded_and_printed(bench.listener.keys)
    assert next(bench.db.query("SELECT weight_g FROM shipments"))["weight_g"] == grams + 3


def test_cancel_works_on_a_full_disk(bench: Bench) -> None:
    weigh_an_order(bench)
    fill_the_disk(bench)
    put(bench, bench.session.expected_grams)
    assert bench.scan("CMD-CANCEL").message.key == "cancelled"
    assert bench.session is None


def test_a_scanned_waybill_is_kept_for_the_next_try(bench: Bench) -> None:
    bench.db.execute("UPDATE tracking_pool SET state = 'used' WHERE carrier = 'ZTO'")
    order_no, grams = weigh_an_order(bench)
    put(bench, grams)
    assert bench.listener.keys[-1] == "tracking_needed"
    ballast = fill_the_disk(bench)
    assert bench.scan("73569999900011").message.key == "record_disk_full"
    assert bench.session.phase is Phase.TRACKING
    ballast.unlink()
    bench.clock.now += RECORD_RETRY_S
    put(bench, grams)
    assert recorded_and_printed(bench.listener.keys)
    row = next(bench.db.query("SELECT order_no, tracking_no, tracking_source FROM shipments"))
    assert row == {
        "order_no": order_no,
        "tracking_no": "73569999900011",
        "tracking_source": "scanned",
    }


def test_a_database_locked_past_the_busy_timeout_is_plain_words_and_heals(
    bench: Bench, small_disk: Path
) -> None:
    order_no, grams = weigh_an_order(bench)
    bench.db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(small_disk / DB_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        put(bench, grams)
        assert bench.listener.keys[-1] == "record_busy"
        assert "busy" in bench.message.message.english()
        assert bench.session.phase is Phase.TRACKING
    finally:
        other.execute("ROLLBACK")
        other.close()
    bench.clock.now += RECORD_RETRY_S
    put(bench, grams)
    assert recorded_and_printed(bench.listener.keys)
    assert next(bench.db.query("SELECT order_no FROM shipments"))["order_no"] == order_no

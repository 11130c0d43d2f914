"""Disk full and read-only: a plain StorageError, and nothing half-written."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from station.core.model import Contact
from station.store.db import DB_FILE, connect, transaction
from station.store.errors import StorageError, storage_error, storage_errors
from station.store.integrity import check_file, open_checked
from station.store.orders import NewLine, save_order
from tests.conftest import mounted_small_disk


def orders(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM orders").fetchone()[0]


def fill_with_orders(db: sqlite_utils.Database, count: int) -> None:
    """One transaction of many orders with long notes: all of them or none."""
    with storage_errors(), transaction(db):
        for i in range(count):
            save_order(
                db,
                f"BULK-{i:06d}",
                Contact("王伟", "13812345678", "浙江省杭州市西湖区文三路 90 号"),
                [NewLine("CUP-350", "保温杯", 1)],
                buyer_note=uuid.uuid4().hex * 40,
            )


def test_a_full_database_raises_storage_error_and_keeps_nothing(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    before = orders(demo_db)
    pages = demo_db.execute("PRAGMA page_count").fetchone()[0]
    demo_db.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(StorageError) as caught:
        fill_with_orders(demo_db, 500)
    assert caught.value.message == "The disk is full: nothing was saved."
    assert "Free some space" in caught.value.advice
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    assert orders(demo_db) == before
    demo_db.execute(f"PRAGMA max_page_count = {pages * 100}")
    fill_with_orders(demo_db, 3)
    assert orders(demo_db) == before + 3
    demo_db.close()
    assert check_file(data_dir / DB_FILE).ok


def test_a_read_only_database_raises_storage_error(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader = sqlite_utils.Database(
        sqlite3.connect(f"{(data_dir / DB_FILE).as_uri()}?mode=ro", uri=True, isolation_level=None)
    )
    with pytest.raises(StorageError, match="cannot be written"):
        fill_with_orders(reader, 1)
    reader.close()


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        (OSError(errno.EROFS, "Read-only file system"), "cannot be written"),
        (OSError(errno.EIO, "Input/output error"), "reported an error"),
    ],
)
def test_os_errors_the_disk_causes_are_plain_words(exc: OSError, words: str) -> None:
    mapped = storage_error(exc)
    assert mapped is not None and words in mapped.message


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOENT, "No such file"),
        sqlite3.IntegrityError("UNIQUE constraint failed"),
        ValueError("bug"),
    ],
)
def test_other_errors_are_left_alone(exc: Exception) -> None:
    assert storage_error(exc) is None
    with pytest.raises(type(exc)), storage_errors():
        raise exc


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB filesystem (tmpfs)."""
    with mounted_small_disk(tmp_path, "1m") as mount:
        yield mount


def test_a_really_full_disk_keeps_the_database_whole(small_disk: Path) -> None:
    db = connect(small_disk / DB_FILE)
    fill_with_orders(db, 2)
    with pytest.raises(StorageError, match="disk is full"):
        fill_with_orders(db, 2000)
    assert orders(db) == 2
    db.close()
    reopened = open_checked(small_disk / DB_FILE)
    assert orders(reopened) == 2
    reopened.close()
    assert check_file(small_disk / DB_FILE).ok


def test_a_read_only_filesystem_is_a_plain_error(small_disk: Path) -> None:
    db = connect(small_disk / DB_FILE)
    fill_with_orders(db, 1)
    db.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StorageError, match="cannot be written"):
        db = open_checked(small_disk / DB_FILE)
        fill_with_orders(db, 1)

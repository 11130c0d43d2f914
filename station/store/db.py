"""Opening the station database: WAL, foreign keys, durability, schema migrations.

The schema version lives in `PRAGMA user_version`. Each migration is a step in
`station.store.migrations.STEPS`; opening a database applies the missing ones
in one transaction each, handing them the data folder's key (the steps import no
live code). A database written by a newer station (a version
beyond the last step) is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from station.store.crypto import KeyUnavailable, cipher_for
from station.store.migrations import STEPS, FolderKeys

DB_FILE = "station.db"


class DatabaseTooNew(RuntimeError):
    pass


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (and create or upgrade) the database at `path`.

    Autocommit mode: every write goes through `transaction()`, which takes the
    write lock up front (BEGIN IMMEDIATE) so two writers never deadlock.
    `synchronous=FULL` because benches lose power: a recorded shipment must
    survive it, or the same order could be shipped twice.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        # 64 MiB of pages: the order and shipment indexes of a million-order bench
        # stay in memory once read, whatever the OS's own file cache keeps.
        conn.execute("PRAGMA cache_size=-65536")
        db = sqlite_utils.Database(conn)
        migrate(db, folder_keys(db))
    except BaseException:
        conn.close()  # a file that is not a database, or too new: nothing left open
        raise
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


class _FolderKeys:
    """The data folder's key as station.store.crypto keeps it, asked for only by the
    steps that need it (a key is made for a database that has none when first asked)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def key(self) -> bytes:
        return cipher_for(self._db).key

    def key_if_found(self) -> bytes | None:
        try:
            return self.key()
        except KeyUnavailable:
            return None


def folder_keys(db: sqlite_utils.Database) -> FolderKeys:
    """What the migration steps are handed to reach the data folder's key."""
    return _FolderKeys(db)


def migrate(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    current = schema_version(db)
    if current > len(STEPS):
        raise DatabaseTooNew(
            f"This database has schema version {current}, newer than this station "
            f"understands ({len(STEPS)}). Install the newer Packing Station."
        )
    for version, step in enumerate(STEPS[current:], start=current + 1):
        with transaction(db):
            step(db, keys)
            db.execute(f"PRAGMA user_version={version}")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One all-or-nothing write. Nested use is an error, not a silent join."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        # SQLite has already rolled back by itself after some errors (disk full).
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def now_utc() -> str:
    """Timestamps are stored as UTC ISO 8601 with milliseconds, so text order is time order."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

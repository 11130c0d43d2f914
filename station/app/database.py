"""The station's database file as the window uses it: where it is in a data folder,
opened after a check when the bench starts, marked closed normally when it stops,
and a connection of its own for a worker thread or a status light, closed after
its step.

What can stop the bench from opening it (`CANNOT_OPEN`) is named here so the window
says why without knowing the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import partial
from pathlib import Path

import sqlite_utils

from station.store.crypto import KeyUnavailable
from station.store.db import DB_FILE, connect
from station.store.errors import DatabaseDamaged, StorageError
from station.store.integrity import mark_clean_shutdown, open_checked

__all__ = [
    "CANNOT_OPEN",
    "DatabaseDamaged",
    "OpenDb",
    "close_cleanly",
    "database_file",
    "database_path",
    "open_at_start",
    "open_connection",
    "opener_for",
    "own_connection",
]

OpenDb = Callable[[], AbstractContextManager[sqlite_utils.Database]]
"""How a step gets its database: a context manager that closes what it opened."""

CANNOT_OPEN: tuple[type[Exception], ...] = (DatabaseDamaged, StorageError, KeyUnavailable)
"""Why the bench cannot open its database: damaged (`DatabaseDamaged`, with the
newest backup), not writable (`StorageError`), or its key is missing
(`KeyUnavailable`)."""


def database_path(data_dir: Path) -> Path:
    """The database file of a data folder."""
    return Path(data_dir) / DB_FILE


def open_at_start(data_dir: Path) -> sqlite_utils.Database:
    """The data folder's database, checked first (fully after a crash); raises one
    of `CANNOT_OPEN` when it cannot be used."""
    return open_checked(database_path(data_dir))


def close_cleanly(data_dir: Path) -> None:
    """The bench closed its database normally: its next start may skip the full check."""
    mark_clean_shutdown(database_path(data_dir))


def open_connection(path: Path) -> sqlite_utils.Database:
    """A connection to the database file of its own, for a window that keeps one
    while it is open; the caller closes it."""
    return connect(path)


@contextmanager
def own_connection(path: Path) -> Iterator[sqlite_utils.Database]:
    """A connection to the database file of its own, closed however the block ends."""
    db = connect(path)
    try:
        yield db
    finally:
        db.close()


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file of the connection's main database; None for one in memory."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def opener_for(db: sqlite_utils.Database) -> OpenDb:
    """A connection of its own to `db`'s file for each step (another thread may use
    it); `db` itself when it has no file, as a database in memory exists only on
    its one connection (its steps then run on `db`'s thread)."""
    path = database_file(db)
    if path is None:
        return lambda: nullcontext(db)
    return partial(own_connection, path)

"""Noticing that a connection's WAL is no longer the file on disk.

While any connection is open, SQLite never deletes the WAL; it is only deleted
by a process that believes itself the last connection, which happens when this
process lost its locks (a descriptor of the file closed behind SQLite's back) or
someone removed the file. The connection then keeps writing into a deleted file,
and those writes are gone at the next start. `os.stat` opens nothing, so asking
never disturbs the locks it guards.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils


def database_path(db: sqlite_utils.Database) -> Path | None:
    """The file of the connection's main database; None for one in memory."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


class WalWatch:
    """The WAL beside a connection's database, as it was when first seen."""

    def __init__(self, db: sqlite_utils.Database):
        main = database_path(db)
        self.wal = None if main is None else main.with_name(main.name + "-wal")
        self._seen = None if self.wal is None else _identity(self.wal)

    def lost(self) -> bool:
        """True when the WAL first seen was deleted or replaced since."""
        if self.wal is None:
            return False
        now = _identity(self.wal)
        if self._seen is None:
            self._seen = now  # no WAL yet when the watch began: the first one counts
            return False
        return now != self._seen

"""Storage errors the environment causes, in plain words with what to do.

A full disk, a read-only folder, a database another process kept busy past the
busy timeout or a damaged database file is not a bug: the packer is told what
happened and what to do, and nothing half-written is left behind (every write is
one transaction).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

# Primary SQLite result codes (https://www.sqlite.org/rescode.html); extended codes
# such as SQLITE_READONLY_DBMOVED keep the primary code in their low byte.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14


class StorageProblem(StrEnum):
    """What kept a write out of the database; each has its own words at the bench."""

    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    WRITE_FAILED = "write_failed"
    BUSY = "busy"


class StorageError(RuntimeError):
    """The disk refused a write. `message` says what happened, `advice` what to do."""

    def __init__(self, message: str, advice: str, problem: StorageProblem):
        super().__init__(f"{message} {advice}")
        self.message = message
        self.advice = advice
        self.problem = problem


class DatabaseDamaged(RuntimeError):
    """The database file failed its check; it is left untouched.

    `latest_backup` is the newest backup to offer instead, or None.
    """

    def __init__(self, message: str, latest_backup: Path | None):
        super().__init__(message)
        self.message = message
        self.latest_backup = latest_backup


DISK_FULL = StorageError(
    "The disk is full: nothing was saved.",
    "Free some space (empty the recycle bin, delete old files) and try again.",
    StorageProblem.DISK_FULL,
)
READ_ONLY = StorageError(
    "The data folder cannot be written to: nothing was saved.",
    "Check that the disk is not write-protected and that this user may write to the "
    "data folder, then start the station again.",
    StorageProblem.READ_ONLY,
)
WRITE_FAILED = StorageError(
    "The disk reported an error while saving: nothing was saved.",
    "Check the disk or USB drive is connected and healthy, then try again.",
    StorageProblem.WRITE_FAILED,
)
BUSY = StorageError(
    "Another program kept the database busy: nothing was saved.",
    "Try again in a moment. If it keeps happening, stop other station commands "
    "working on this data folder.",
    StorageProblem.BUSY,
)

_SQLITE_CODES = {
    SQLITE_FULL: DISK_FULL,
    SQLITE_READONLY: READ_ONLY,
    SQLITE_CANTOPEN: READ_ONLY,
    SQLITE_IOERR: WRITE_FAILED,
    SQLITE_BUSY: BUSY,
    SQLITE_LOCKED: BUSY,
}
_ERRNOS = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.EIO: WRITE_FAILED,
}


def storage_error(exc: BaseException) -> StorageError | None:
    """The plain-words StorageError for an exception the disk caused, else None.

    The exception's context is searched too: on SQLITE_FULL, SQLite rolls the
    transaction back itself, so the ROLLBACK that follows fails ("no transaction
    is active") and the disk-full error is only that failure's context.
    """
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        mapped = _direct(link)
        if mapped is not None:
            return mapped
        link = link.__cause__ or link.__context__
    return None


def _direct(exc: BaseException) -> StorageError | None:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            known = _SQLITE_CODES.get(code & 0xFF)
            return None if known is None else _copy(known)
        if "readonly" in str(exc) or "read-only" in str(exc):
            return _copy(READ_ONLY)
        return None
    if isinstance(exc, OSError):
        known = _ERRNOS.get(exc.errno or 0)
        return None if known is None else _copy(known)
    return None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn disk-full, read-only and I/O errors raised inside into StorageError."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        mapped = storage_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


def _copy(template: StorageError) -> StorageError:
    """A fresh exception each time, so tracebacks never chain onto a shared instance."""
    return StorageError(template.message, template.advice, template.problem)

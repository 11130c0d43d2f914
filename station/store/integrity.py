"""Checking the database file: is it ours, whole, and consistent?

`check_file` opens the file read-only, so checking a damaged database never
writes to it. `open_checked` is how the app opens the database on start: a quick
check first, and a damaged file is refused (with the newest backup to offer)
instead of being migrated or written to.

Everything here reads the file through SQLite, never with Python's own file I/O:
these checks run in processes that hold connections to the same file (the
hourly housekeeping beside the bench), and closing any other descriptor of it
drops all of the process's POSIX locks, SQLite's included. Another process then
takes itself for the last connection and deletes the WAL that still holds the
bench's writes. `os.stat` opens nothing and stays safe.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from station.store.crypto import KeyUnavailable, cipher_for
from station.store.db import connect
from station.store.errors import DatabaseDamaged, storage_errors
from station.store.migrations import STEPS

REQUIRED_TABLES = frozenset({"orders", "order_lines", "shipments", "outbox"})
_MAX_LISTED = 10
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


@dataclass(frozen=True)
class Verdict:
    """The result of a check. `damaged`: the file's contents are broken;
    `problems` also lists what is not damage (not ours, too new)."""

    path: Path
    problems: tuple[str, ...]
    damaged: bool
    schema_version: int | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"{self.path}: OK (schema version {self.schema_version} of {len(STEPS)}, "
                "integrity and foreign keys checked)"
            )
        return f"{self.path}: " + "; ".join(self.problems)


def open_raw(path: Path, readonly: bool) -> sqlite3.Connection:
    """An existing database file, never created and never migrated."""
    mode = "ro" if readonly else "rw"
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True)


def check_file(path: Path, full: bool = True) -> Verdict:
    """Check a database file without writing to it.

    `full` runs integrity_check and foreign_key_check (seconds on a large file);
    otherwise quick_check only, which is what runs on every start.
    """
    path = Path(path)
    refused = _open_verdict(path)
    if refused is not None:
        return refused
    try:
        conn = open_raw(path, readonly=True)
        try:
            return _check_open(path, conn, full)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _unreadable(path, exc)


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> Verdict:
    # Only what SQLite calls malformed is damage: a read-only or failing disk is the
    # environment, and a busy file is just busy (a false "damaged" stops the bench).
    damaged = is_damage(exc)
    return Verdict(path, (f"cannot be read ({exc})",), damaged=damaged, schema_version=None)


def quick_open_check(path: Path) -> Verdict:
    """What opening the file finds, as a Verdict: the cheap check of the header and
    the schema (no page beyond them is read)."""
    return _open_verdict(Path(path)) or Verdict(path, (), damaged=False, schema_version=None)


def _open_verdict(path: Path) -> Verdict | None:
    """What opening the file finds (no file, not a database, a header or schema that
    cannot be read, a file cut short), or None when it opens. Cheap: page 1 and the
    schema only, whatever the size of the file."""
    if not path.is_file():
        return Verdict(path, ("no such file",), damaged=True, schema_version=None)
    try:
        _peek(path)
    except NotADatabase:
        problem = "not a SQLite database (wrong or empty file)"
        return Verdict(path, (problem,), damaged=True, schema_version=None)
    except sqlite3.DatabaseError as exc:
        return _unreadable(path, exc)
    return None


def is_damage(exc: BaseException) -> bool:
    """SQLite found the file's contents broken (malformed, or no database at all);
    not a busy, full or failing disk."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.DatabaseError) or code is None:
        return False
    return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


class NotADatabase(Exception):
    """SQLite does not take the file for a database (wrong header, empty, not SQLite)."""


def _peek(path: Path) -> int:
    """The schema version (`PRAGMA user_version`, the WAL's pages included), read
    through a read-only SQLite connection after the header and the schema.

    Raises NotADatabase for a file SQLite does not take for a database, and
    sqlite3.DatabaseError when it cannot be read (a file cut short is reported
    as malformed here: its header counts more pages than it has).
    """
    conn = open_raw(path, readonly=True)
    try:
        try:
            if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
                raise NotADatabase(path)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == _SQLITE_NOTADB:
                raise NotADatabase(path) from exc
            raise
        return version
    finally:
        conn.close()


def _check_open(path: Path, conn: sqlite3.Connection, full: bool) -> Verdict:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    damage = [
        f"damaged: {message}"
        for (message,) in conn.execute(
            f"PRAGMA {'integrity_check' if full else 'quick_check'}({_MAX_LISTED})"
        )
        if message != "ok"
    ]
    if full:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            damage.append(
                f"{len(broken)} rows refer to missing rows (first: {table} row {rowid} -> {parent})"
            )
    other = []
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if version == 0 or not tables >= REQUIRED_TABLES:
        other.append("not a Packing Station database")
    elif version > len(STEPS):
        other.append(
            f"written by a newer Packing Station (schema version {version}, "
            f"this one knows up to {len(STEPS)})"
        )
    return Verdict(path, tuple(damage + other), damaged=bool(damage), schema_version=version)


CLEAN_MARK = "clean-shutdown"
"""Written beside the database when the station closed it normally."""


def mark_clean_shutdown(path: Path) -> None:
    """The station closed the database normally: the next start may skip the scan."""
    (Path(path).parent / CLEAN_MARK).write_text("closed normally\n", encoding="utf-8")


def forget_clean_shutdown(path: Path) -> bool:
    """Remove the clean-shutdown mark; True if there was one and it is gone.

    A mark that cannot be removed (read-only disk) counts as no mark: the file
    then gets the full check, the careful side.
    """
    mark = Path(path).parent / CLEAN_MARK
    if not mark.exists():
        return False
    try:
        mark.unlink()
    except OSError:
        return False
    return True


def _start_verdict(path: Path, closed_normally: bool) -> Verdict:
    refused = _open_verdict(path)
    if refused is not None:
        problems = tuple(f"damaged: {p}" for p in refused.problems)
        return Verdict(path, problems, damaged=refused.damaged, schema_version=None)
    if closed_normally:
        return Verdict(path, (), damaged=False, schema_version=None)
    return check_file(path, full=False)


def open_checked(path: Path, backup_folder: Path | None = None) -> sqlite_utils.Database:
    """Open the station database after a check; how the app starts.

    After a normal shutdown only the file's header is checked, so a bench with a
    million shipments still starts in a second; after a crash or a power cut (no
    clean-shutdown mark) the whole file gets a quick_check first, and the daily
    housekeeping checks it in the background too.

    Raises DatabaseDamaged (with the newest backup in `backup_folder`, by default
    the one settings.toml names) when the check fails: the damaged file is then
    left exactly as it was. Disk-full and read-only errors become StorageError;
    encrypted data whose key is missing or different raises KeyUnavailable.
    """
    # Imported here: station.store.backup imports this module for restore's check.
    from station.store.backup import configured_backup_folder, latest_backup

    path = Path(path)
    closed_normally = forget_clean_shutdown(path)
    version = _header_version(path)

    def refused(problems: tuple[str, ...]) -> DatabaseDamaged:
        folder = backup_folder or configured_backup_folder(path.parent)
        return DatabaseDamaged(
            f"The station database {path} is damaged and was not opened ({'; '.join(problems)}).",
            latest_backup(folder),
        )

    if path.is_file() and path.stat().st_size > 0:
        verdict = _start_verdict(path, closed_normally)
        if verdict.damaged:
            raise refused(verdict.problems)
    try:
        with storage_errors():
            db = connect(path)
            if version is not None and version < len(STEPS):
                # A migration rewrote rows (encryption among them): fold the WAL into
                # the file and empty it, so replaced plaintext does not linger there.
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            has_key = db.execute("SELECT 1 FROM privacy_key").fetchone()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise refused((f"damaged: {exc}",)) from exc
    if has_key:
        try:
            cipher_for(db)  # a missing or wrong key is told at start, not at the first scan
        except KeyUnavailable:
            db.close()
            raise
    return db


def _header_version(path: Path) -> int | None:
    """The schema version before any migration, or None for no usable database."""
    if not path.is_file():
        return None
    try:
        return _peek(path)
    except (NotADatabase, sqlite3.DatabaseError):
        return None

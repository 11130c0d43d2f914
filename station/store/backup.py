"""Backups of the station database: online, verified, rotated; and restore.

Backups use SQLite's online backup API, so they are consistent while the bench
keeps recording. Each is written beside its final name, checked, and only then
renamed into place, so a backup folder never holds a half-written file. Rotation
only ever deletes files named like automatic backups.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from station.instance_lock import InstanceLock, StationRunning
from station.settings import Settings, SettingsError
from station.store.db import DB_FILE
from station.store.errors import storage_errors
from station.store.integrity import check_file, open_raw

DEFAULT_FOLDER = "backups"
_NAME = re.compile(r"^station-(\d{8})-(\d{6})\.db$")
_STAMP = "%Y%m%d-%H%M%S"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupFailed(RuntimeError):
    pass


class RestoreRefused(RuntimeError):
    pass


def backup_folder(data_dir: Path, settings: Settings) -> Path:
    """The folder settings name; a relative one is inside the data folder."""
    return Path(data_dir) / Path(settings["backup.folder"]).expanduser()


def configured_backup_folder(data_dir: Path) -> Path:
    """The backup folder from settings.toml, without creating or failing on it."""
    if (Path(data_dir) / "settings.toml").is_file():
        with contextlib.suppress(SettingsError, OSError):
            return backup_folder(data_dir, Settings.load(Path(data_dir)))
    return Path(data_dir) / DEFAULT_FOLDER


def backup_name(moment: datetime) -> str:
    return f"station-{moment.strftime(_STAMP)}.db"


def list_backups(folder: Path) -> list[Path]:
    """Automatic backups in `folder`, newest first (the name carries the time)."""
    if not Path(folder).is_dir():
        return []
    found = [p for p in Path(folder).iterdir() if _NAME.match(p.name) and p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def latest_backup(folder: Path) -> Path | None:
    backups = list_backups(folder)
    return backups[0] if backups else None


def backup_database(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database to `target` (a single file, no WAL), checked.

    The target's folder is made when missing, but not its parents: a backup
    folder on a USB drive that is not plugged in (or a mistyped path) fails with
    FileNotFoundError instead of quietly filling the local disk."""
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    with storage_errors():
        target.parent.mkdir(exist_ok=True)
        _remove_with_side_files(partial)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
                result = dest.execute("PRAGMA quick_check").fetchall()
            finally:
                dest.close()
            if result != [("ok",)]:
                raise BackupFailed(
                    f"The copy of the database failed its check ({result[0][0]}); "
                    "the database itself may be damaged: run `station db check`."
                )
            os.replace(partial, target)
        finally:
            _remove_with_side_files(partial)
    return target


def backup_file(database: Path, target: Path) -> Path:
    """Back up the database file at `database` (for the command line)."""
    if not Path(database).is_file():
        raise BackupFailed(f"There is no database at {database} to back up.")
    conn = open_raw(Path(database), readonly=True)
    try:
        return backup_database(conn, target)
    finally:
        conn.close()


def backup_now(
    db: sqlite_utils.Database, folder: Path, keep: int, now: datetime | None = None
) -> Path:
    """A new automatic backup in `folder`, then rotation down to `keep`."""
    made = backup_database(db.conn, Path(folder) / backup_name(now or datetime.now()))
    rotate(folder, keep)
    return made


def backup_if_due(
    db: sqlite_utils.Database, data_dir: Path, settings: Settings, now: datetime | None = None
) -> Path | None:
    """The daily backup: made if enabled and none exists for today (local date)."""
    if not settings["backup.daily"]:
        return None
    now = now or datetime.now()
    folder = backup_folder(data_dir, settings)
    today = now.strftime("%Y%m%d")
    if any(_NAME.match(p.name).group(1) == today for p in list_backups(folder)):
        return None
    return backup_now(db, folder, settings["backup.keep"], now)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups (at least one is kept)."""
    removed = list_backups(folder)[max(keep, 1) :]
    with storage_errors():
        for path in removed:
            path.unlink()
    return removed


def restore(data_dir: Path, source: Path, now: datetime | None = None) -> Path | None:
    """Replace the station database with the backup `source`.

    Refused while a station runs on the folder (StationRunning) and for a file
    that fails the full check (RestoreRefused). The bytes checked are the bytes
    installed: the backup is copied in first, checked, then renamed into place.
    The replaced database is kept aside; its new path is returned.
    """
    data_dir, source = Path(data_dir), Path(source)
    lock = InstanceLock(data_dir)
    if not lock.acquire():
        raise StationRunning(data_dir, lock.owner_pid())
    try:
        if not source.is_file():
            raise RestoreRefused(f"{source} does not exist or is not a file.")
        staging = data_dir / f"{DB_FILE}.restoring"
        try:
            _stage(source, staging)
            verdict = check_file(staging, full=True)
            if not verdict.ok:
                raise RestoreRefused(
                    f"{source} was not restored: it is not a usable Packing Station backup "
                    f"({'; '.join(verdict.problems)}). The current database is unchanged."
                )
            return _swap_in(data_dir, staging, now or datetime.now())
        finally:
            _remove_with_side_files(staging)
    finally:
        lock.release()


def _stage(source: Path, staging: Path) -> None:
    """Copy the backup (and a WAL beside it, if any) in, as one plain file."""
    with storage_errors():
        _remove_with_side_files(staging)
        shutil.copyfile(source, staging)
        wal = source.with_name(source.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, staging.with_name(staging.name + "-wal"))
    if check_file(staging, full=False).damaged:
        return
    with storage_errors():
        conn = open_raw(staging, readonly=False)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()


def _swap_in(data_dir: Path, staging: Path, now: datetime) -> Path | None:
    current = data_dir / DB_FILE
    aside = None
    with storage_errors():
        if current.exists():
            aside = data_dir / f"replaced-{backup_name(now)}"
            os.replace(current, aside)
            for suffix in _SIDE_FILES:
                side = current.with_name(current.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        os.replace(staging, current)
    return aside


def _remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        candidate.unlink(missing_ok=True)

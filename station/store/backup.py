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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from station.instance_lock import InstanceLock, StationRunning
from station.paths import tighten
from station.settings import Settings, SettingsError
from station.store.db import DB_FILE
from station.store.errors import storage_errors
from station.store.integrity import check_file, open_raw
from station.store.salvage import Report, salvage_into
from station.sync.lock import Holder, UploaderLock

DEFAULT_FOLDER = "backups"
_NAME = re.compile(r"^station-(\d{8})-(\d{6})\.db$")
_STAMP = "%Y%m%d-%H%M%S"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupFailed(RuntimeError):
    pass


class RestoreRefused(RuntimeError):
    pass


class UploaderRunning(RuntimeError):
    """An uploader (`station sync run`) works on the folder: a restore would swap the
    database file under it, and it would keep sending from the replaced one."""

    def __init__(self, data_dir: Path, pid: str):
        super().__init__(
            f"The uploader (process {pid}) is running on {data_dir}: the database was not "
            f"restored. Stop it first (Ctrl+C in its terminal, or `kill {pid}`), then restore."
        )
        self.data_dir = data_dir
        self.pid = pid


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
    """A new automatic backup in `folder`, then rotation down to `keep`. A backup
    folder outside the data folder (a USB drive) is made private like the data folder
    (POSIX; see station.paths)."""
    made = backup_database(db.conn, Path(folder) / backup_name(now or datetime.now()))
    rotate(folder, keep)
    if os.name == "posix":
        tighten(Path(folder))
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
    if any(p.name.startswith(f"station-{today}-") for p in list_backups(folder)):
        return None
    return backup_now(db, folder, settings["backup.keep"], now)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups (at least one is kept)."""
    removed = list_backups(folder)[max(keep, 1) :]
    with storage_errors():
        for path in removed:
            path.unlink()
    return removed


@dataclass(frozen=True)
class Restored:
    """A restore done: where the replaced database went, and what was found in it
    beyond the backup (None when there was no database to replace)."""

    aside: Path | None
    salvage: Report | None


def restore(
    data_dir: Path, source: Path, now: datetime | None = None, actor: str = "restore"
) -> Restored:
    """Replace the station database with the backup `source`.

    Refused while a station or an uploader runs on the folder (StationRunning,
    UploaderRunning) and for a file that fails the full check (RestoreRefused).
    The bytes checked are the bytes installed: the backup is copied in first,
    checked, then what the current database holds beyond it is merged in
    (station.store.salvage), checked again, and only then renamed into place. The
    replaced database is kept aside.
    """
    data_dir, source = Path(data_dir), Path(source)
    with restore_locks(data_dir):
        if not source.is_file():
            raise RestoreRefused(f"{source} does not exist or is not a file.")
        staging = data_dir / f"{DB_FILE}.restoring"
        current = data_dir / DB_FILE
        try:
            _stage(source, staging)
            _refuse_unless_usable(staging, source)
            report = None
            if current.exists():
                with storage_errors():
                    report = salvage_into(staging, current, str(source), actor=actor)
                _refuse_unless_usable(staging, source)
            return Restored(_swap_in(data_dir, staging, now or datetime.now()), report)
        finally:
            _remove_with_side_files(staging)


def _refuse_unless_usable(staging: Path, source: Path) -> None:
    verdict = check_file(staging, full=True)
    if not verdict.ok:
        raise RestoreRefused(
            f"{source} was not restored: it is not a usable Packing Station backup "
            f"({'; '.join(verdict.problems)}). The current database is unchanged."
        )


@contextlib.contextmanager
def restore_locks(data_dir: Path) -> Iterator[None]:
    """The station's instance lock, then the uploader lock (the order the app takes
    them in, so neither can wait on the other): no bench and no uploader works on the
    folder while its database is replaced, and none starts meanwhile. Raises
    StationRunning or UploaderRunning, naming the holder."""
    instance = InstanceLock(data_dir)
    if not instance.acquire():
        raise StationRunning(data_dir, instance.owner_pid())
    try:
        uploader = UploaderLock(data_dir, Holder.RESTORE)
        if not uploader.acquire():
            raise UploaderRunning(data_dir, uploader.holder())
        try:
            yield
        finally:
            uploader.release()
    finally:
        instance.release()


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

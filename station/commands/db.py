"""`station db`: back up, restore, check and purge the station database.

Exit codes: 0 done, 1 the check found problems or the operation failed (the
message says why), 3 a station is running on this data folder.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from station.instance_lock import StationRunning
from station.paths import data_dir
from station.settings import Settings, SettingsError
from station.store.backup import (
    BackupFailed,
    RestoreRefused,
    backup_file,
    backup_folder,
    backup_name,
    configured_backup_folder,
    latest_backup,
    restore,
    rotate,
)
from station.store.db import DB_FILE
from station.store.errors import DatabaseDamaged, StorageError, storage_errors
from station.store.integrity import check_file, open_checked
from station.store.retention import purge_personal_data

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_RUNNING = 1, 2, 3


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="back up, restore, check or purge the station database")
    commands = db.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)

    backup = commands.add_parser("backup", help="back up the database now", epilog=__doc__)
    backup.add_argument(
        "file", nargs="?", type=Path, help="where to write it (default: the backup folder)"
    )
    backup.set_defaults(func=backup_command)

    back = commands.add_parser(
        "restore", help="replace the database with a backup (station closed)", epilog=__doc__
    )
    back.add_argument("file", type=Path, help="the backup to restore")
    back.set_defaults(func=restore_command)

    check = commands.add_parser(
        "check", help="check integrity, foreign keys and schema version", epilog=__doc__
    )
    check.set_defaults(func=check_command)

    purge = commands.add_parser(
        "purge",
        help="erase recipients' personal data older than privacy.retention_days",
        epilog=__doc__,
    )
    purge.add_argument("--dry-run", action="store_true", help="only count what would be erased")
    purge.set_defaults(func=purge_command)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"station db: {message}", file=sys.stderr)
    return code


def _settings(folder: Path) -> Settings | None:
    try:
        return Settings.load(folder)
    except SettingsError as exc:
        print(f"station db: {exc}", file=sys.stderr)
        return None


def backup_command(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    try:
        if args.file is not None:
            if args.file.exists():
                return _fail(f"{args.file} already exists; choose a new file name.")
            if not args.file.parent.is_dir():
                return _fail(
                    f"{args.file.parent} is not a folder: make it first, or choose another.",
                    EXIT_BAD_INPUT,
                )
            made = backup_file(folder / DB_FILE, args.file)
        else:
            settings = _settings(folder)
            if settings is None:
                return EXIT_FAILED
            target = backup_folder(folder, settings)
            made = backup_file(folder / DB_FILE, target / backup_name(datetime.now()))
            rotate(target, settings["backup.keep"])
    except (BackupFailed, StorageError) as exc:
        return _fail(str(exc))
    print(f"Backed up to {made}")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    try:
        aside = restore(folder, args.file)
    except StationRunning as exc:
        return _fail(str(exc), EXIT_RUNNING)
    except (RestoreRefused, StorageError) as exc:
        return _fail(str(exc))
    print(f"Restored {args.file} into {folder / DB_FILE}.")
    if aside is not None:
        print(f"The database it replaced is kept as {aside}.")
    return 0


def check_command(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    path = folder / DB_FILE
    if not path.exists():
        print(f"No database yet at {path}: nothing to check.")
        return 0
    verdict = check_file(path, full=True)
    if verdict.ok:
        print(verdict.summary())
        return 0
    message = verdict.summary()
    if verdict.damaged:
        newest = latest_backup(configured_backup_folder(folder))
        message += (
            f". Newest backup: {newest} (restore it with `station db restore {newest}`)."
            if newest
            else ". No backup found."
        )
    return _fail(message)


def purge_command(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    settings = _settings(folder)
    if settings is None:
        return EXIT_FAILED
    days = settings["privacy.retention_days"]
    if days <= 0:
        print("privacy.retention_days is 0: personal data is kept; nothing to erase.")
        return 0
    try:
        db = open_checked(folder / DB_FILE)
    except (DatabaseDamaged, StorageError) as exc:
        return _fail(str(exc))
    try:
        with storage_errors():
            purged = purge_personal_data(db, days, dry_run=args.dry_run)
    except StorageError as exc:
        return _fail(str(exc))
    finally:
        db.close()
    verb = "would be erased" if purged.dry_run else "erased"
    print(
        f"{purged.count} orders shipped or closed before {purged.cutoff} "
        f"({days} days): personal data {verb}."
    )
    return 0

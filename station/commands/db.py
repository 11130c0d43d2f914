"""`station db`: back up, restore, check and purge the station database.

Exit codes: 0 done, 1 the check found problems or the operation failed (the
message says why; restore: orders wait for a supervisor's check), 2 an uploader
(`station sync run`) is running on this data folder, 3 a station is running on it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from station.commands.access import technician_name
from station.commands.common import CommandContext
from station.instance_lock import StationRunning
from station.settings import Settings, SettingsError
from station.store.audit_chain import check_database as check_audit_chain
from station.store.backup import (
    BackupFailed,
    RestoreRefused,
    UploaderRunning,
    backup_file,
    backup_folder,
    backup_name,
    configured_backup_folder,
    latest_backup,
    restore,
    rotate,
)
from station.store.db import DB_FILE
from station.store.errors import StorageError, storage_errors
from station.store.integrity import check_file
from station.store.retention import purge_personal_data
from station.store.salvage import Report

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_RUNNING = 1, 2, 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _settings(ctx: CommandContext) -> Settings | None:
    try:
        return ctx.settings
    except SettingsError as exc:
        print(f"station db: {exc}", file=sys.stderr)
        return None


def backup_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
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
            settings = _settings(ctx)
            if settings is None:
                return EXIT_FAILED
            target = backup_folder(folder, settings)
            made = backup_file(folder / DB_FILE, target / backup_name(datetime.now()))
            rotate(target, settings["backup.keep"])
    except (BackupFailed, StorageError) as exc:
        return _fail(str(exc))
    print(f"Backed up to {made}")
    return 0


def restore_command(ctx: CommandContext) -> int:
    """Exit 0 restored and everything since the backup brought back, 1 restored but
    orders wait for a supervisor's check (or it failed), 2 an uploader runs, 3 a
    station runs."""
    args = ctx.args
    folder = ctx.folder
    try:
        done = restore(folder, args.file, actor=technician_name())
    except StationRunning as exc:
        return _fail(str(exc), EXIT_RUNNING)
    except UploaderRunning as exc:
        return _fail(str(exc), EXIT_BAD_INPUT)
    except (RestoreRefused, StorageError) as exc:
        return _fail(str(exc))
    print(f"Restored {args.file} into {folder / DB_FILE}.")
    if done.aside is not None:
        print(f"The database it replaced is kept as {done.aside}.")
    if done.salvage is None:
        return 0
    for line in restore_report(done.salvage):
        print(line)
    return 0 if done.salvage.complete else EXIT_FAILED


def restore_report(report: Report) -> list[str]:
    """What the backup did not hold, what was brought back and what waits for a person."""
    since = report.backup_newest or "(an empty backup)"
    lines = [f"The backup's newest record is from {since}."]
    if not report.readable:
        lines.append("The replaced database could not be read at all: nothing was brought back.")
    late = report.shipments
    lines.append(f"Shipments in the replaced database that the backup does not hold: {len(late)}")
    for s in late:
        state = "restored" if s.restored else "NOT restored"
        voided = f", voided {s.voided_at}" if s.voided_at else ""
        lines.append(
            f"  {s.order_no}  {s.carrier} {s.tracking_no}  recorded {s.recorded_at}{voided}: "
            f"{state}"
        )
    if report.restored:
        brought = ", ".join(f"{n} {table}" for table, n in sorted(report.restored.items()))
        lines.append(f"Brought back from the replaced database: {brought}.")
    lines.append(f"Waybill numbers used after the backup marked used again: {report.pool_marked}.")
    if report.in_doubt:
        lines.append(
            f"{report.in_doubt} queued uploads may have been sent from the replaced database: "
            "each is looked up upstream before it is sent again."
        )
    for problem in report.problems:
        lines.append(f"  could not be read: {problem}")
    if report.held:
        lines.append(
            f"On hold, shipped after the backup; check upstream state first: {len(report.held)} "
            "orders (`station orders release ORDER_NO --as NAME` after checking):"
        )
        lines.extend(f"  {order} {tracking or '?'}" for order, tracking in report.held.items())
    return lines


def check_command(ctx: CommandContext) -> int:
    folder = ctx.folder
    path = folder / DB_FILE
    if not path.exists():
        print(f"No database yet at {path}: nothing to check.")
        return 0
    verdict = check_file(path, full=True)
    chain = check_audit_chain(path) if not verdict.damaged else None
    if verdict.ok and chain is None:
        print(verdict.summary() + "; audit log chain verified")
        return 0
    message = verdict.summary() if not verdict.ok else f"{path}: {chain}"
    if chain is not None and not verdict.ok:
        message += f"; {chain}"
    if verdict.damaged:
        newest = latest_backup(configured_backup_folder(folder))
        message += (
            f". Newest backup: {newest} (restore it with `station db restore {newest}`)."
            if newest
            else ". No backup found."
        )
    return _fail(message)


def purge_command(ctx: CommandContext) -> int:
    args = ctx.args
    settings = _settings(ctx)
    if settings is None:
        return EXIT_FAILED
    days = settings["privacy.retention_days"]
    if days <= 0:
        print("privacy.retention_days is 0: personal data is kept; nothing to erase.")
        return 0
    try:
        with storage_errors(), ctx.database(writes=not args.dry_run) as db:
            purged = purge_personal_data(db, days, dry_run=args.dry_run)
    except StorageError as exc:
        return _fail(str(exc))
    verb = "would be erased" if purged.dry_run else "erased"
    print(
        f"{purged.count} orders shipped or closed before {purged.cutoff} "
        f"({days} days): personal data {verb}."
    )
    return 0

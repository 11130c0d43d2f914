"""What every command that works on a data folder starts with, and how every
command ends on input it cannot use."""

from __future__ import annotations

import argparse
import errno
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from station.core.bad_input import BadInput
from station.paths import data_dir
from station.settings import Settings
from station.store.backup import configured_backup_folder, latest_backup
from station.store.crypto import KeyUnavailable
from station.store.db import DB_FILE, DatabaseTooNew, connect
from station.store.errors import storage_error
from station.store.integrity import Verdict, check_file, is_damage, quick_open_check

if TYPE_CHECKING:
    from station.commands.access import Actor
    from station.core.permissions import Action

EXIT_BAD_INPUT = 2


class CommandContext:
    """What every command is given: its arguments, the data folder, the settings
    (read when first asked for, so a command that needs none runs beside a broken
    file), the database (a context manager that always closes it) and who runs it."""

    def __init__(self, args: argparse.Namespace):
        self.args = args

    @cached_property
    def folder(self) -> Path:
        return data_dir(self.args.data_dir)

    @cached_property
    def settings(self) -> Settings:
        return Settings.load(self.folder)

    @contextmanager
    def database(self, writes: bool = True) -> Iterator[sqlite_utils.Database]:
        """The data folder's database (see `database_for`), closed however the block ends."""
        db = database_for(self.folder, writes)
        try:
            yield db
        finally:
            db.close()

    def actor(self, db: sqlite_utils.Database, action: Action) -> Actor:
        """Who runs the command (--as NAME or --technician), allowed to do `action`;
        else the command ends with the reason and exit code 2."""
        from station.commands.access import actor_for

        return actor_for(self.args, db, self.folder, action)


Command = Callable[[CommandContext], int | None]


def run_command(func: Command, args: argparse.Namespace) -> int:
    """Run a subcommand with its context; on input it cannot use, print why and return 2.

    The one place errors become exit code 2: any `BadInput` (an unreadable file,
    a broken mapping, settings, routing or sync file, a data folder that is a
    file), a data folder whose key is missing or whose database a newer version
    wrote, a disk that is full or read-only (in plain words), and any other
    operating-system error about a file a person named (a missing folder, a
    folder where a file belongs). Anything else is a bug and keeps its traceback.
    """
    try:
        return int(func(CommandContext(args)) or 0)
    except (BadInput, OSError, sqlite3.Error, KeyUnavailable, DatabaseTooNew) as exc:
        message = bad_input_message(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_BAD_INPUT


def bad_input_message(exc: BaseException) -> str | None:
    """What to tell a person about an error their input or their disk caused, or
    None when it is neither."""
    if isinstance(exc, BadInput | KeyUnavailable | DatabaseTooNew):
        return str(exc)
    storage = storage_error(exc)
    if isinstance(exc, OSError) and exc.filename:
        text = f"{exc.filename}: {exc.strerror or exc}"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT) and storage is not None:
            text += f". {storage.advice}"
        return text
    if storage is not None:
        return str(storage)
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return None


def database_for(folder: Path, writes: bool = True) -> sqlite_utils.Database:
    """The data folder's database (created and upgraded as needed), for a command.

    A damaged file is never written to: the command ends with exit 2, the reason and
    the newest backup. A command that writes has SQLite's quick_check run first
    (0.6 s on 200,000 orders with their shipments, about 3 s on a million, against
    8.5 s for the full check of `db check`; it only reads, so the bench keeps
    packing); one that only reads has the file's header and schema read, which
    finds a file cut short or overwritten at once.
    """
    refuse_damaged(folder, writes)
    path = folder / DB_FILE
    try:
        return connect(path)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        verdict = Verdict(path, (f"damaged: {exc}",), damaged=True, schema_version=None)
        raise _refusal(verdict) from exc


def refuse_damaged(folder: Path, writes: bool = True) -> None:
    """End the command (exit 2) when the data folder's database is damaged."""
    path = folder / DB_FILE
    if not path.is_file() or path.stat().st_size == 0:
        return  # none yet: the command creates it
    verdict = check_file(path, full=False) if writes else quick_open_check(path)
    if verdict.damaged:
        raise _refusal(verdict)


def _refusal(verdict: Verdict) -> SystemExit:
    """Say why the command stops, and the exit (code 2) that stops it."""
    newest = latest_backup(configured_backup_folder(verdict.path.parent))
    restore = (
        f"Restore the newest backup with `station db restore {newest}`."
        if newest
        else "No backup was found; `station db check` says more."
    )
    print(
        f"{verdict.path} is damaged ({'; '.join(verdict.problems)}): nothing was written "
        f"to it. {restore}",
        file=sys.stderr,
    )
    return SystemExit(EXIT_BAD_INPUT)

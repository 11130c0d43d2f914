"""What every command that works on a data folder starts with, and how every
command ends on input it cannot use."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from station.core.bad_input import BadInput
from station.paths import data_dir
from station.settings import Settings, SettingsError
from station.store.crypto import KeyUnavailable
from station.store.db import DB_FILE, DatabaseTooNew, connect
from station.store.errors import storage_error

EXIT_BAD_INPUT = 2


def run_command(func: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run a subcommand; on input it cannot use, print why and return 2.

    The one place errors become exit code 2: any `BadInput` (an unreadable file,
    a broken mapping, settings, routing or sync file, a data folder that is a
    file), a data folder whose key is missing or whose database a newer version
    wrote, a disk that is full or read-only (in plain words), and any other
    operating-system error about a file a person named (a missing folder, a
    folder where a file belongs). Anything else is a bug and keeps its traceback.
    """
    try:
        return int(func(args) or 0)
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


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """The path to write an output file `path` through: a temporary file beside it
    with the same suffix, renamed over `path` once complete and removed on any
    failure, so a full disk never leaves half a report. The folder must exist (a
    missing one is an error naming `path`); a device such as /dev/stdout, or
    anything else that is not a regular file, is written as it is."""
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    if path.exists() and not path.is_file():
        yield path
        return
    temporary = path.with_name(f".{path.name}.partial{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def folder_and_settings(args: argparse.Namespace) -> tuple[Path, Settings]:
    """The data folder and its settings. A broken settings file ends the command
    with its message and exit code 2, like any other bad input."""
    folder = data_dir(args.data_dir)
    try:
        return folder, Settings.load(folder)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from exc


def open_database(args: argparse.Namespace) -> sqlite_utils.Database:
    """The data folder's database (created and upgraded as needed)."""
    return connect(data_dir(args.data_dir) / DB_FILE)


def cli_actor() -> str:
    """Who changed something from the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"

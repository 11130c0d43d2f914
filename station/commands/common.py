"""What every command that works on a data folder starts with."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlite_utils

from station.paths import data_dir
from station.settings import Settings, SettingsError
from station.store.db import DB_FILE, connect

EXIT_BAD_INPUT = 2


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

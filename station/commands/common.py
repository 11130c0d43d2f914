"""What every command that works on a data folder starts with."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.paths import data_dir
from station.settings import Settings, SettingsError

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

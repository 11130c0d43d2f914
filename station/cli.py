"""The `station` command: opens the bench, or runs a technician's subcommand.

Each subcommand lives in its own module under `station.commands` and exposes
`register(subparsers)`; the module's parser sets `func(args) -> int` as default.
`run_command` runs it and turns input it cannot use into a message and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from station import __version__

COMMAND_MODULES = (
    "station.commands.run",
    "station.commands.demo",
    "station.commands.scale",
    "station.commands.printing",
    "station.commands.orders",
    "station.commands.products",
    "station.commands.pool",
    "station.commands.route",
    "station.commands.carriers",
    "station.commands.sync",
    "station.commands.waybill",
    "station.commands.report",
    "station.commands.users",
    "station.commands.db",
    "station.commands.hub",
)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station",
        description="Packing Station: scan, verify, weigh, label and record parcels.",
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument(
        "--data-dir",
        help="data folder (default: $STATION_DATA_DIR, else the platform's user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def _command_word(argv: list[str]) -> str | None:
    """The subcommand named in argv, skipping `--data-dir DIR`."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the bench parses only its own command, so start-up does not import
    # every technician's command (importers, reports, sync) first.
    plain_start = _command_word(argv) in (None, "run") and not {"-h", "--help"} & set(argv)
    parser = build_parser(("station.commands.run",) if plain_start else COMMAND_MODULES)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "run"])
    from station.commands.common import run_command

    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())

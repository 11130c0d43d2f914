"""`station pool import --carrier CODE FILE` and `station pool status`: the pool of
pre-allocated waybill numbers.

Each number is handed out exactly once, even across crashes: it is claimed inside
the transaction that records its shipment. Numbers already in the pool are left
as they are, so importing the same file twice adds nothing.

Importing needs a supervisor: `--as NAME` (the PIN is read from $STATION_PIN,
the terminal or stdin) or `--technician` (the owner of the data folder); what
was added is audited (action `pool`) naming them.

Exit codes: 0 done, 1 some lines were not valid numbers (the valid ones are in),
2 unknown carrier, unreadable file or not allowed (nothing imported).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.app.imports import Imports
from station.commands.access import add_actor_options
from station.commands.common import CommandContext
from station.core.carriers import UnknownCarrier
from station.core.permissions import Action
from station.importers.table import UnreadableFile
from station.store import pool

EXIT_REJECTED, EXIT_UNUSABLE = 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("pool", help="waybill-number pools: import, status")
    commands = parser.add_subparsers(dest="pool_command", metavar="SUBCOMMAND", required=True)
    imp = commands.add_parser(
        "import",
        help="add waybill numbers to a carrier's pool",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("--carrier", required=True, help="WeChat carrier code, e.g. ZTO or SF")
    imp.add_argument("file", type=Path, help="one number a line, or CSV/XLSX (first column)")
    add_actor_options(imp, Action.POOL)
    imp.set_defaults(func=import_pool)
    status = commands.add_parser("status", help="free numbers per carrier")
    status.set_defaults(func=pool_status)


def import_pool(ctx: CommandContext) -> int:
    args = ctx.args
    settings = ctx.settings
    with ctx.database() as db:
        who = ctx.actor(db, Action.POOL)
        try:
            done = Imports(db, settings).import_pool(
                args.carrier, args.file, who, reason=f"station pool import {args.file.name}"
            )
        except UnknownCarrier:
            print(f"unknown carrier {args.carrier!r}: use a WeChat code such as ZTO, SF, YTO")
            return EXIT_UNUSABLE
        except (OSError, UnreadableFile) as exc:
            print(f"{args.file}: {exc}")
            return EXIT_UNUSABLE
    print(f"{done.carrier}: added {done.added}, already known {done.already_known}")
    print(f"rejected lines: {len(done.problems)}")
    for problem in done.problems:
        print(f"  {problem}")
    print(f"free now: {done.free}")
    _warn_if_low(done.carrier, done.free, settings["pool.low_warning"])
    return EXIT_REJECTED if done.problems else 0


def pool_status(ctx: CommandContext) -> int:
    settings = ctx.settings
    with ctx.database(writes=False) as db:
        counts = pool.free_counts(db)
    for code, free in counts.items():
        print(f"{code}: {free} free")
        _warn_if_low(code, free, settings["pool.low_warning"])
    if not counts:
        print("no waybill numbers in any pool")
    return 0


def _warn_if_low(code: str, free: int, threshold: int) -> None:
    if free < threshold:
        print(f"WARNING: only {free} {code} numbers left (pool.low_warning = {threshold})")

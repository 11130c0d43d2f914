"""`station run`: open the packing bench (also what plain `station` does)."""

from __future__ import annotations

import argparse

from station.commands.common import CommandContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("run", help="open the packing bench (the default command)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, print 'ready' once it is up, and quit (installer check)",
    )
    parser.add_argument(
        "--tile",
        type=_tile,
        metavar="K/N",
        help="the window in column K of N of the screen, named for the station (benches "
        "side by side, as the warehouse demo opens them)",
    )
    parser.set_defaults(func=run)


def _tile(text: str) -> tuple[int, int]:
    column, _, count = text.partition("/")
    if not (column.isdigit() and count.isdigit() and 1 <= int(column) <= int(count)):
        raise argparse.ArgumentTypeError(f"give K/N with 1 <= K <= N, e.g. 2/3, not {text!r}")
    return int(column), int(count)


def run(ctx: CommandContext) -> int:
    args = ctx.args
    folder, settings = ctx.folder, ctx.settings
    from station.ui.app import run_app

    return run_app(
        folder, settings, demo=settings["scale.simulate"], smoke=args.smoke, tile=args.tile
    )

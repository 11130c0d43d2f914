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
    parser.set_defaults(func=run)


def run(ctx: CommandContext) -> int:
    args = ctx.args
    folder, settings = ctx.folder, ctx.settings
    from station.ui.app import run_app

    return run_app(folder, settings, demo=settings["scale.simulate"], smoke=args.smoke)

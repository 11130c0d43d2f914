"""`station route ORDER_NO [--json]`: which carrier and service an order gets, what it
costs, and the rule that chose it. `--import-rates FILE` loads a rate table (CSV).

The routing rules are in `routing.toml` in the data folder (written with the
documented defaults on first use); an order that names its carrier keeps it
while that carrier is active. Only active carriers are chosen: a rule, an
order or `carrier.default` naming a disabled one is routed among the active
carriers, and the explanation says so.
The weight is the items' catalogue weight plus packaging unless --weight says.

Rates CSV columns: carrier, service, zone, provinces, first_weight_g,
first_price, additional_per_kg (prices in yuan; provinces separated by spaces
or '|', `*` for every other province). A file replaces the rates of each
carrier and service it names, all or nothing: with one bad row nothing is loaded
and every bad row is listed. Loading one needs a supervisor (`--as NAME`, or
`--technician` for the owner of the data folder) and is audited naming them.

Exit codes: 0 done, 2 unknown order, broken rules file, a rates file unreadable
or with bad rows (nothing loaded), or no active carrier.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sqlite_utils

from station.app.imports import Imports, RatesRejected
from station.commands.access import Actor, add_actor_options, refuse_if_hub_owns
from station.commands.common import CommandContext
from station.core.permissions import Action
from station.core.rates import RateFileError
from station.core.routing import Decision, NoActiveCarrier, RulesError, yuan
from station.hub.kinds import Kind
from station.importers.table import UnreadableFile
from station.settings import Settings
from station.store import catalogue
from station.store import orders as order_store

EXIT_UNUSABLE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "route",
        help="show the carrier, service and cost routing gives an order",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("order_no", nargs="?", metavar="ORDER_NO", help="order number")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--weight", type=_grams, metavar="GRAMS", help="parcel weight to price (1 to 1000000)"
    )
    parser.add_argument(
        "--import-rates",
        type=Path,
        metavar="FILE",
        help="load a rates CSV (needs a supervisor: --as NAME or --technician)",
    )
    add_actor_options(parser, Action.CARRIERS)
    parser.set_defaults(func=route)


MAX_PARCEL_GRAMS = 1_000_000


def _grams(text: str) -> int:
    """A parcel weight: whole grams, more than none (a negative weight is no parcel)."""
    try:
        grams = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of grams") from None
    if not 0 < grams <= MAX_PARCEL_GRAMS:
        raise argparse.ArgumentTypeError(
            f"{grams} g is no parcel weight: give 1 to {MAX_PARCEL_GRAMS} grams"
        )
    return grams


def route(ctx: CommandContext) -> int:
    args = ctx.args
    if args.order_no is None and args.import_rates is None:
        print("give an ORDER_NO, or --import-rates FILE")
        return EXIT_UNUSABLE
    folder, settings = ctx.folder, ctx.settings
    with ctx.database(writes=args.import_rates is not None) as db:
        code = 0
        if args.import_rates is not None:
            refuse_if_hub_owns(db, ctx.folder, Kind.RATES)
            who = ctx.actor(db, Action.CARRIERS)
            code = import_rates(db, settings, args.import_rates, who)
            if code == EXIT_UNUSABLE or args.order_no is None:
                return code
        return _route_order(db, folder, settings, args) or code


def _route_order(
    db: sqlite_utils.Database, folder: Path, settings: Settings, args: argparse.Namespace
) -> int:
    order = order_store.find_order(db, args.order_no)
    if order is None:
        print(f"unknown order {args.order_no}")
        return EXIT_UNUSABLE
    try:
        router = catalogue.load_router(db, folder, settings)
    except RulesError as exc:
        print(f"routing rules: {exc}")
        return EXIT_UNUSABLE
    grams = args.weight
    if grams is None:
        grams = (order.items_weight_g() or 0) + settings["weight.packaging_grams"]
    parcel = catalogue.parcel_for(db, order, grams)
    try:
        decision = router.for_order(order.carrier, order.service, parcel)
    except NoActiveCarrier as exc:
        print(f"order {order.order_no} cannot be routed: {exc}")
        return EXIT_UNUSABLE
    print(json.dumps(decision.as_dict(), ensure_ascii=False) if args.json else _text(decision))
    return 0


def _text(decision: Decision) -> str:
    cost = "unknown" if decision.cost_fen is None else yuan(decision.cost_fen)
    lines = [
        f"carrier: {decision.carrier}",
        f"service: {decision.service}",
        f"cost: {cost}",
        f"rule: {decision.rule}",
        f"why: {decision.explanation}",
    ]
    if decision.alert:
        lines.append(f"ALERT: {decision.alert}")
    return "\n".join(lines)


def import_rates(db: sqlite_utils.Database, settings: Settings, path: Path, who: Actor) -> int:
    """Load a rates CSV, all or nothing (`station route --import-rates` and `station
    carriers rates import`); the exit code."""
    try:
        count = Imports(db, settings).import_rates(path, who)
    except (OSError, UnreadableFile, RateFileError) as exc:
        print(f"{path}: {exc}")
        return EXIT_UNUSABLE
    except RatesRejected as rejected:
        problems = rejected.problems
        print(f"{path}: {len(problems)} rows rejected, nothing loaded (the rates are as before)")
        for problem in problems:
            print(f"  {problem}")
        print("Fix these rows and import the whole file again.")
        return EXIT_UNUSABLE
    print(f"{path}: {count} rates loaded, 0 rows rejected")
    return 0

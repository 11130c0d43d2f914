"""`station orders import FILE`: orders from a WeChat Shop export or a mapped CSV/XLSX.

Prints what happened: orders imported, updated, left alone because they already
shipped, rows rejected (with line, column and problem), orders flagged for a
second check and alerts (refund or cancel after shipping).

Exit codes: 0 every row imported, 1 some rows rejected (the good ones are in) or
the disk refused the writes part-way, 2 the file, mapping or settings could not be
used (nothing imported), 3 the database stayed busy (another program held it).

The orders are written in short transactions, so a packing bench can record beside
a long import. An import stopped part-way keeps the orders already written, each
whole; running the same file again finishes it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.app.imports import Imports, StorageError, StorageProblem, hub_orders_for
from station.commands import order_view
from station.commands.access import add_actor_options
from station.commands.common import CommandContext
from station.core.permissions import Action
from station.importers.commit import ImportAction, ImportPlan
from station.importers.mapping import FORMATS, ORDERS, MappingError, choose_mapping, load_mapping
from station.importers.orders import parse_orders
from station.importers.table import Limits, UnreadableFile, read_table
from station.settings import SettingsError
from station.store.orders import find_order
from station.store.salvage import HOLD_KEY, release_restore_hold
from station.sync.config import SYNC_FILE, SyncConfigError
from station.sync.upstream import check_order

EXIT_REJECTED, EXIT_UNUSABLE, EXIT_BUSY = 1, 2, 3
SHOWN_PROBLEMS = 200
RELEASE_HELP = """\
An order the replaced database showed shipped after the backup, whose shipment a
restore could not bring back, is held ("shipped after the backup; check upstream
state first"): its parcel may have left. This asks every WeChat target in sync.toml
what it holds for the order (get_order / order/get; nothing is sent) and releases it
for packing only when each one that answered shows it waiting to ship with no
waybill. If upstream shows it shipped, it stays held. With no answer (offline, no
target), check the back office and the shelf by hand, then use --unchecked.

Exit codes: 0 released, 1 upstream shows it shipped or could not be asked (it stays
held), 2 no such order on that hold.
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    orders = sub.add_parser(
        "orders", help="import, list and show orders; release orders held after a restore"
    )
    commands = orders.add_subparsers(dest="orders_command", metavar="SUBCOMMAND", required=True)
    imp = commands.add_parser(
        "import",
        help="import orders from CSV or XLSX",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, help="CSV (UTF-8 or GBK) or XLSX file")
    imp.add_argument("--format", choices=FORMATS, default="auto", help="file format")
    imp.add_argument("--mapping", type=Path, help="column mapping (JSON or TOML) for generic files")
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would happen, change nothing"
    )
    imp.set_defaults(func=import_orders)
    order_view.register(commands)

    release = commands.add_parser(
        "release",
        help="release an order held after a restore, once upstream shows it not shipped",
        description=RELEASE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    release.add_argument("order_no", help="the held order")
    release.add_argument(
        "--unchecked",
        action="store_true",
        help="release although no upstream could be asked (you checked by hand)",
    )
    add_actor_options(release, Action.RELEASE)
    release.set_defaults(func=release_order)


def import_orders(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        settings = ctx.settings
        table = read_table(args.file, Limits.of(settings))
        given = load_mapping(args.mapping) if args.mapping else None
        mapping = choose_mapping(table.headers, ORDERS, args.format, given)
    except (SettingsError, UnreadableFile, MappingError) as exc:
        print(f"{args.file}: {exc}")
        return EXIT_UNUSABLE
    preview = parse_orders(table, mapping)
    source = f"file:{args.file.name}"
    hub = None if args.dry_run else hub_orders_for(settings)
    try:
        with ctx.database(writes=not args.dry_run) as db:
            imports = Imports(db, settings, hub)
            print(
                f"{args.file}: {preview.total_rows} rows, {table.encoding}, format {mapping.format}"
            )
            if args.dry_run:
                plan = imports.plan_orders(preview, source)
                at_hub = None
            else:
                imported = imports.import_orders(preview, source)
                plan, at_hub = imported.plan, imported.hub
    except StorageError as exc:
        print(f"{args.file}: {exc.message} {exc.advice}")
        print("Orders written before this stay imported: run the same import again to finish it.")
        return EXIT_BUSY if exc.problem is StorageProblem.BUSY else EXIT_REJECTED
    print_plan(plan, dry_run=args.dry_run)
    if at_hub is not None and at_hub.reached:
        print(f"hub: {at_hub.changed} orders new or changed")
    elif at_hub is not None:
        print(
            f"hub: not reached ({at_hub.error}); import the file at the hub later "
            "(station hub import)"
        )
    return EXIT_REJECTED if plan.rejected_rows or (at_hub and not at_hub.reached) else 0


def print_plan(plan: ImportPlan, dry_run: bool) -> None:
    print(f"imported: {plan.count(ImportAction.NEW)}")
    print(f"updated: {plan.count(ImportAction.UPDATE)}")
    print(f"unchanged shipped: {plan.count(ImportAction.SHIPPED)}")
    print(f"rejected rows: {plan.rejected_rows}")
    print(f"flagged orders: {plan.flagged}")
    for problem in plan.problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}")
    if len(plan.problems) > SHOWN_PROBLEMS:
        print(f"  ... and {len(plan.problems) - SHOWN_PROBLEMS} more problems")
    for alert in plan.alerts:
        print(f"ALERT: order {alert.order_no}: {alert.detail}")
    if dry_run:
        print("dry run: nothing was changed")


def release_order(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    with ctx.database() as db:
        who = ctx.actor(db, Action.RELEASE)
        order = find_order(db, args.order_no)
        if order is None or order.hold_text is None or order.hold_text.key != HOLD_KEY:
            print(f"{args.order_no}: not held after a restore; nothing to release.")
            return EXIT_UNUSABLE
        try:
            views = check_order(folder, db, order.order_no, ctx.settings["hub.url"])
        except SyncConfigError as exc:
            print(f"{folder / SYNC_FILE}: {exc}")
            views = []
        for view in views:
            held = ", ".join(sorted(view.waybills)) or "no waybill"
            print(f"{order.order_no} at {view.target}: {view.note}, {held}")
        if any(v.to_ship is False for v in views):
            print(
                f"{order.order_no} stays on hold: upstream shows it shipped or not shippable; "
                "do not pack it again."
            )
            return EXIT_REJECTED
        if not any(v.to_ship for v in views) and not args.unchecked:
            print(
                f"{order.order_no} stays on hold: no upstream could be asked. Check it in the "
                "WeChat back office and on the shelf, then run again with --unchecked."
            )
            return EXIT_REJECTED
        release_restore_hold(db, order.order_no, views, who.name, who.role)
    print(f"{order.order_no} released for packing by {who.name}.")
    return 0

"""`station orders import FILE`: orders from a WeChat Shop export or a mapped CSV/XLSX.

Prints what happened: orders imported, updated, left alone because they already
shipped, rows rejected (with line, column and problem), orders flagged for a
second check and alerts (refund or cancel after shipping).

Exit codes: 0 every row imported, 1 some rows rejected (the good ones are in),
2 the file, mapping or settings could not be used (nothing imported).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.importers.commit import ImportPlan, apply_plan, plan_orders
from station.importers.mapping import FORMATS, ORDERS, MappingError, choose_mapping, load_mapping
from station.importers.orders import parse_orders
from station.importers.table import Limits, UnreadableFile, read_table
from station.paths import data_dir
from station.settings import Settings, SettingsError
from station.store.db import DB_FILE, connect

EXIT_REJECTED, EXIT_UNUSABLE = 1, 2
SHOWN_PROBLEMS = 200


def register(sub: argparse._SubParsersAction) -> None:
    orders = sub.add_parser("orders", help="import orders")
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


def import_orders(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    try:
        settings = Settings.load(folder)
        table = read_table(args.file, Limits.of(settings))
        given = load_mapping(args.mapping) if args.mapping else None
        mapping = choose_mapping(table.headers, ORDERS, args.format, given)
    except (SettingsError, UnreadableFile, MappingError) as exc:
        print(f"{args.file}: {exc}")
        return EXIT_UNUSABLE
    preview = parse_orders(table, mapping)
    db = connect(folder / DB_FILE)
    try:
        plan = plan_orders(db, preview, f"file:{args.file.name}", settings["address.check_words"])
        print(f"{args.file}: {preview.total_rows} rows, {table.encoding}, format {mapping.format}")
        if not args.dry_run:
            apply_plan(db, plan)
    finally:
        db.close()
    print_plan(plan, dry_run=args.dry_run)
    return EXIT_REJECTED if plan.rejected_rows else 0


def print_plan(plan: ImportPlan, dry_run: bool) -> None:
    print(f"imported: {plan.count('new')}")
    print(f"updated: {plan.count('update')}")
    print(f"unchanged shipped: {plan.count('shipped')}")
    print(f"rejected rows: {plan.rejected_rows}")
    print(f"flagged orders: {len({f.order_no for f in plan.flags})}")
    for problem in plan.problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}")
    if len(plan.problems) > SHOWN_PROBLEMS:
        print(f"  ... and {len(plan.problems) - SHOWN_PROBLEMS} more problems")
    for alert in plan.alerts:
        print(f"ALERT: order {alert.order_no}: {alert.detail}")
    if dry_run:
        print("dry run: nothing was changed")

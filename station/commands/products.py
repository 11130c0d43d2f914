"""`station products import FILE`: the product catalogue from CSV or XLSX.

Columns are found by name (sku, name, barcodes, weight_g, category,
declared_value, image, or their Chinese labels) or given with --mapping.
Several barcodes in one cell are separated by commas, spaces, '|' or '、'.

Exit codes: 0 every row imported, 1 some rows rejected (the good ones are in),
2 the file or mapping could not be used (nothing imported).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.app.imports import Imports
from station.commands.access import refuse_if_hub_owns
from station.commands.common import CommandContext
from station.hub.kinds import Kind
from station.importers.mapping import PRODUCTS, MappingError, choose_mapping, load_mapping
from station.importers.products import parse_products
from station.importers.table import Limits, UnreadableFile, read_table

EXIT_REJECTED, EXIT_UNUSABLE = 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    products = sub.add_parser("products", help="import the product catalogue")
    commands = products.add_subparsers(dest="products_command", metavar="SUBCOMMAND", required=True)
    imp = commands.add_parser(
        "import",
        help="import products from CSV or XLSX",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, help="CSV (UTF-8 or GBK) or XLSX file")
    imp.add_argument("--mapping", type=Path, help="column mapping (JSON or TOML)")
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would happen, change nothing"
    )
    imp.set_defaults(func=import_products)


def import_products(ctx: CommandContext) -> int:
    args = ctx.args
    settings = ctx.settings
    try:
        table = read_table(args.file, Limits.of(settings))
        given = load_mapping(args.mapping) if args.mapping else None
        mapping = choose_mapping(table.headers, PRODUCTS, "generic", given)
    except (UnreadableFile, MappingError) as exc:
        print(f"{args.file}: {exc}")
        return EXIT_UNUSABLE
    preview = parse_products(table, mapping)
    if not args.dry_run:
        with ctx.database() as db:
            refuse_if_hub_owns(db, ctx.folder, Kind.PRODUCTS)
            Imports(db, settings).import_products(preview)
    print(f"{args.file}: {preview.total_rows} rows, {table.encoding}")
    print(f"imported: {len(preview.products)}")
    print(f"rejected rows: {preview.rejected_rows}")
    for problem in preview.problems:
        print(f"  {problem}")
    if args.dry_run:
        print("dry run: nothing was changed")
    return EXIT_REJECTED if preview.rejected_rows else 0

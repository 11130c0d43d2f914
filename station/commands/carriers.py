"""`station carriers`: the carrier catalogue and its rate tables.

    station carriers list [--json] [--all]
    station carriers set ZTO --pattern '7\\d{13}|\\d{12}'
    station carriers set SF --disable
    station carriers set KYE --name-zh 跨越速运 --name-en 'KY Express' \\
        --pattern 'KY\\d{10}' --services standard,express --not-wechat \\
        --tracking-url 'https://example.com/track?no={tracking_no}'
    station carriers export carriers.csv    (edit in a spreadsheet, then)
    station carriers import carriers.csv
    station carriers rates export rates.csv
    station carriers rates import rates.csv  (same as station route --import-rates)

`set` changes only the fields given; a new code needs --name-zh and --pattern.
A carrier added or enabled must have a code of WeChat's carrier list (as the
uploader last fetched it from each WeChat target, else the documented codes SF,
ZTO, YTO, STO, YD, JTSD, JD, DBL, YZPY, EMS): WeChat refuses an upload naming
any other, after the parcel has left. --not-wechat skips the check for a carrier
whose parcels never go to WeChat (webhook or CSV only).
Patterns are Python regular expressions the whole waybill number must match
(letters in any case). Services: standard, express, cold_chain, insured. A
tracking URL holds {tracking_no} (and optionally {carrier}). A disabled carrier
is never chosen by routing: a routing.toml rule naming it picks the cheapest
active carrier for its service instead, and `station route` says so.

Carrier files (CSV or XLSX; UTF-8, BOM or GBK) have the columns code, name_zh,
name_en, services, pattern, tracking_url, active (yes/no); a column left out
keeps the catalogue's value. Rates files are the CSV `station route` documents.
Exports are UTF-8 with a BOM, so Excel opens them as they are.

`set`, `import` and `rates import` need a supervisor: `--as NAME` (the PIN is
read from $STATION_PIN, the terminal or stdin) or `--technician` (the owner of
the data folder); every change is written to the audit log naming them.
Exit codes: 0 done, 1 some rows rejected (the good ones are in), 2 bad input,
unreadable file or not allowed (nothing changed).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from station.app.imports import Imports
from station.commands.access import add_actor_options, refuse_if_hub_owns
from station.commands.common import CommandContext
from station.commands.route import import_rates
from station.core.formulas import neutralised_row
from station.core.permissions import Action
from station.core.rates import RATE_COLUMNS, Rate
from station.hub.kinds import Kind
from station.importers.carriers import (
    BadField,
    carriers_csv,
    check_code,
    entry_from_cells,
)
from station.importers.table import UTF8_BOM, Limits, UnreadableFile, read_table
from station.store import catalogue, wechat_carriers

EXIT_REJECTED, EXIT_UNUSABLE = 1, 2
_OPTIONS = {
    "name_zh": "--name-zh",
    "name_en": "--name-en",
    "services": "--services",
    "pattern": "--pattern",
    "tracking_url": "--tracking-url",
    "active": "--enable/--disable",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "carriers",
        help="list, change, import and export carriers and their rate tables",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="carriers_command", metavar="SUBCOMMAND", required=True)

    listing = commands.add_parser("list", help="the carriers routing may use")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--all", action="store_true", help="include disabled carriers")
    listing.set_defaults(func=list_command)

    change = commands.add_parser(
        "set",
        help="change or add a carrier (only the fields given)",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    change.add_argument("code", metavar="CODE", help="WeChat company code, e.g. ZTO")
    change.add_argument("--name-zh", metavar="TEXT", help="Chinese name, e.g. 中通快递")
    change.add_argument("--name-en", metavar="TEXT", help="English name")
    change.add_argument(
        "--services", metavar="LIST", help="comma separated: standard,express,cold_chain,insured"
    )
    change.add_argument("--pattern", metavar="REGEX", help="waybill-number pattern")
    change.add_argument("--tracking-url", metavar="URL", help="with {tracking_no}; '' clears it")
    change.add_argument(
        "--not-wechat",
        action="store_true",
        help="its parcels are never uploaded to WeChat: do not check the code against "
        "WeChat's carrier list",
    )
    state = change.add_mutually_exclusive_group()
    state.add_argument("--enable", dest="active", action="store_const", const="yes")
    state.add_argument("--disable", dest="active", action="store_const", const="no")
    add_actor_options(change, Action.CARRIERS)
    change.set_defaults(func=set_command)

    imp = commands.add_parser("import", help="add or change carriers from CSV or XLSX")
    imp.add_argument("file", type=Path, help="CSV (UTF-8 or GBK) or XLSX file")
    add_actor_options(imp, Action.CARRIERS)
    imp.set_defaults(func=import_command)
    exp = commands.add_parser("export", help="write every carrier as CSV (as import reads it)")
    exp.add_argument("file", type=Path)
    exp.set_defaults(func=export_command)

    rates = commands.add_parser("rates", help="the rate tables as CSV")
    rate_commands = rates.add_subparsers(dest="rates_command", metavar="SUBCOMMAND", required=True)
    rates_exp = rate_commands.add_parser(
        "export", help="write the rate tables as station route --import-rates reads them"
    )
    rates_exp.add_argument("file", type=Path)
    rates_exp.set_defaults(func=rates_export_command)
    rates_imp = rate_commands.add_parser(
        "import", help="load a rates CSV (same as station route --import-rates)"
    )
    rates_imp.add_argument("file", type=Path)
    add_actor_options(rates_imp, Action.CARRIERS)
    rates_imp.set_defaults(func=rates_import_command)


def list_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database(writes=False) as db:
        listed = [e for e in catalogue.entries(db).values() if args.all or e.active]
    if args.json:
        print(json.dumps([e.as_dict() for e in listed], ensure_ascii=False, indent=2))
        return 0
    header = ("code", "name_zh", "name_en", "services", "pattern", "tracking_url", "active")
    rows = [
        (
            e.code,
            e.carrier.name_zh,
            e.carrier.name_en,
            ",".join(e.carrier.services),
            e.carrier.pattern,
            e.carrier.tracking_url or "-",
            "yes" if e.active else "no",
        )
        for e in listed
    ]
    print(_table(header, rows))
    return 0


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def set_command(ctx: CommandContext) -> int:
    args = ctx.args
    given = {
        name: value
        for name, value in {
            "name_zh": args.name_zh,
            "name_en": args.name_en,
            "services": args.services,
            "pattern": args.pattern,
            "tracking_url": args.tracking_url,
            "active": args.active,
        }.items()
        if value is not None
    }
    try:
        code = check_code(args.code)
    except BadField as exc:
        return _refuse(f"CODE: {exc.problem}")
    settings = ctx.settings
    with ctx.database() as db:
        refuse_if_hub_owns(db, ctx.folder, Kind.CARRIERS)
        who = ctx.actor(db, Action.CARRIERS)
        known = catalogue.entries(db)
        old = known.get(code)
        if old is None and not {"name_zh", "pattern"} <= given.keys():
            return _refuse(
                f"{code} is not in the catalogue: a new carrier needs --name-zh and --pattern "
                f"(known: {', '.join(known)})"
            )
        if not given:
            return _refuse(f"nothing to change: give any of {', '.join(_OPTIONS.values())}")
        adding = old is None or (given.get("active") == "yes" and not old.active)
        if adding and not args.not_wechat:
            wechat = wechat_carriers.known_codes(db)
            if code not in wechat:
                return _refuse(
                    f"{code} is not in WeChat's carrier list, so WeChat would refuse the "
                    f"upload of every parcel sent with it (known: {', '.join(sorted(wechat))}). "
                    "Use WeChat's code for the carrier (SF for 顺丰), or add --not-wechat if "
                    "its parcels are never uploaded to WeChat."
                )
        entry, problems = entry_from_cells({"code": code, **given}, known)
        if entry is None:
            return _refuse(
                "\n".join(f"{_OPTIONS.get(name, name)}: {problem}" for name, problem in problems)
            )
        changed = catalogue.save_entries(
            db,
            [entry],
            actor=who.name,
            role=who.role,
            reason="station carriers set",
            station=settings["station.name"],
        )
    if not changed:
        print(f"{code}: nothing changed (it already is so)")
    elif old is None:
        print(f"{code}: added {entry.carrier.name_zh}")
    else:
        for name, value in entry.as_dict().items():
            before = old.as_dict()[name]
            if value != before:
                print(f"{code}: {name} {_shown(before)} -> {_shown(value)}")
    return 0


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(value)
    return f"'{value}'"


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    print("Nothing was changed.", file=sys.stderr)
    return EXIT_UNUSABLE


def import_command(ctx: CommandContext) -> int:
    args = ctx.args
    settings = ctx.settings
    try:
        table = read_table(args.file, Limits.of(settings))
    except UnreadableFile as exc:
        print(f"{args.file}: {exc}")
        return EXIT_UNUSABLE
    try:
        with ctx.database() as db:
            refuse_if_hub_owns(db, ctx.folder, Kind.CARRIERS)
            who = ctx.actor(db, Action.CARRIERS)
            imported = Imports(db, settings).import_carriers(
                table, who, reason=f"station carriers import {args.file.name}"
            )
    except UnreadableFile as exc:
        print(f"{args.file}: {exc}")
        return EXIT_UNUSABLE
    preview, changed = imported.preview, imported.changed
    print(f"{args.file}: {preview.total_rows} rows, {table.encoding}")
    print(f"changed: {len(changed)}" + (f" ({', '.join(changed)})" if changed else ""))
    print(f"unchanged: {len(preview.rows) - len(changed)}")
    print(f"rejected rows: {preview.rejected_rows}")
    for problem in preview.problems:
        print(f"  {problem}")
    if preview.ignored_columns:
        print(f"ignored columns: {', '.join(preview.ignored_columns)}")
    return EXIT_REJECTED if preview.rejected_rows else 0


def export_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database(writes=False) as db:
        entries = list(catalogue.entries(db).values())
    if not _write(args.file, carriers_csv(entries)):
        return EXIT_UNUSABLE
    print(f"{args.file}: {len(entries)} carriers")
    return 0


def rates_export_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database(writes=False) as db:
        rates = catalogue.rates(db)
    if not _write(args.file, rates_csv(rates)):
        return EXIT_UNUSABLE
    print(f"{args.file}: {len(rates)} rates")
    return 0


def rates_import_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        refuse_if_hub_owns(db, ctx.folder, Kind.RATES)
        return import_rates(db, ctx.settings, args.file, ctx.actor(db, Action.CARRIERS))


def rates_csv(rates: list[Rate]) -> str:
    """Rates as CSV text in the format `parse_rates_csv` reads: prices in yuan."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RATE_COLUMNS)
    for r in rates:
        writer.writerow(
            neutralised_row(
                (
                    r.carrier,
                    r.service,
                    r.zone,
                    " ".join(r.provinces),
                    r.first_weight_g,
                    _yuan(r.first_fen),
                    _yuan(r.extra_fen_per_kg),
                )
            )
        )
    return out.getvalue()


def _yuan(fen: int) -> Decimal:
    """A price in yuan, a number (written as such, never neutralised)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _write(path: Path, text: str) -> bool:
    """Write UTF-8 with a BOM (Excel reads it as UTF-8), all or nothing."""
    try:
        path = path.expanduser()
        handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(UTF8_BOM + text.encode("utf-8"))
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        print(f"{path}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True

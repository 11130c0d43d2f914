"""`station report`: the courier manifest and the throughput report, as files.

    station report manifest --carrier ZTO [--date 2026-11-21] [--station bench-1] --out m.pdf
    station report throughput [--from 2026-11-01 --to 2026-11-21] --out t.csv

Dates are local days (default: today). Exit codes: 0 written, 2 bad input or
the file cannot be written there (a missing folder, a folder, a full disk).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from station.app.handover import Handovers, UnknownCarrier
from station.app.reports import Period, Reports
from station.commands.common import CommandContext
from station.reporting.manifest import write_manifest
from station.reporting.throughput import write_throughput

EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="write the courier manifest or the throughput report")
    commands = report.add_subparsers(dest="report_command", metavar="SUBCOMMAND", required=True)
    manifest = commands.add_parser(
        "manifest",
        help="a carrier's handover sheet (交接单): every parcel with its barcode",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    manifest.add_argument("--carrier", required=True, metavar="CODE", help="e.g. ZTO, SF")
    manifest.add_argument("--date", type=_day, metavar="D", help="local day YYYY-MM-DD")
    manifest.add_argument("--station", default="", help="only this bench's parcels")
    manifest.add_argument("--out", required=True, type=Path, metavar="FILE.pdf|.csv")
    manifest.set_defaults(func=manifest_command)
    throughput = commands.add_parser(
        "throughput",
        help="parcels per hour, cycle times and exceptions per station and packer",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    throughput.add_argument("--from", dest="first", type=_day, metavar="D", help="first day")
    throughput.add_argument("--to", dest="last", type=_day, metavar="D", help="last day")
    throughput.add_argument("--out", required=True, type=Path, metavar="FILE.csv|.pdf")
    throughput.set_defaults(func=throughput_command)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-11-21") from None


def _today() -> date:
    return datetime.now().astimezone().date()


def manifest_command(ctx: CommandContext) -> int:
    args = ctx.args
    if args.out.suffix.lower() not in (".pdf", ".csv"):
        print("--out must end in .pdf or .csv", file=sys.stderr)
        return EXIT_USAGE
    with ctx.database(writes=False) as db:
        try:
            manifest = Handovers(db, args.station).day_manifest(
                args.carrier, args.date, args.station
            )
        except UnknownCarrier as unknown:
            print(unknown, file=sys.stderr)
            return EXIT_USAGE
    write_manifest(manifest, args.out)
    kg = manifest.total_weight_g / 1000
    print(
        f"{manifest.carrier} {manifest.title}: {manifest.count} parcels, {kg:.2f} kg -> {args.out}"
    )
    return 0


def throughput_command(ctx: CommandContext) -> int:
    args = ctx.args
    if args.out.suffix.lower() not in (".pdf", ".csv"):
        print("--out must end in .csv or .pdf", file=sys.stderr)
        return EXIT_USAGE
    first = args.first or args.last or _today()
    last = args.last or (first if args.first is None else _today())
    if last < first:
        print("--to is before --from", file=sys.stderr)
        return EXIT_USAGE
    with ctx.database(writes=False) as db:
        report = Reports(db).dashboard(Period.days(first, last))
    write_throughput(report, args.out)
    print(f"{first} to {last}: {report.total.parcels} parcels -> {args.out}")
    return 0

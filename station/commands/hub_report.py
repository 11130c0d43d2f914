"""`station hub report`: the warehouse's figures from the hub, as files.

    station hub report throughput [--date D] [--format csv|pdf] [--out FILE]
    station hub report manifest --carrier CODE [--date D] [--format csv|pdf] [--out FILE]

throughput: every bench's state now (online or offline, last seen, packer, queue
depth, parcels this hour, cycle p50, exceptions) and the day's parcels per hour,
per packer and per carrier, as the dashboard's Warehouse view shows them.
manifest: one carrier's parcels of the day from every bench (交接单).

D is a local day YYYY-MM-DD (default: today). --format defaults to the suffix of
--out, else csv; --out defaults to warehouse-throughput-D.csv (or
warehouse-manifest-CODE-D.pdf ...) in the current folder. The hub is hub.url from
settings, or --url. Exit codes: 0 written, 2 bad input, the hub unreachable or its
schema unusable, or the file cannot be written there.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from station.app.floor import Floor, HubNotInitialised, HubTooNew, HubUnreachable, Period
from station.commands.common import CommandContext
from station.reporting.floor import write_floor
from station.reporting.manifest import write_manifest

EXIT_BAD = 2


class Kind(StrEnum):
    THROUGHPUT = "throughput"
    MANIFEST = "manifest"


class Format(StrEnum):
    CSV = "csv"
    PDF = "pdf"


def register(hub_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `report` to `station hub`'s subcommands."""
    report = hub_commands.add_parser(
        "report",
        help="the warehouse's throughput or a carrier's manifest from the hub, as CSV or PDF",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("kind", choices=[k.value for k in Kind], help="which report")
    report.add_argument("--carrier", metavar="CODE", help="the manifest's carrier, e.g. ZTO")
    report.add_argument("--date", type=_day, metavar="D", help="local day YYYY-MM-DD")
    report.add_argument("--format", choices=[f.value for f in Format], help="csv or pdf")
    report.add_argument("--out", type=Path, metavar="FILE", help="where to write it")
    report.add_argument("--url", help="the hub (default: hub.url in settings)")
    report.set_defaults(func=report_command)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-11-21") from None


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD


def report_command(ctx: CommandContext) -> int:
    args = ctx.args
    kind = Kind(args.kind)
    day = args.date or datetime.now().astimezone().date()
    if kind is Kind.MANIFEST and not args.carrier:
        return _fail("the manifest needs --carrier CODE, e.g. --carrier ZTO")
    try:
        fmt, out = _target(kind, args.format, args.out, args.carrier or "", day)
    except ValueError as exc:
        return _fail(str(exc))
    url = args.url or ctx.settings["hub.url"]
    if not url:
        return _fail("no hub: set hub.url in settings.toml, or give --url URL")
    floor = Floor(url, max(10.0, ctx.settings["hub.timeout_seconds"]))
    try:
        if kind is Kind.THROUGHPUT:
            report = floor.report(Period.days(day))
            write_floor(report, out)
            summary = (
                f"{day}: {report.total.parcels} parcels, {len(report.benches)} benches "
                f"({report.online} online)"
            )
        else:
            manifest = floor.manifest(args.carrier, day)
            write_manifest(manifest, out)
            kg = manifest.total_weight_g / 1000
            summary = f"{manifest.carrier} {day}: {manifest.count} parcels, {kg:.2f} kg"
    except HubUnreachable as exc:
        return _fail(f"the hub cannot be reached: {exc}")
    except (HubNotInitialised, HubTooNew) as exc:
        return _fail(str(exc))
    print(f"{summary} -> {out} ({fmt})")
    return 0


def _target(
    kind: Kind, given: str | None, out: Path | None, carrier: str, day: date
) -> tuple[Format, Path]:
    """The format and file: as given, else one from the other, else CSV in a file
    named for the report."""
    suffix = out.suffix.lower().lstrip(".") if out else ""
    if given and suffix and given != suffix:
        raise ValueError(f"--format {given} but --out {out} ends in .{suffix}: make them agree")
    chosen = given or suffix or Format.CSV.value
    if chosen not in {f.value for f in Format}:
        raise ValueError(f"--out {out}: the report is written as .csv or .pdf")
    fmt = Format(chosen)
    if out is None:
        name = "throughput" if kind is Kind.THROUGHPUT else f"manifest-{carrier.upper()}"
        out = Path(f"warehouse-{name}-{day.isoformat()}.{fmt.value}")
    return fmt, out

"""`station print`: a sample label to check a printer, a recorded shipment's label, or
the list of recorded shipments whose label was never printed.

Printing a recorded shipment's label again needs a supervisor, as from the
window's search: `--as NAME` (PIN from $STATION_PIN, the terminal or stdin) or
`--technician`; it is audited as a `reprint` naming them.

Exit codes: 0 printed (or listed), 1 the printer or label failed (the message says why),
2 bad input or not allowed, 4 no such shipment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from printers import LAYOUTS, PrinterError, open_printer, urls
from printers.sample import (
    SAMPLE_TRACKING,
    sample_carrier_waybill,
    sample_sf_waybill,
    sample_waybill,
)
from station.commands.access import add_actor_options
from station.commands.common import CommandContext
from station.core.permissions import Action

if TYPE_CHECKING:
    import sqlite_utils

    from printers import Printer, Waybill
    from station.commands.access import Actor
    from station.settings import Settings

EXIT_PRINTER = 1
EXIT_NOT_FOUND = 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printing = sub.add_parser("print", help="print sample labels to check a printer")
    commands = printing.add_subparsers(dest="print_command", metavar="SUBCOMMAND", required=True)
    test = commands.add_parser(
        "test",
        help="print a sample waybill whose tracking number scans",
        description="Print a sample waybill. Printer addresses: pdf:DIR, "
        "escpos+tcp://HOST:9100, escpos+serial:///dev/ttyUSB0?baud=19200, "
        "escpos+usb://VID:PID, escpos+file:///dev/usb/lp0, the same with tspl+, "
        "system:NAME (desktop app only), wxprint://127.0.0.1:12705?printer=NAME (the WeChat "
        "Shop print component: checked, not printed, as it prints only WeChat Shop "
        "e-waybills). Options: ?dpi=203|300, ?width=MM, ?mode=native|raster (ESC/POS).",
        epilog=__doc__,
    )
    test.add_argument("--printer", required=True, metavar="URL", help="the printer's address")
    test.add_argument("--layout", choices=LAYOUTS, default="76x130", help="label size")
    test.add_argument("--tracking", default=SAMPLE_TRACKING, help="tracking number to print")
    test.add_argument(
        "--template",
        choices=tuple(SAMPLES),
        default="general",
        help="general: our own layout; carrier: a carrier's e-waybill (三段码, 集包地); "
        "sf: SF's privacy label (丰密面单)",
    )
    test.set_defaults(func=test_command)
    label = commands.add_parser(
        "label",
        help="print (again) the label of a recorded shipment",
        description="Print the label of a shipment found by order number, tracking number "
        "or shipment id. A label printed before is marked 补打 (reprint) and counted.",
    )
    label.add_argument("key", metavar="SHIPMENT_OR_ORDER")
    label.add_argument("--printer", metavar="URL", help="default: printer.url of the settings")
    label.add_argument("--reason", default="", help="why it is printed again (audited)")
    add_actor_options(label, Action.REPRINT)
    label.set_defaults(func=label_command)
    pending = commands.add_parser(
        "pending",
        help="list recorded shipments whose label was never printed",
        description="List the live shipments whose label was never printed (a crash or "
        "kill between recording and printing, a failed print), oldest first. The bench "
        "lists them too when it starts; print each with `station print label ORDER_NO` "
        "or by scanning CMD-REPRINT at the bench.",
    )
    pending.add_argument(
        "--json", action="store_true", help="one JSON object per line instead of text"
    )
    pending.set_defaults(func=pending_command)


SAMPLES = {"general": sample_waybill, "carrier": sample_carrier_waybill, "sf": sample_sf_waybill}


def test_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        address = urls.parse(args.printer)
        if address.language == "wxprint":
            from printers.wxprint import WxPrint

            component = urls.transport(address)
            assert isinstance(component, WxPrint)
            print(component.check())
            return 0
        printer = open_printer(args.printer, layout=args.layout)
        result = printer.send(printer.render(SAMPLES[args.template](args.tracking)))
    except PrinterError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PRINTER
    print(f"Printed a sample {args.layout} label" + (f" to {result.path}" if result.path else "."))
    return 0


def label_command(ctx: CommandContext) -> int:
    args = ctx.args
    from station.labels import find_shipment

    folder = ctx.folder
    settings = ctx.settings
    with ctx.database() as db:
        shipment = find_shipment(db, args.key)
        if shipment is None:
            print(
                f"No shipment for {args.key!r}: give an order number, tracking number or "
                "shipment id of a recorded shipment.",
                file=sys.stderr,
            )
            return EXIT_NOT_FOUND
        actor = ctx.actor(db, Action.REPRINT)
        return _reprint(db, shipment, settings, folder, args, actor)


def _reprint(
    db: sqlite_utils.Database,
    shipment: dict[str, Any],
    settings: Settings,
    folder: Path,
    args: argparse.Namespace,
    actor: Actor,
) -> int:
    """Reprint through the same use case as the window's search and the bench."""
    from station.app.reprint import Reprint, Reprinted, ReprintRefused

    outcome: list[Reprinted] = []
    printer = _ConfiguredPrinter(settings, folder, args.printer)
    try:
        Reprint(db, settings, printer).supervised(
            shipment["id"], actor, args.reason or "station print label", outcome.append
        )
    except ReprintRefused as refused:
        print(str(refused), file=sys.stderr)
        return 2
    [reprinted] = outcome
    if not reprinted.printed:
        print(reprinted.error, file=sys.stderr)
        return EXIT_PRINTER
    path = getattr(reprinted.result, "path", None)
    where = f" to {path}" if path else ""
    print(
        f"Printed the label of {reprinted.order_no} ({reprinted.tracking_no}){where}; "
        f"printed {reprinted.count} time(s)."
    )
    return 0


class _ConfiguredPrinter:
    """The settings' printer, opened when the label is rendered, so that a printer that
    cannot be opened is a failed print, recorded as one, like any other."""

    def __init__(self, settings: Settings, folder: Path, url: str | None):
        self.settings, self.folder, self.url = settings, folder, url
        self._printer: Printer | None = None

    def render(self, waybill: Waybill) -> Any:
        from station.labels import open_configured_printer

        self._printer = open_configured_printer(self.settings, self.folder, self.url)
        return self._printer.render(waybill)

    def send(self, job: Any) -> Any:
        assert self._printer is not None, "render opens the printer"
        return self._printer.send(job)


def pending_command(ctx: CommandContext) -> int:
    args = ctx.args
    from station.store.shipments import unprinted

    with ctx.database(writes=False) as db:
        rows = unprinted(db)
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
            continue
        error = f": {row['label_error']}" if row["label_error"] else ""
        print(
            f"{row['order_no']}  {row['carrier']} {row['tracking_no']}  "
            f"recorded {row['recorded_at']}  label {row['label_status']}{error}"
        )
    if not args.json:
        if rows:
            print(
                f"{len(rows)} label(s) not printed: print each with `station print label "
                "ORDER_NO`, or scan CMD-REPRINT at the bench."
            )
        else:
            print("Every recorded label was printed.")
    return 0

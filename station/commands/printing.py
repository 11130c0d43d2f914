"""`station print`: a sample label to check a printer, or a recorded shipment's label.

Exit codes: 0 printed, 1 the printer or label failed (the message says why),
2 bad input, 4 no such shipment.
"""

from __future__ import annotations

import argparse
import sys

from printers import LAYOUTS, PrinterError, open_printer
from printers.sample import SAMPLE_TRACKING, sample_waybill

EXIT_PRINTER = 1
EXIT_NOT_FOUND = 4


def register(sub: argparse._SubParsersAction) -> None:
    printing = sub.add_parser("print", help="print sample labels to check a printer")
    commands = printing.add_subparsers(dest="print_command", metavar="SUBCOMMAND", required=True)
    test = commands.add_parser(
        "test",
        help="print a sample waybill whose tracking number scans",
        description="Print a sample waybill. Printer addresses: pdf:DIR, "
        "escpos+tcp://HOST:9100, escpos+serial:///dev/ttyUSB0?baud=19200, "
        "escpos+usb://VID:PID, escpos+file:///dev/usb/lp0, the same with tspl+, "
        "system:NAME (desktop app only). Options: ?dpi=203|300, ?width=MM, "
        "?mode=native|raster (ESC/POS).",
        epilog=__doc__,
    )
    test.add_argument("--printer", required=True, metavar="URL", help="the printer's address")
    test.add_argument("--layout", choices=LAYOUTS, default="76x130", help="label size")
    test.add_argument("--tracking", default=SAMPLE_TRACKING, help="tracking number to print")
    test.set_defaults(func=test_command)
    label = commands.add_parser(
        "label",
        help="print (again) the label of a recorded shipment",
        description="Print the label of a shipment found by order number, tracking number "
        "or shipment id. A label printed before is marked 补打 (reprint) and counted.",
    )
    label.add_argument("key", metavar="SHIPMENT_OR_ORDER")
    label.add_argument("--printer", metavar="URL", help="default: printer.url of the settings")
    label.set_defaults(func=label_command)


def test_command(args: argparse.Namespace) -> int:
    try:
        printer = open_printer(args.printer, layout=args.layout)
        result = printer.send(printer.render(sample_waybill(args.tracking)))
    except PrinterError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PRINTER
    print(f"Printed a sample {args.layout} label" + (f" to {result.path}" if result.path else "."))
    return 0


def label_command(args: argparse.Namespace) -> int:
    from station.labels import find_shipment, open_configured_printer, shipment_waybill
    from station.paths import data_dir
    from station.settings import Settings
    from station.store.db import DB_FILE, connect
    from station.store.shipments import mark_print_failed, mark_printed

    folder = data_dir(args.data_dir)
    settings = Settings.load(folder)
    with connect(folder / DB_FILE) as db:
        shipment = find_shipment(db, args.key)
        if shipment is None:
            print(
                f"No shipment for {args.key!r}: give an order number, tracking number or "
                "shipment id of a recorded shipment.",
                file=sys.stderr,
            )
            return EXIT_NOT_FOUND
        try:
            printer = open_configured_printer(settings, folder, args.printer)
            result = printer.send(printer.render(shipment_waybill(db, shipment, settings)))
        except PrinterError as exc:
            mark_print_failed(db, shipment["id"], exc.message)
            print(exc.message, file=sys.stderr)
            return EXIT_PRINTER
        count = mark_printed(db, shipment["id"])
        where = f" to {result.path}" if result.path else ""
        print(
            f"Printed the label of {shipment['order_no']} ({shipment['tracking_no']}){where}; "
            f"printed {count} time(s)."
        )
        return 0

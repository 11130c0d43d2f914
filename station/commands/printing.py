"""`station print`: print a sample label to check a printer and its address.

Exit codes: 0 printed, 1 the printer or label failed (the message says why),
2 bad input (argparse).
"""

from __future__ import annotations

import argparse
import sys

from printers import LAYOUTS, PrinterError, open_printer
from printers.sample import SAMPLE_TRACKING, sample_waybill

EXIT_PRINTER = 1


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


def test_command(args: argparse.Namespace) -> int:
    try:
        printer = open_printer(args.printer, layout=args.layout)
        result = printer.send(printer.render(sample_waybill(args.tracking)))
    except PrinterError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PRINTER
    print(f"Printed a sample {args.layout} label" + (f" to {result.path}" if result.path else "."))
    return 0

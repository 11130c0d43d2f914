"""Waybill and packing-slip printing: PDF, ESC/POS (native and raster) and TSPL.

Qt-free; of the station package it uses only station.core (the masking rules). The bench calls:

    printer = open_printer("escpos+tcp://192.168.1.50:9100", layout="76x130")
    job = printer.render(waybill)      # pure CPU; PrinterError('no_fit') if it cannot fit
    result = printer.send(job)         # I/O, on the printer thread; raises PrinterError
    image = preview_image(waybill)     # for the screen
"""

from printers.errors import PrinterError
from printers.jobs import LabelJob, PrintResult
from printers.layout import LAYOUTS
from printers.printer import Printer, open_printer, preview_image
from printers.system import SystemPrintService, register_system_printing
from printers.waybill import (
    ContentLine,
    Party,
    SfRouteLabel,
    Template,
    Waybill,
)

__all__ = [
    "LAYOUTS",
    "ContentLine",
    "LabelJob",
    "Party",
    "PrintResult",
    "Printer",
    "PrinterError",
    "SfRouteLabel",
    "SystemPrintService",
    "Template",
    "Waybill",
    "open_printer",
    "preview_image",
    "register_system_printing",
]

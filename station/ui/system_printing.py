"""`system:NAME` printers: a label PDF printed on an installed printer with Qt print support.

Registered into the printing package at start-up; it is called on the runner's
thread (QPainter may paint on a QPrinter outside the GUI thread). PDF pages are
rasterised with pypdfium2 at the printer's resolution.
"""

from __future__ import annotations

import logging

import pypdfium2
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from printers import PrinterError
from station.ui.label_preview import pil_to_qimage

log = logging.getLogger("station.ui.system_printing")

POINTS_PER_INCH = 72


class QtSystemPrinting:
    """Implements `printers.SystemPrintService`."""

    def print_pdf(self, printer_name: str, pdf: bytes, job_name: str) -> None:
        info = QPrinterInfo.printerInfo(printer_name)
        if info.isNull():
            known = ", ".join(QPrinterInfo.availablePrinterNames()) or "none"
            raise PrinterError(
                "not_found",
                f"No installed printer is called {printer_name!r} (installed: {known}). "
                "Check printer.url in the settings.",
            )
        document = pypdfium2.PdfDocument(pdf)
        try:
            self._print(info, document, job_name)
        finally:
            document.close()

    def _print(self, info: QPrinterInfo, document: pypdfium2.PdfDocument, job_name: str) -> None:
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(job_name)
        width_pt, height_pt = document[0].get_size()
        page_size = QPageSize(QSizeF(width_pt, height_pt), QPageSize.Unit.Point, job_name)
        printer.setPageLayout(
            QPageLayout(page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(
                "offline", f"Printer {info.printerName()!r} cannot start a job: is it online?"
            )
        try:
            scale = printer.resolution() / POINTS_PER_INCH
            for index in range(len(document)):
                if index:
                    printer.newPage()
                image = pil_to_qimage(document[index].render(scale=scale).to_pil())
                painter.drawImage(painter.viewport(), image)
        finally:
            painter.end()
        log.info("printed %s on %s", job_name, info.printerName())

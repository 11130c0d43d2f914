"""Installed OS printers (`system:NAME`), printed by a service the desktop app registers.

The printing package stays free of Qt; the Qt layer registers an object that
can print a PDF on a named system printer (Qt print support) at start-up.
"""

from __future__ import annotations

import threading
from typing import Protocol

from printers.errors import PrinterError


class SystemPrintService(Protocol):
    def print_pdf(self, printer_name: str, pdf: bytes, job_name: str) -> None:
        """Print the PDF on the named printer; raise PrinterError on failure."""
        ...


_lock = threading.Lock()
_service: SystemPrintService | None = None


def register_system_printing(service: SystemPrintService | None) -> None:
    """Install (or, with None, remove) the service that prints on OS printers."""
    global _service
    with _lock:
        _service = service


def system_printing() -> SystemPrintService:
    with _lock:
        service = _service
    if service is None:
        raise PrinterError(
            "unsupported",
            "System printers need the desktop app: start Packing Station to print on an "
            "installed printer, or use a direct printer address (escpos+tcp://, tspl+usb://, "
            "pdf:FOLDER).",
        )
    return service

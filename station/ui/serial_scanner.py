"""A scanner in USB-serial (COM / CDC) mode: lines on a serial port, no keyboard.

This mode avoids every keyboard-wedge trouble (input methods, layouts, Caps
Lock). One thread owns the port; each line (ended by CR, LF or both) becomes
`scanned(code)`, which Qt delivers on the GUI thread because the reader object
lives there. A vanished port is reopened every few seconds.
"""

from __future__ import annotations

import logging
import threading

import serial
from PySide6.QtCore import QObject, Signal

log = logging.getLogger("station.ui.serial_scanner")

RETRY_SECONDS = 3.0


def split_lines(buffer: bytes) -> tuple[list[str], bytes]:
    """Complete lines in `buffer` (CR, LF or CRLF ended) and the unfinished rest."""
    lines: list[str] = []
    start = 0
    for index, byte in enumerate(buffer):
        if byte in b"\r\n":
            if index > start:
                lines.append(buffer[start:index].decode("utf-8", errors="replace"))
            start = index + 1
    return lines, buffer[start:]


class SerialScanner(QObject):
    """Reads codes from `port` on a thread of its own; emits `scanned` on the GUI thread."""

    scanned = Signal(str)
    link_changed = Signal(bool, str)

    def __init__(self, port: str, baud: int = 9600, parent: QObject | None = None):
        super().__init__(parent)
        self.port = port
        self.baud = baud
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with serial.Serial(self.port, self.baud, timeout=0.2) as port:
                    self.link_changed.emit(True, self.port)
                    self._read(port)
            except (serial.SerialException, OSError) as exc:
                log.warning("scanner port %s: %s", self.port, exc)
                self.link_changed.emit(False, str(exc))
                self._stop.wait(RETRY_SECONDS)

    def _read(self, port: serial.Serial) -> None:
        buffer = b""
        while not self._stop.is_set():
            buffer += port.read(max(1, port.in_waiting))
            lines, buffer = split_lines(buffer)
            for line in lines:
                self.scanned.emit(line)

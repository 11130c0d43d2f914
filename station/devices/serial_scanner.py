"""A scanner in USB-serial (COM / CDC) mode: lines on a serial port, no keyboard.

This mode avoids every keyboard-wedge trouble (input methods, layouts, Caps
Lock). One thread owns the port; each line (ended by CR, LF or both) is handed to
`on_code`, and each change of the link to `on_link`, both on that thread (the UI
layer marshals them to its own). A vanished port is reopened every few seconds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import serial

log = logging.getLogger("station.devices.serial_scanner")

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


class SerialScannerReader:
    """Reads codes from `port` on a thread of its own."""

    def __init__(
        self,
        port: str,
        baud: int,
        on_code: Callable[[str], None],
        on_link: Callable[[bool, str], None],
    ):
        self.port = port
        self.baud = baud
        self.on_code = on_code
        self.on_link = on_link
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
                    self.on_link(True, self.port)
                    self._read(port)
            except (serial.SerialException, OSError) as exc:
                log.warning("scanner port %s: %s", self.port, exc)
                self.on_link(False, str(exc))
                self._stop.wait(RETRY_SECONDS)

    def _read(self, port: serial.Serial) -> None:
        buffer = b""
        while not self._stop.is_set():
            buffer += port.read(max(1, port.in_waiting))
            lines, buffer = split_lines(buffer)
            for line in lines:
                self.on_code(line)

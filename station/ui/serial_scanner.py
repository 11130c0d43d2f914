"""The serial scanner's reader (station.devices.serial_scanner) as Qt signals:
`scanned(code)` and `link_changed(up, detail)`, which Qt delivers on the GUI
thread because this object lives there."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from station.devices.serial_scanner import SerialScannerReader


class SerialScanner(QObject):
    """Reads codes from `port` on a thread of its own; emits `scanned` on the GUI thread."""

    scanned = Signal(str)
    link_changed = Signal(bool, str)

    def __init__(self, port: str, baud: int = 9600, parent: QObject | None = None):
        super().__init__(parent)
        self.port = port
        self.baud = baud
        self._reader = SerialScannerReader(port, baud, self.scanned.emit, self.link_changed.emit)

    def start(self) -> None:
        self._reader.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._reader.stop(timeout)

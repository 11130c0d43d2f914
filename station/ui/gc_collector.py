"""Python's cyclic garbage collector, run on the GUI thread only.

The automatic collector runs on whichever thread happens to allocate: the scale
reader, the uploader, the printer runner or an import worker. A garbage cycle
holding a Qt object then destroys that object off the GUI thread, which crashes
Qt. So the running station switches automatic collection off and collects from a
GUI-thread timer when the collector's own thresholds say it is due (the pattern
pyqtgraph uses). While an import has collection paused (station.importers.gc_pause)
the timer waits, then collects what the import left here, on the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from station.importers import gc_pause

CHECK_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_MS):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect_if_due(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; the
        generation collected, or None when none was due (or an import runs)."""
        if gc_pause.is_paused():
            return None
        due = [
            generation
            for generation, (count, threshold) in enumerate(
                zip(gc.get_count(), gc.get_threshold(), strict=True)
            )
            if threshold and count > threshold
        ]
        if not due:
            return None
        gc.collect(due[-1])
        return due[-1]

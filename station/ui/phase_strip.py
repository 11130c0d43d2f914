"""Where the packer is in the flow: scan order, check items, weigh, waybill, label."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from station.core.session import Phase

PHASE_STEP = {
    Phase.CONFIRM: 1,
    Phase.VERIFY: 1,
    Phase.WEIGH: 2,
    Phase.WEIGHT_MISMATCH: 2,
    Phase.TRACKING: 3,
    Phase.READY: 3,
}

_DONE = "background-color: #c8f0d0; color: #1a1a1a;"
_CURRENT = "background-color: #1565c0; color: #ffffff;"
_LATER = "background-color: #e6e6e6; color: #6a6a6a;"


class PhaseStrip(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("phaseStrip")
        names = (
            self.tr("1 Scan order"),
            self.tr("2 Check items"),
            self.tr("3 Weigh"),
            self.tr("4 Waybill"),
            self.tr("5 Label"),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.steps = [QLabel(name, alignment=Qt.AlignmentFlag.AlignCenter) for name in names]
        for step in self.steps:
            step.setObjectName("phaseStep")
            layout.addWidget(step)
        self.current = 0
        self.set_step(0)

    def set_step(self, current: int) -> None:
        """Highlight step `current` (0-based); steps before it are done."""
        self.current = current
        for index, step in enumerate(self.steps):
            step.setStyleSheet(
                _DONE if index < current else _CURRENT if index == current else _LATER
            )

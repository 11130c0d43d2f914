"""Demo controls standing in for hands on a real scale: place, take off, wobble.

Each button has an F-key so the demo, like the bench, needs no mouse.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QPushButton, QVBoxLayout, QWidget

from station.bench import Bench

WOBBLE_MS = 1000
JITTER_GRAMS = (3, -2, 4, -1, 2)
DEFAULT_PARCEL_GRAMS = 500


class ScaleControl(Protocol):
    def set_grams(self, grams: Decimal | int | str) -> None: ...
    def set_unstable(self, unstable: bool = True) -> None: ...


class DemoPanel(QDockWidget):
    """A dock of actions driving the simulated scale for the current order."""

    def __init__(self, bench: Bench, scale: ScaleControl, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("demoPanel")
        self.setWindowTitle(self.tr("Demo scale"))
        self.bench = bench
        self.scale = scale
        self._jitter = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(self.tr("Simulated scale"), objectName="demoTitle"))
        self.actions_by_key: dict[str, QAction] = {}
        for key, text, slot in (
            ("F5", self.tr("Place parcel"), self.place_parcel),
            ("F6", self.tr("Place wrong weight"), self.place_wrong),
            ("F7", self.tr("Take off"), self.take_off),
            ("F8", self.tr("Wobble"), self.wobble),
        ):
            action = QAction(f"{text}  ({key})", self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.actions_by_key[key] = action
            self.addAction(action)
            button = QPushButton(action.text())
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action.trigger)
            layout.addWidget(button)
        layout.addStretch(1)
        self.setWidget(body)

    def expected_grams(self) -> int:
        session = self.bench.session
        expected = session.expected_grams if session is not None else None
        return expected if expected is not None else DEFAULT_PARCEL_GRAMS

    def place_parcel(self) -> None:
        """The expected weight, give or take a few grams, as a real parcel would be."""
        self._jitter = (self._jitter + 1) % len(JITTER_GRAMS)
        self.scale.set_grams(self.expected_grams() + JITTER_GRAMS[self._jitter])

    def place_wrong(self) -> None:
        """Clearly outside the tolerance: as if an item were missing or extra."""
        expected = self.expected_grams()
        low, high = self.bench.rule.bounds(expected)
        self.scale.set_grams(high + max(150, (high - low)))

    def take_off(self) -> None:
        self.scale.set_grams(0)

    def wobble(self) -> None:
        self.scale.set_unstable(True)
        QTimer.singleShot(WOBBLE_MS, lambda: self.scale.set_unstable(False))

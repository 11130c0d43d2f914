"""Live scale weight against the order's expected weight and tolerance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station.core.reading import Reading, ScaleLink, WeightState
from station.core.weighing import WeightRule

_IN_RANGE = "#1b873f"
_OUT_OF_RANGE = "#c62828"
_MOVING = "#8a8a8a"
_NEUTRAL = "#1a1a1a"


class WeightPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.live = QLabel(objectName="liveWeight", alignment=Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel(
            objectName="weightState", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True
        )
        self.expected = QLabel(objectName="expectedWeight", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.live, self.state, self.expected):
            layout.addWidget(widget)

    def show_weight(
        self,
        link: ScaleLink,
        reading: Reading | None,
        rule: WeightRule,
        expected: int | None,
    ) -> None:
        bounds = rule.bounds(expected) if expected is not None else None
        if expected is None:
            self.expected.setText("")
        else:
            low, high = bounds  # type: ignore[misc]
            self.expected.setText(
                self.tr("Expected {expected} g (allowed {low}-{high} g)").format(
                    expected=expected, low=low, high=high
                )
            )
        if link is not ScaleLink.CONNECTED or reading is None:
            self.live.setText("— g")
            self._colour(_MOVING)
            self.state.setText(self._link_text(link))
            return
        if reading.state is not WeightState.OK or reading.grams is None:
            self.live.setText("— g")
            self._colour(_OUT_OF_RANGE)
            self.state.setText(self._fault_text(reading.state))
            return
        grams = reading.whole_grams
        self.live.setText(f"{grams} g")
        self.state.setText(self.tr("stable") if reading.stable else self.tr("moving…"))
        if not reading.stable:
            self._colour(_MOVING)
        elif bounds is None or grams is None or grams < rule.min_grams:
            self._colour(_NEUTRAL)
        else:
            self._colour(_IN_RANGE if bounds[0] <= grams <= bounds[1] else _OUT_OF_RANGE)

    def _colour(self, colour: str) -> None:
        self.live.setStyleSheet(f"color: {colour};")

    def _link_text(self, link: ScaleLink) -> str:
        return {
            ScaleLink.CONNECTING: self.tr("Scale: connecting…"),
            ScaleLink.CONNECTED: self.tr("Scale: no reading yet"),
            ScaleLink.SILENT: self.tr("Scale: no data (is it on?)"),
            ScaleLink.BAD_DATA: self.tr("Scale: unreadable data (check protocol and baud)"),
            ScaleLink.DISCONNECTED: self.tr("Scale: disconnected"),
            ScaleLink.NOT_SET: self.tr(
                "No scale is set. Set one in Tools > Scale settings (Ctrl+Shift+S)."
            ),
        }[link]

    def _fault_text(self, state: WeightState) -> str:
        return {
            WeightState.OVERLOAD: self.tr("Overload: too heavy for the scale"),
            WeightState.UNDERLOAD: self.tr("Underload: zero the scale"),
            WeightState.ERROR: self.tr("Scale error"),
            WeightState.OK: "",
        }[state]

"""The message banner: the result of the last input, big, coloured by its tone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from station.core.messages import Outcome
from station.ui.texts import TONE_COLOURS, bench_message_text, message_text

if TYPE_CHECKING:
    from station.bench import Bench


class MessageBanner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(120)
        self.outcome: Outcome | None = None

    def show_outcome(self, result: Outcome, bench: Bench | None = None) -> None:
        """Show a result; with the `bench` it came from, an order's flags and an
        alert's detail are shown in the interface language too."""
        self.outcome = result
        background, foreground = TONE_COLOURS[result.tone]
        self.setProperty("tone", result.tone.value)
        self.setStyleSheet(f"background-color: {background}; color: {foreground};")
        text = (
            message_text(result.message)
            if bench is None
            else bench_message_text(result.message, bench)
        )
        self.setText(text)

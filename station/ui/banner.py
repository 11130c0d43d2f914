"""The message banner: the result of the last input, big, coloured by its tone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from station.core.messages import Outcome
from station.ui.texts import TONE_COLOURS, message_text


class MessageBanner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(120)
        self.outcome: Outcome | None = None

    def show_outcome(self, result: Outcome) -> None:
        self.outcome = result
        background, foreground = TONE_COLOURS[result.tone]
        self.setProperty("tone", result.tone.value)
        self.setStyleSheet(f"background-color: {background}; color: {foreground};")
        self.setText(message_text(result.message))

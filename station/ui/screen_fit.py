"""Windows sized to fit the screen they open on (a common bench PC has 1366x768)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

TITLE_BAR_PX = 40
"""Room kept for the window's title bar, which the window manager adds outside."""


def fitted(widget: QWidget, width: int, height: int) -> QSize:
    """`width` x `height`, or less where the screen of `widget` is smaller."""
    screen = widget.screen().availableGeometry()
    return QSize(min(width, screen.width()), min(height, screen.height() - TITLE_BAR_PX))

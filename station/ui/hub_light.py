"""The hub light in the status bar: online, offline since when and why, or not asked
yet. Shown only when a hub is configured; it reads the Qt-free HubStatus that the
bench's claims and the uploader's pushes and pulls report to."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from station.hub.port import HubState, HubStatus

REFRESH_MS = 2000


class HubLight(QLabel):
    def __init__(self, status: HubStatus, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hubStatus")
        self.status = status
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        state, since, reason, _ = self.status.snapshot()
        if state is HubState.ONLINE:
            self.setText(self.tr("Hub: online"))
            self.setStyleSheet("color: #1b7f3b;")
        elif state is HubState.OFFLINE:
            text = self.tr("Hub: offline since {time}; packing orders held here")
            self.setText(text.format(time=f"{since.astimezone():%H:%M}"))
            self.setToolTip(reason)
            self.setStyleSheet("color: #b3261e; font-weight: bold;")
        else:
            self.setText(self.tr("Hub: not reached yet"))
            self.setStyleSheet("")

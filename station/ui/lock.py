"""The lock screen and the idle watch that brings it up.

`IdleWatcher` watches every key, scanner burst and mouse event of the
application and emits `idle` after the configured minutes (`lock.idle_minutes`,
0 = never). `LockScreen` covers the window until the signed-in user, or anyone
else who signs in, enters their PIN; Esc does not close it.
"""

from __future__ import annotations

import sqlite_utils
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from station.app.permissions import User
from station.ui.signin import PinForm

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits `idle` once the application had no input for `minutes`."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        assert app is not None, "an idle watcher watches a running application"
        app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.start(int(minutes * 60_000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.minutes > 0:
            self.timer.start()
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()


class LockScreen(QDialog):
    """Covers the window; emits `unlocked(User)` when a user signs in again."""

    unlocked = Signal(object)

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setWindowTitle(self.tr("Locked"))
        self.setModal(True)
        self.user: User | None = None
        self.heading = QLabel(objectName="lockHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setStyleSheet("font-size: 22pt")
        self.form = PinForm(db, self)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.form.signed_in.connect(self._signed_in)

    def lock(self, user: User | None) -> None:
        """Show the lock over the parent window, asking for `user`'s PIN."""
        self.user = user
        name = user.name if user else ""
        self.heading.setText(
            self.tr("Locked. {name}, enter your PIN to go on.").format(name=name)
            if user
            else self.tr("Locked. Sign in to go on.")
        )
        self.form.reload(name)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.window().geometry())
        self.open()

    def take_scan(self, code: str) -> None:
        """While locked, a scan is a badge, never a packing scan."""
        self.form.take_name(code)

    @property
    def locked(self) -> bool:
        return self.isVisible()

    def _signed_in(self, user: User) -> None:
        self.user = user
        self.accept()
        self.unlocked.emit(user)

    def reject(self) -> None:
        """Esc and the close button leave the screen locked."""

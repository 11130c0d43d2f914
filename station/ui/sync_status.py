"""The upload status light for the status bar, its per-target dialog with the
needs-attention list, and the Qt-side owner of the uploader thread.

The light and its dialog read the queue on a SQLite connection of their own for
each look or action (a few indexed counts), closed at once; the uploader runs on
its own thread and connection (station.sync.worker), so neither ever blocks the
bench.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.app.database import open_connection
from station.app.permissions import PermissionDenied, PinLocked, Signer
from station.app.sync_status import Light, SyncStatus
from station.settings import Settings
from station.sync.config import SYNC_FILE
from station.sync.worker import UploaderThread
from station.ui.texts import pin_locked_text
from station.waybills.config import WAYBILLS_FILE
from station.waybills.worker import EwaybillThread

REFRESH_MS = 3000
COLOURS = {
    Light.OK: "#1b873f",
    Light.WARN: "#f2a900",
    Light.ERROR: "#c62828",
    Light.OFF: "#9e9e9e",
}


def age_text(iso_time: str | None, now: datetime | None = None) -> str:
    """'45 s', '12 min', '3 h', '2 d' since a stored UTC time; '-' for none."""
    if not iso_time:
        return "-"
    then = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    seconds = max(0, int(((now or datetime.now(UTC)) - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def not_set_up_text(folder: Path, waiting: int) -> str:
    """Said by the status light, its dialog and the dashboard when no upload target is
    set up (the CLI says the same: station.sync.config.NOT_SET_UP)."""
    return QCoreApplication.translate(
        "SyncStatus",
        "Uploads not set up: {path} names no upload target. Add one ([[targets]], see the "
        'README, "Orders, carriers and uploads"); until then every shipment waits in the '
        "local queue ({waiting} waiting).",
    ).format(path=folder / SYNC_FILE, waiting=waiting)


class SyncStatusWidget(QWidget):
    """Status-bar light: online/offline, queued, oldest queued age, last success.
    A click opens the per-target dialog."""

    def __init__(self, db_path: Path, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.db_path = Path(db_path)
        self.folder = settings.path.parent if settings.path else self.db_path.parent
        self.station: str = settings["station.name"]
        self.hub_url: str = settings["hub.url"]
        self.dot = QLabel("●", objectName="syncDot")
        self.text = QLabel(objectName="syncText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.dot)
        layout.addWidget(self.text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.colour = Light.OFF
        self.timer = QTimer(self, interval=REFRESH_MS, timeout=self.refresh)
        self.timer.start()
        self.refresh()

    @contextmanager
    def uploads(self) -> Iterator[SyncStatus]:
        """The use case on a connection of its own, closed after one look or action
        (as the dashboard's): neither the light nor its dialog holds one open in
        between, however they are dropped (a status-bar widget never gets a close
        event of its own)."""
        db = open_connection(self.db_path)
        try:
            yield SyncStatus(db, self.folder, self.station, hub_url=self.hub_url)
        finally:
            db.close()

    def refresh(self) -> None:
        with self.uploads() as uploads:
            status = uploads.status()
        if status.config_error:
            self._show(Light.ERROR, self.tr("Upload settings wrong"), status.config_error)
            return
        if not status.set_up:
            how = not_set_up_text(self.folder, status.waiting_locally)
            self._show(Light.OFF, self.tr("Upload: not set up"), how)
            return
        totals = status.totals
        state = self.tr("online") if totals["online"] else self.tr("offline")
        text = self.tr("{state} · {queued} queued · oldest {age} · last sent {last}").format(
            state=state,
            queued=totals["queued"],
            age=age_text(totals["oldest_queued_at"]) if totals["queued"] else "-",
            last=age_text(totals["last_success_at"]),
        )
        if totals["needs_attention"]:
            text += " · " + self.tr("{n} need attention").format(n=totals["needs_attention"])
        errors = "\n".join(f"{s.name}: {s.last_error}" for s in status.targets if s.last_error)
        self._show(status.light, text, errors)

    def _show(self, colour: Light, text: str, tip: str) -> None:
        self.colour = colour
        self.dot.setStyleSheet(f"color: {COLOURS[colour]};")
        self.text.setText(text)
        self.setToolTip(tip or text)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.open_dialog()

    def open_dialog(self) -> SyncDialog:
        dialog = SyncDialog(self.uploads, self)
        dialog.finished.connect(self.refresh)
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)


class SyncDialog(QDialog):
    """Per-target state and the needs-attention list; a supervisor (PIN) retries a
    record after fixing its cause, or dismisses it with a reason."""

    def __init__(
        self,
        uploads: Callable[[], AbstractContextManager[SyncStatus]],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setWindowTitle(self.tr("Uploads"))
        self.uploads = uploads
        self.targets_table = QTableWidget(0, 7, objectName="syncTargets")
        self.targets_table.setHorizontalHeaderLabels(
            [
                self.tr("Target"),
                self.tr("State"),
                self.tr("Queued"),
                self.tr("In flight"),
                self.tr("Need attention"),
                self.tr("Last success"),
                self.tr("Last error"),
            ]
        )
        self.attention_table = QTableWidget(0, 5, objectName="syncAttention")
        self.attention_table.setHorizontalHeaderLabels(
            [
                self.tr("Record"),
                self.tr("Target"),
                self.tr("Order"),
                self.tr("Waybill"),
                self.tr("Why"),
            ]
        )
        self.attention_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for table in (self.targets_table, self.attention_table):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        self.pin = QLineEdit(objectName="syncPin", placeholderText=self.tr("Supervisor PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(objectName="syncReason", placeholderText=self.tr("Reason"))
        self.retry_button = QPushButton(self.tr("Retry"), objectName="syncRetry")
        self.dismiss_button = QPushButton(self.tr("Dismiss"), objectName="syncDismiss")
        self.feedback = QLabel(objectName="syncFeedback")
        self.retry_button.clicked.connect(self.retry_selected)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        actions = QHBoxLayout()
        for widget in (self.pin, self.reason, self.retry_button, self.dismiss_button):
            actions.addWidget(widget)
        self.not_set_up = QLabel(objectName="syncNotSetUp", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.not_set_up)
        layout.addWidget(self.targets_table)
        layout.addWidget(QLabel(self.tr("Needs attention")))
        layout.addWidget(self.attention_table)
        layout.addLayout(actions)
        layout.addWidget(self.feedback)
        self.resize(900, 500)
        self.reload()

    def reload(self) -> None:
        with self.uploads() as uploads:
            status = uploads.status()
            rows = uploads.attention()
        if status.config_error:
            self.not_set_up.setText(status.config_error)
        elif not status.set_up:
            self.not_set_up.setText(not_set_up_text(uploads.folder, status.waiting_locally))
        self.not_set_up.setVisible(bool(status.config_error) or not status.set_up)
        self.targets_table.setRowCount(len(status.targets))
        for row, s in enumerate(status.targets):
            state = {True: self.tr("online"), False: self.tr("offline"), None: "-"}[s.online]
            values = [
                f"{s.name} ({s.kind})",
                state,
                str(s.queued),
                str(s.in_flight),
                str(s.needs_attention),
                s.last_success_at or "-",
                s.last_error,
            ]
            for column, value in enumerate(values):
                self.targets_table.setItem(row, column, QTableWidgetItem(value))
        self.attention_table.setRowCount(len(rows))
        for row, a in enumerate(rows):
            values = [str(a.outbox_id), a.target, a.order_no, a.tracking_no, a.note]
            for column, value in enumerate(values):
                self.attention_table.setItem(row, column, QTableWidgetItem(value))

    def selected(self) -> tuple[str, int] | None:
        row = self.attention_table.currentRow()
        if row < 0:
            return None
        return self.attention_table.item(row, 1).text(), int(
            self.attention_table.item(row, 0).text()
        )

    def _supervisor(self) -> Signer | None:
        try:
            with self.uploads() as uploads:
                return uploads.supervisor(self.pin.text())
        except PinLocked as locked:
            self.feedback.setText(pin_locked_text(locked))
        except PermissionDenied:
            self.feedback.setText(self.tr("Wrong PIN or not a supervisor."))
        return None

    def retry_selected(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        supervisor = self._supervisor()
        if supervisor is None:
            return False
        with self.uploads() as uploads:
            done = uploads.retry(*chosen, supervisor)
        self.feedback.setText(self.tr("Queued again.") if done else self.tr("Nothing to retry."))
        self.reload()
        return done

    def dismiss_selected(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        if not self.reason.text().strip():
            self.feedback.setText(self.tr("Say why it is dismissed."))
            return False
        supervisor = self._supervisor()
        if supervisor is None:
            return False
        with self.uploads() as uploads:
            done = uploads.dismiss(*chosen, supervisor, self.reason.text())
        self.feedback.setText(self.tr("Dismissed.") if done else self.tr("Nothing to dismiss."))
        self.reload()
        return done


class UploaderRunner(QObject):
    """Owns the uploader thread for the app: `start()` with the window, `wake()`
    after each recorded shipment, `stop()` on quit. `stopped(reason)` arrives on
    the GUI thread if the uploader ends by itself (e.g. `station sync run` holds
    the queue already)."""

    stopped = Signal(str)

    def __init__(self, folder: Path, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.settings = settings
        self.uploads: UploaderThread | None = None
        """The uploader thread (not `thread`, which hid QObject.thread())."""
        self.ewaybills: EwaybillThread | None = None
        """E-waybills taken ahead in the background when waybills.toml exists."""

    def start(self) -> None:
        if self.ewaybills is None and (self.folder / WAYBILLS_FILE).exists():
            self.ewaybills = EwaybillThread(self.folder, self.settings)
            self.ewaybills.start()
        if not self.settings["sync.enabled"] or self.uploads is not None:
            return
        self.uploads = UploaderThread(self.folder, self.settings, on_stopped=self.stopped.emit)
        self.uploads.start()

    def wake(self) -> None:
        if self.uploads is not None:
            self.uploads.wake()

    def stop(self) -> None:
        if self.ewaybills is not None:
            self.ewaybills.stop()
            self.ewaybills = None
        if self.uploads is not None:
            self.uploads.stop()
            self.uploads = None

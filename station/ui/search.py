"""Search and fix: find a shipment, reprint its label or void it (supervisor).

Type or scan an order number, waybill number, the start of the recipient's name
or the last four digits of the phone, then Enter. Up/Down pick a result; F5
reprints and F8 voids it, each after a supervisor's PIN and a reason.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.app.permissions import PermissionDenied, PinLocked
from station.app.reprint import LabelPrinter, Reprint, Reprinted, ReprintRefused
from station.app.search import Found, Search
from station.app.void import Void, VoidRefused
from station.core.masking import mask_name, mask_phone
from station.core.times import local_time
from station.runner import Runner, SyncRunner
from station.settings import Settings
from station.ui.tables import fit_columns
from station.ui.texts import pin_locked_text


class SupervisorPrompt(QDialog):
    """A supervisor's PIN and a reason (and, for a void, whether to re-pack)."""

    def __init__(self, title: str, with_repack: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pin_edit = QLineEdit(objectName="pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r".{0,128}")))
        self.reason_edit = QLineEdit(objectName="reason")
        self.repack_box = QCheckBox(self.tr("&Re-pack the order (open it again)"))
        self.repack_box.setVisible(with_repack)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Supervisor &PIN"), self.pin_edit)
        form.addRow(self.tr("Rea&son"), self.reason_edit)
        form.addRow(self.repack_box)
        form.addRow(buttons)
        self.pin_edit.returnPressed.connect(self.reason_edit.setFocus)
        self.reason_edit.returnPressed.connect(self.accept)


class SearchDialog(QDialog):
    COLUMNS = 10

    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        printer: LabelPrinter,
        parent: QWidget | None = None,
        runner: Runner | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(self.tr("Find a shipment"))
        self.finder = Search(db)
        self.reprints = Reprint(db, settings, printer, runner or SyncRunner())
        self.voids = Void(db, settings)
        self.results: list[Found] = []
        self.query_edit = QLineEdit(objectName="searchQuery")
        self.query_edit.setPlaceholderText(
            self.tr("Order no., waybill no., recipient name or last 4 phone digits")
        )
        self.query_edit.returnPressed.connect(lambda: self.search(self.query_edit.text()))
        self.table = QTableWidget(0, self.COLUMNS, objectName="searchResults")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Order"),
                self.tr("Waybill"),
                self.tr("Carrier"),
                self.tr("Recipient"),
                self.tr("Phone"),
                self.tr("Recorded"),
                self.tr("Station"),
                self.tr("Packer"),
                self.tr("Prints"),
                self.tr("State"),
            ]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        fit_columns(self.table)
        self.status = QLabel(objectName="searchStatus")
        self.status.setWordWrap(True)
        reprint = QPushButton(self.tr("Reprint (F5)"), clicked=self._reprint_clicked)
        void = QPushButton(self.tr("Void (F8)"), clicked=self._void_clicked)
        for button in (reprint, void):  # Enter in the search box searches, nothing more
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(reprint)
        buttons.addWidget(void)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("F5"), self, activated=self._reprint_clicked)
        QShortcut(QKeySequence("F8"), self, activated=self._void_clicked)
        QShortcut(QKeySequence("Down"), self.query_edit, activated=self.table.setFocus)
        self.resize(1100, 480)

    def take_scan(self, code: str) -> None:
        """A scanned order or waybill number is looked up at once."""
        self.query_edit.setText(code)
        self.search(code)

    def search(self, text: str) -> list[Found]:
        self.results = self.finder.find(text)
        self.table.setRowCount(len(self.results))
        for row, found in enumerate(self.results):
            self._fill_row(row, found)
        if self.results:
            self.table.selectRow(0)
            self.table.setFocus()
        self.status.setText(self.tr("{count} shipments found.").format(count=len(self.results)))
        return self.results

    def _fill_row(self, row: int, found: Found) -> None:
        state = (
            self.tr("voided by {who}: {why}").format(who=found.voided_by, why=found.void_reason)
            if found.voided
            else found.label_status
        )
        cells = (
            found.order_no,
            found.tracking_no,
            found.carrier,
            mask_name(found.recipient_name),
            mask_phone(found.recipient_phone),
            local_time(found.recorded_at),
            found.station,
            found.packer,
            str(found.print_count),
            state,
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if found.voided:
                item.setForeground(Qt.GlobalColor.gray)
            self.table.setItem(row, column, item)

    def selected(self) -> Found | None:
        row = self.table.currentRow()
        return self.results[row] if 0 <= row < len(self.results) else None

    def reprint_selected(self, pin: str, reason: str) -> bool:
        """Reprint the selected shipment's label if the PIN is a supervisor's."""
        found = self.selected()
        if found is None or found.voided:
            self.status.setText(self.tr("Pick a shipment that is not voided."))
            return False
        try:
            signer = self.reprints.supervisor(pin)
            self.reprints.supervised(found.shipment_id, signer, reason, self._reprinted)
        except PinLocked as locked:
            self.status.setText(pin_locked_text(locked))
            return False
        except PermissionDenied:
            self.status.setText(self.tr("Wrong PIN or not a supervisor. Nothing was printed."))
            return False
        except ReprintRefused as refused:
            self.status.setText(str(refused))
            return False
        return True

    def _reprinted(self, reprinted: Reprinted) -> None:
        if reprinted.printed:
            self.status.setText(
                self.tr("Label reprinted for {tracking_no} (printed {count} times).").format(
                    tracking_no=reprinted.tracking_no, count=reprinted.count
                )
            )
            self.search(self.query_edit.text() or reprinted.tracking_no)
        else:
            self.status.setText(
                self.tr("Label for {tracking_no} NOT printed: {reason}").format(
                    tracking_no=reprinted.tracking_no, reason=reprinted.error
                )
            )

    def void_selected(self, pin: str, reason: str, repack: bool) -> bool:
        found = self.selected()
        if found is None:
            return False
        try:
            voided = self.voids.void(found.shipment_id, self.voids.supervisor(pin), reason, repack)
        except PinLocked as locked:
            self.status.setText(pin_locked_text(locked))
            return False
        except PermissionDenied:
            self.status.setText(self.tr("Wrong PIN or not a supervisor. Nothing was voided."))
            return False
        except VoidRefused as exc:
            self.status.setText(str(exc))
            return False
        self.search(self.query_edit.text() or voided.tracking_no)
        done = self.tr("{tracking_no} voided; its waybill number will not be used again.")
        then = (
            self.tr("Order {order_no} is open again: pack it anew.")
            if voided.repack
            else self.tr("Order {order_no} stays shipped: no new parcel.")
        )
        self.status.setText(
            " ".join((done, then)).format(tracking_no=voided.tracking_no, order_no=voided.order_no)
        )
        return True

    def _prompt(self, title: str, with_repack: bool) -> dict[str, Any] | None:
        prompt = SupervisorPrompt(title, with_repack, self)
        if prompt.exec() != QDialog.DialogCode.Accepted:
            return None
        return {
            "pin": prompt.pin_edit.text(),
            "reason": prompt.reason_edit.text().strip(),
            "repack": prompt.repack_box.isChecked(),
        }

    def _reprint_clicked(self) -> None:
        if self.selected() is None:
            return
        answers = self._prompt(self.tr("Reprint: supervisor"), with_repack=False)
        if answers is not None:
            self.reprint_selected(answers["pin"], answers["reason"])

    def _void_clicked(self) -> None:
        if self.selected() is None:
            return
        answers = self._prompt(self.tr("Void: supervisor"), with_repack=True)
        if answers is not None:
            self.void_selected(**answers)

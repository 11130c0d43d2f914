"""Courier handover mode: scan each parcel as it goes into the courier's bag.

Pick the carrier (Alt+C) and start (Enter); the scan field keeps the focus, so
a scanner drives it. Missing and unexpected parcels are listed all the time;
Delete takes the selected parcel back out. Finishing (Ctrl+Return) with
anything missing or unexpected asks first, then records the handover and can
save the manifest of what went into the bag as PDF or CSV.

With a hub the dock checks every scan against the whole warehouse; a line under
the scan field says so, or that the hub is offline and only this bench's records
are checked.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.app.handover import DockPort, Handovers, Warehouse
from station.core.handover import Handover, Unexpected
from station.core.messages import Tone
from station.reporting.manifest import write_manifest
from station.ui.screen_fit import fitted
from station.ui.texts import TONE_COLOURS, message_text


class HandoverDialog(QDialog):
    scanned = Signal(object)
    """Every scan's Outcome, so the bench can sound it like any other result."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        station: str,
        parent: QWidget | None = None,
        days: int = 3,
        signed_by: str = "",
        dock: DockPort | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("handoverDialog")
        self.setWindowTitle(self.tr("Courier handover"))
        self.handovers = Handovers(db, station, days, dock=dock)
        self.signed_by = signed_by
        self.handover: Handover | None = None
        self.saved_id: int | None = None
        self.carrier_box = QComboBox(objectName="handoverCarrier")
        for choice in self.handovers.choices():
            label = f"{choice.name_zh} {choice.code}"
            self.carrier_box.addItem(
                f"{label} ({choice.waiting})" if choice.waiting else label, choice.code
            )
        self.start_button = QPushButton(self.tr("&Start"), objectName="handoverStart")
        self.start_button.clicked.connect(self.start)
        self.courier_edit = QLineEdit(objectName="handoverCourier")
        self.scan_edit = QLineEdit(objectName="handoverScan")
        self.scan_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scan_edit.returnPressed.connect(self._scanned)
        self.scan_edit.setEnabled(False)
        self.message = QLabel(objectName="handoverMessage")
        self.message.setWordWrap(True)
        self.warehouse = QLabel(objectName="handoverWarehouse")
        self.warehouse.setWordWrap(True)
        self.warehouse.setVisible(False)
        self.counts = QLabel(objectName="handoverCounts")
        self.missing_list = QListWidget(objectName="handoverMissing")
        self.bag_list = QListWidget(objectName="handoverBag")
        self.stray_list = QListWidget(objectName="handoverUnexpected")
        self.finish_button = QPushButton(self.tr("&Finish handover"), objectName="handoverFinish")
        self.finish_button.setEnabled(False)
        self.finish_button.clicked.connect(self._finish_clicked)
        self.manifest_button = QPushButton(self.tr("Save &manifest…"))
        self.manifest_button.setEnabled(False)
        self.manifest_button.clicked.connect(self._save_manifest_clicked)
        form = QFormLayout()
        form.addRow(self.tr("&Carrier"), self.carrier_box)
        form.addRow("", self.start_button)
        form.addRow(self.tr("C&ourier"), self.courier_edit)
        form.addRow(self.tr("Sc&an parcel"), self.scan_edit)
        lists = QGridLayout()
        for column, (title, widget) in enumerate(
            (
                (self.tr("Still missing"), self.missing_list),
                (self.tr("In the bag"), self.bag_list),
                (self.tr("Unexpected: take out"), self.stray_list),
            )
        ):
            lists.addWidget(QLabel(title), 0, column)
            lists.addWidget(widget, 1, column)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warehouse)
        layout.addWidget(self.message)
        layout.addWidget(self.counts)
        layout.addLayout(lists, 1)
        layout.addWidget(self.finish_button)
        layout.addWidget(self.manifest_button)
        self.resize(fitted(self, 1200, 650))  # three lists of waybill and order numbers
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._finish_clicked)
        QShortcut(QKeySequence.StandardKey.Delete, self, activated=self._take_out_selected)
        self.carrier_box.setFocus()

    def start(self) -> None:
        """Begin a handover of the chosen carrier's pending parcels."""
        self.handover = self.handovers.start(self.carrier_box.currentData())
        self.saved_id = None
        self.carrier_box.setEnabled(False)
        self.start_button.setEnabled(False)
        self.scan_edit.setEnabled(True)
        self.finish_button.setEnabled(True)
        self.scan_edit.setFocus()
        self.message.setText(
            self.tr("Scan each parcel as it goes into the bag: {count} expected.").format(
                count=len(self.handover.expected)
            )
        )
        self._show()

    def scan(self, code: str) -> None:
        assert self.handover is not None
        result = self.handovers.scan(self.handover, code, datetime.now().astimezone())
        background, colour = TONE_COLOURS[result.tone]
        self.message.setStyleSheet(f"background: {background}; color: {colour}; padding: 6px")
        self.message.setText(message_text(result.message))
        self._show()
        self.scanned.emit(result)

    def take_scan(self, code: str) -> None:
        """Scans while the dialog is up go into the courier's bag, not to the bench."""
        if self.scan_edit.isEnabled():
            self.scan(code)

    def _scanned(self) -> None:
        code = self.scan_edit.text().strip()
        self.scan_edit.clear()
        if code:
            self.scan(code)

    def _take_out_selected(self) -> None:
        if self.handover is None:
            return
        for widget in (self.stray_list, self.bag_list):
            item = widget.currentItem()
            if widget.hasFocus() and item is not None:
                self.handovers.take_out(self.handover, item.data(Qt.ItemDataRole.UserRole))
                self._show()
                return

    def _show(self) -> None:
        handover = self.handover
        assert handover is not None
        self._show_warehouse()
        self._fill(self.missing_list, [(p.tracking_no, p.order_no) for p in handover.missing])
        self._fill(self.bag_list, [(p.tracking_no, p.order_no) for p in handover.in_bag])
        self._fill(
            self.stray_list, [(s.tracking_no, self._why(s.why)) for s in handover.strays.values()]
        )
        self.counts.setText(
            self.tr(
                "{scanned} of {expected} in the bag, {missing} missing, {strays} unexpected"
            ).format(
                scanned=len(handover.scanned),
                expected=len(handover.expected),
                missing=len(handover.missing),
                strays=len(handover.strays),
            )
        )

    def _show_warehouse(self) -> None:
        """Which records the scans are checked against: the hub's, or (offline) only
        this bench's, in amber so nobody takes it for the warehouse's check."""
        state = self.handovers.warehouse
        self.warehouse.setVisible(state is not Warehouse.NONE)
        if state is Warehouse.ONLINE:
            self.warehouse.setStyleSheet("")
            self.warehouse.setText(self.tr("Hub online: every scan is checked for the warehouse."))
        elif state is Warehouse.OFFLINE:
            background, colour = TONE_COLOURS[Tone.WARN]
            self.warehouse.setStyleSheet(f"background: {background}; color: {colour}; padding: 4px")
            self.warehouse.setText(
                self.tr(
                    "Hub offline: scans are checked against this bench's records only. "
                    "The hub is told when the handover is finished, if it is back."
                )
            )

    def _why(self, why: Unexpected) -> str:
        return {
            Unexpected.UNKNOWN: self.tr("not a parcel of this station"),
            Unexpected.VOIDED: self.tr("voided: must not leave"),
            Unexpected.OTHER_CARRIER: self.tr("another carrier's parcel"),
            Unexpected.NOT_EXPECTED: self.tr("already handed over or too old"),
            Unexpected.UNRECORDED: self.tr("not recorded at the hub"),
            Unexpected.DOUBLE: self.tr("its order has two parcels: tell the supervisor"),
            Unexpected.HANDED_OVER: self.tr("already handed over"),
        }[why]

    @staticmethod
    def _fill(widget: QListWidget, rows: list[tuple[str, str]]) -> None:
        widget.clear()
        for tracking_no, detail in rows:
            widget.addItem(f"{tracking_no}  {detail}")
            widget.item(widget.count() - 1).setData(Qt.ItemDataRole.UserRole, tracking_no)

    def _finish_clicked(self) -> None:
        handover = self.handover
        if handover is None or self.saved_id is not None:
            return
        if not handover.complete:
            answer = QMessageBox.warning(
                self,
                self.tr("Handover not complete"),
                self.tr(
                    "{missing} parcels are missing and {strays} are unexpected. "
                    "Finish the handover anyway?"
                ).format(missing=len(handover.missing), strays=len(handover.strays)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.finish()

    def finish(self) -> int:
        """Record the handover as it stands; returns its id."""
        assert self.handover is not None
        self.saved_id = self.handovers.finish(
            self.handover, self.signed_by, self.courier_edit.text()
        )
        self.scan_edit.setEnabled(False)
        self.finish_button.setEnabled(False)
        self.manifest_button.setEnabled(True)
        self.message.setStyleSheet("")
        self.message.setText(
            self.tr("Handover recorded: {count} parcels for the courier.").format(
                count=len(self.handover.scanned)
            )
        )
        if self.handovers.clashes:
            background, colour = TONE_COLOURS[Tone.ERROR]
            self.message.setStyleSheet(f"background: {background}; color: {colour}; padding: 6px")
            self.message.setText(
                self.tr(
                    "Handover recorded, but the hub had these parcels handed over elsewhere "
                    "meanwhile: {parcels}. Take them back from the courier and tell the "
                    "supervisor."
                ).format(parcels=", ".join(self.handovers.clashes))
            )
        self._show_warehouse()
        self.manifest_button.setFocus()
        return self.saved_id

    def done(self, result: int) -> None:
        """Closing without finishing gives the bag's parcels back at the hub."""
        if self.handover is not None and self.saved_id is None:
            self.handovers.abandon()
        self.handovers.close()
        super().done(result)

    def save_manifest(self, path: Path) -> Path:
        assert self.handover is not None
        manifest = self.handovers.manifest(
            self.handover, courier=self.courier_edit.text(), shipper=self.signed_by
        )
        return write_manifest(manifest, path)

    def suggested_path(self) -> Path:
        """Where the save dialog proposes to put the manifest: the documents folder,
        named for the carrier and the handover's time."""
        assert self.handover is not None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        started = self.handover.started_at.strftime("%Y%m%d-%H%M")
        return Path(folder or Path.home()) / f"manifest-{self.handover.carrier}-{started}.pdf"

    def _save_manifest_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save manifest"),
            str(self.suggested_path()),
            self.tr("PDF (*.pdf);;CSV (*.csv)"),
        )
        if name:
            self.save_manifest(Path(name))

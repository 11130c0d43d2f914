"""The bench screen: what the packer looks at while scanning, weighing and labelling.

The window is the bench's listener. It redraws from the bench's state on every
`bench_changed`, shows and sounds every result, opens the supervisor dialog
when an override is asked for, and shows the label once it is printed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from printers import Waybill, preview_image
from station.bench import Bench
from station.core.messages import Outcome, Tone, outcome
from station.core.reading import ScaleLink
from station.core.session import OverrideKind, Phase
from station.hub.port import HubState
from station.runner import Runner
from station.ui.banner import MessageBanner
from station.ui.hub_light import HubLight
from station.ui.label_preview import LabelPreview, pil_to_qimage
from station.ui.order_panel import OrderPanel
from station.ui.override_dialog import OverrideDialog
from station.ui.phase_strip import PHASE_STEP, PhaseStrip
from station.ui.sound import SoundPlayer
from station.ui.texts import message_text
from station.ui.weight_panel import WeightPanel

log = logging.getLogger("station.ui.window")

SHEET_FILE = "barcodes.pdf"


class BenchWindow(QMainWindow):
    """The main window; implements `station.bench.BenchListener`.

    `feedback(Outcome)` repeats every result for the window's companions
    (uploader, dashboard, buyer notice)."""

    feedback = Signal(object)
    store_damaged = Signal()
    """Emit from any thread (housekeeping's) when the database failed its check:
    the bench stops taking parcels."""

    def __init__(
        self,
        bench: Bench,
        sound: SoundPlayer,
        printer_url: str,
        data_dir: Path,
        preview_runner: Runner | None = None,
    ):
        super().__init__()
        self.setObjectName("benchWindow")
        self.bench = bench
        self.sound = sound
        self.printer_url = printer_url
        self.data_dir = data_dir
        self.preview_runner = preview_runner or bench.runner
        self.layout_name = bench.settings["printer.layout"]
        self.override_dialog: OverrideDialog | None = None
        self.setWindowTitle(self.tr("Packing Station"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self._build_menu()
        self._disable_input_methods()
        bench.set_listener(self)
        self.store_damaged.connect(self._stop_for_damage)
        self.banner.show_outcome(bench.message)
        self.refresh()

    # -- BenchListener ----------------------------------------------------------

    def bench_changed(self) -> None:
        self.refresh()

    def bench_feedback(self, result: Outcome) -> None:
        self.banner.show_outcome(result)
        self.sound.play(result.tone)
        self.feedback.emit(result)

    def bench_override_requested(self, kind: OverrideKind) -> None:
        # Later, not now: the bench is still in the middle of handling the scan.
        QTimer.singleShot(0, lambda: self.open_override(kind))

    def bench_label_printed(self, shipment_id: int, waybill: Waybill, result: Any) -> None:
        layout = self.layout_name
        tracking_no = waybill.tracking_number
        self.preview_runner.submit(
            lambda: pil_to_qimage(preview_image(waybill, layout=layout)),
            lambda image: self._show_label(image, tracking_no),
            self._preview_failed,
        )

    @Slot()
    def _stop_for_damage(self) -> None:
        self.bench.halt(outcome(Tone.ERROR, "store_damaged"))

    # -- inputs -------------------------------------------------------------------

    def scan(self, code: str) -> Outcome | None:
        """A scan from any scanner. A dialog that takes scans (handover, search,
        sign-in, the lock screen) gets it while it is up; otherwise the bench does."""
        taker = getattr(QApplication.activeModalWidget(), "take_scan", None)
        if taker is not None:
            taker(code)
            return None
        return self.bench.scan(code)

    @property
    def override_open(self) -> bool:
        return self.override_dialog is not None and self.override_dialog.isVisible()

    def open_override(self, kind: OverrideKind) -> OverrideDialog:
        # The previous dialog is only deleted now: keys already on their way to it
        # (a key release after the number that closed it) must find it alive.
        previous, self.override_dialog = self.override_dialog, None
        if previous is not None:  # its `finished` is no cancel of the new one
            previous.reject()
            previous.deleteLater()
        dialog = OverrideDialog(kind, self, self._pin_refusal)
        dialog.finished.connect(lambda code: self._override_finished(dialog, code))
        self.override_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.pin_edit.setFocus()
        return dialog

    def _pin_refusal(self, pin: str) -> str | None:
        refusal = self.bench.override_pin_refusal(pin)
        return None if refusal is None else message_text(refusal.message)

    def _override_finished(self, dialog: OverrideDialog, code: int) -> None:
        if dialog is not self.override_dialog:  # replaced by a newer one: not cancelled
            return
        if code == OverrideDialog.DialogCode.Accepted:
            self.bench.override(dialog.pin, dialog.reason)
        else:
            self.bench.override_cancelled()

    def print_command_sheet(self) -> None:
        from station.sheets import write_sheet

        path = self.data_dir / SHEET_FILE
        try:
            write_sheet(self.bench.db, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Could not write {path}: {error}").format(path=path, error=exc),
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- drawing ------------------------------------------------------------------

    def refresh(self) -> None:
        bench = self.bench
        session = bench.session
        if session is None:
            self.pages.setCurrentWidget(self.idle)
            self._show_idle()
            done = bench.last is not None and bench.message.tone is Tone.DONE
            self.phases.set_step(4 if done else 0)
            expected = None
        else:
            if self.preview.image is not None:  # the last order's label: not this one's
                self.preview.clear_label()
            self.pages.setCurrentWidget(self.order_panel)
            confirming = session.phase is Phase.CONFIRM
            self.order_panel.show_order(session.order, session.progress, confirming)
            self.phases.set_step(PHASE_STEP[session.phase])
            expected = session.expected_grams
        self.weight.show_weight(bench.gate.link, bench.gate.latest, bench.rule, expected)
        self._show_shipment()
        self._show_status()

    def _show_idle(self) -> None:
        last = self.bench.last
        if last is None:
            self.last_label.setText("")
            return
        self.last_label.setText(
            self.tr("Last parcel: order {order_no}, {carrier} {tracking_no}, {grams} g").format(
                order_no=last.order.order_no,
                carrier=self.bench.carrier_name(last.carrier),
                tracking_no=last.tracking_no,
                grams=last.weight_g,
            )
        )

    def _show_shipment(self) -> None:
        session = self.bench.session
        if session is not None:
            if session.carrier is not None:
                code = session.carrier.code
            else:  # not weighed yet: what routing chooses at the expected weight
                code = self.bench.routed.carrier if self.bench.routed is not None else ""
            tracking = session.tracking_no
        elif self.bench.last is not None:
            code, tracking = self.bench.last.carrier, self.bench.last.tracking_no
        else:
            code, tracking = "", ""
        self.carrier_label.setText(
            self.tr("Carrier: {carrier}").format(carrier=self.bench.carrier_name(code) or "—")
        )
        self.tracking_label.setText(
            self.tr("Waybill: {tracking_no}").format(tracking_no=tracking or "—")
        )

    def _show_status(self) -> None:
        link = self.bench.gate.link
        names = {
            ScaleLink.CONNECTING: self.tr("connecting"),
            ScaleLink.CONNECTED: self.tr("connected"),
            ScaleLink.SILENT: self.tr("silent"),
            ScaleLink.BAD_DATA: self.tr("bad data"),
            ScaleLink.DISCONNECTED: self.tr("disconnected"),
            ScaleLink.NOT_SET: self.tr("not set"),
        }
        self.scale_status.setText(self.tr("Scale: {state}").format(state=names[link]))
        self.scale_status.setProperty("ok", link is ScaleLink.CONNECTED)
        self.scale_status.setStyleSheet(
            "" if link is ScaleLink.CONNECTED else "color: #c62828; font-weight: bold;"
        )

    def _show_label(self, image: QImage, tracking_no: str) -> None:
        if self.bench.session is None:  # drawn after the next order started: not shown
            self.preview.show_label(image, tracking_no)

    def _preview_failed(self, exc: BaseException) -> None:
        log.warning("label preview failed", exc_info=exc)
        self.preview.show_failure(self.tr("No preview: {error}").format(error=exc))

    # -- building -----------------------------------------------------------------

    def _build(self) -> None:
        self.banner = MessageBanner()
        self.phases = PhaseStrip()
        self.order_panel = OrderPanel(images_dir=self.data_dir / "images")
        self.idle = QWidget(objectName="idle")
        prompt = QLabel(self.tr("Scan an order"), objectName="idlePrompt")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.last_label = QLabel(objectName="lastParcel", wordWrap=True)
        self.last_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        idle_layout = QVBoxLayout(self.idle)
        idle_layout.addStretch(1)
        idle_layout.addWidget(prompt)
        idle_layout.addWidget(self.last_label)
        idle_layout.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.idle)
        self.pages.addWidget(self.order_panel)

        self.weight = WeightPanel()
        self.carrier_label = QLabel(objectName="carrier")
        self.tracking_label = QLabel(objectName="tracking")
        self.preview = LabelPreview()
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        side = QWidget(objectName="side")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.weight)
        side_layout.addWidget(self.carrier_label)
        side_layout.addWidget(self.tracking_label)
        side_layout.addWidget(self.preview, 1)

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self.banner, 0, 0, 1, 2)
        grid.addWidget(self.phases, 1, 0, 1, 2)
        grid.addWidget(self.pages, 2, 0)
        grid.addWidget(side, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)
        self.setCentralWidget(body)

        self.scale_status = QLabel(objectName="scaleStatus")
        bar = self.statusBar()
        bar.addWidget(self.scale_status)
        self.packer_label = QLabel(objectName="packerStatus")
        for label in (
            QLabel(self.tr("Printer: {url}").format(url=self.printer_url)),
            QLabel(self.tr("Station: {name}").format(name=self.bench.station)),
            self.packer_label,
        ):
            bar.addPermanentWidget(label)
        if self.bench.hub.status.state is not HubState.NONE:
            self.hub_light = HubLight(self.bench.hub.status)
            bar.addPermanentWidget(self.hub_light)
        self.set_packer(self.bench.packer)

    def set_packer(self, name: str) -> None:
        """Who is packing now: recorded on the next shipments and shown."""
        self.bench.packer = name
        self.packer_label.setText(self.tr("Packer: {name}").format(name=name))

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Bench"))
        sheet = QAction(self.tr("Print command sheet"), self)
        sheet.setShortcut(QKeySequence(Qt.Key.Key_F9))
        sheet.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        sheet.triggered.connect(self.print_command_sheet)
        menu.addAction(sheet)
        self.sheet_action = sheet
        menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def _disable_input_methods(self) -> None:
        """A Chinese input method would swallow scanned letters: none on the bench screen."""
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        for widget in self.findChildren(QWidget):
            widget.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.override_open and self.override_dialog is not None:
            self.override_dialog.reject()
        super().closeEvent(event)

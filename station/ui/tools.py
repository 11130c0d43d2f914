"""What the bench window offers besides packing: sign-in and lock, search and fix,
courier handover, the dashboard, imports, the upload queue, the buyer notice, the
products and their weights, the scale's settings, and zero and tare.

Each is a keyboard shortcut (listed in the Tools menu), so a supervisor at the
bench needs no mouse either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from printers import Printer
from station.app.database import database_path
from station.app.permissions import User
from station.app.settings_change import SettingsChange
from station.core.messages import RECORDED_KEYS, Outcome
from station.runner import Runner
from station.settings import Settings
from station.ui.buyer_notice import copy_buyer_notice
from station.ui.lock import IdleWatcher, LockScreen
from station.ui.main_window import BenchWindow
from station.ui.scale_bridge import ScaleSetup
from station.ui.screen_fit import fitted
from station.ui.signin import SignInDialog
from station.ui.sync_status import SyncStatusWidget, UploaderRunner

if TYPE_CHECKING:
    from station.ui.dashboard import DashboardWidget
    from station.ui.scale_settings import ScaleOwner

log = logging.getLogger("station.ui.tools")


class StationTools(QObject):
    """The Tools menu and the companions that follow the bench's results."""

    def __init__(
        self,
        window: BenchWindow,
        db: sqlite_utils.Database,
        data_dir: Path,
        settings: Settings,
        printer: Printer,
        runner: Runner,
    ):
        super().__init__(window)
        self.window = window
        self.db = db
        self.data_dir = data_dir
        self.settings = settings
        self.printer = printer
        self.runner = runner
        self.settings_change = SettingsChange(db, settings)
        """How a dialog changes settings: audited, saved, and told to `settings_changed`."""
        self.settings_change.subscribe(self.settings_changed)
        self.user: User | None = None
        self.scale: ScaleSetup | None = None
        self.scale_owner: ScaleOwner | None = None
        self.notice: QMessageBox | None = None
        self.dashboard: QDialog | None = None
        self.dashboard_widget: DashboardWidget | None = None
        self.sync_status = SyncStatusWidget(database_path(data_dir), settings, window)
        window.statusBar().addPermanentWidget(self.sync_status)
        self.uploader = UploaderRunner(data_dir, settings, self)
        self.uploader.stopped.connect(lambda reason: log.warning("uploader stopped: %s", reason))
        self.lock_screen = LockScreen(db, window)
        self.lock_screen.unlocked.connect(self._signed_in)
        self.idle = IdleWatcher(settings["lock.idle_minutes"], self)
        self.idle.idle.connect(self.lock)
        window.feedback.connect(self._after_result)
        self._build_menu()

    def start(self) -> None:
        self.uploader.start()
        if self.settings["station.require_sign_in"]:
            self.sign_in()

    def stop(self) -> None:
        self.idle.stop()
        self.uploader.stop()
        self.lock_screen.hide()
        # The status light gets no close event of its own when the window closes:
        # closed here, it closes its database connection.
        self.sync_status.close()
        if self.dashboard is not None:
            self.dashboard.close()

    # -- actions --------------------------------------------------------------

    def sign_in(self) -> None:
        user = SignInDialog.ask(self.db, self.window)
        if user is not None:
            self._signed_in(user)

    def lock(self) -> None:
        if not self.lock_screen.locked:
            self.lock_screen.lock(self.user)

    # The dialogs are imported when first opened: pyqtgraph and reportlab would
    # otherwise add half a second to every start of the bench.

    def search(self) -> None:
        from station.ui.search import SearchDialog

        _run_modal(SearchDialog(self.db, self.settings, self.printer, self.window, self.runner))

    def handover(self) -> QDialog:
        from station.hub.wiring import dock_port
        from station.ui.handover import HandoverDialog

        dialog = HandoverDialog(
            self.db,
            self.settings["station.name"],
            self.window,
            days=self.settings["handover.days"],
            signed_by=self.user.name if self.user else self.window.bench.packer,
            dock=dock_port(self.settings),
        )
        dialog.scanned.connect(lambda result: self.window.sound.play(result.tone))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_dashboard(self) -> None:
        from station.ui.dashboard import DashboardWidget

        if self.dashboard is None or self.dashboard_widget is None:
            dialog = QDialog(self.window)
            dialog.setWindowTitle(self.tr("Dashboard"))
            dialog.resize(fitted(self.window, 1100, 750))
            widget = DashboardWidget(
                database_path(self.data_dir),
                dialog,
                self.settings["dashboard.refresh_seconds"],
                sync_folder=self.settings.path.parent if self.settings.path else None,
                cost_alert_percent=self.settings["routing.cost_alert_percent"],
                low_balance=self.settings["ewaybill.low_balance"],
            )
            QVBoxLayout(dialog).addWidget(self._with_warehouse(widget, dialog))
            self.dashboard, self.dashboard_widget = dialog, widget
        self.dashboard_widget.refresh()
        self.dashboard.show()
        self.dashboard.raise_()

    def _with_warehouse(self, bench: QWidget, parent: QWidget) -> QWidget:
        """With a hub, the dashboard has a Warehouse tab beside this bench's figures."""
        url = self.settings["hub.url"]
        if not url:
            return bench
        from station.app.floor import Floor
        from station.ui.warehouse import DashboardTabs, WarehouseWidget

        floor = Floor(url, self.settings["hub.timeout_seconds"])
        return DashboardTabs(bench, WarehouseWidget(floor), parent)

    def import_orders(self) -> None:
        from station.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, self.data_dir, self.window)
        dialog.imported.connect(lambda _summary: self.window.refresh())
        _run_modal(dialog)

    def show_queue(self) -> None:
        self.sync_status.open_dialog()

    def copy_notice(self) -> str | None:
        bench = self.window.bench
        last = bench.last
        if last is None:
            return None
        return copy_buyer_notice(
            self.settings, last.order.order_no, last.carrier, last.tracking_no, bench.carriers
        )

    def show_products(self) -> None:
        from station.ui.products_view import ProductsView

        _run_modal(ProductsView(self.db, self.window.bench.rule, self.window))

    def scale_settings(self) -> None:
        from station.ui.scale_settings import ScaleSettingsDialog

        if self.scale_owner is None:
            return
        _run_modal(
            ScaleSettingsDialog(self.settings_change, self.user, self.scale_owner, self.window)
        )

    def settings_changed(self, settings: Settings) -> None:
        """Settings a dialog saved (through `settings_change`) reach the running
        station: these tools and the bench."""
        self.settings = settings
        self.window.bench.use_settings(settings)

    # -- the running scale -------------------------------------------------------

    def set_scale(self, setup: ScaleSetup | None) -> None:
        """The scale zero and tare go to (None: no scale)."""
        self.scale = setup

    def zero_scale(self) -> None:
        driver = self.scale.driver if self.scale is not None else None
        if driver is None:
            self._tell(self.tr("There is no scale: choose one in Tools, Scale settings."))
        elif not driver.supports_zero:
            self._tell(
                self.tr(
                    "The {protocol} protocol cannot zero the scale from here: "
                    "press ZERO on the scale itself."
                ).format(protocol=driver.protocol.name)
            )
        else:
            driver.zero()
            self.window.statusBar().showMessage(self.tr("Scale zeroed."), 5000)

    def tare_scale(self) -> None:
        driver = self.scale.driver if self.scale is not None else None
        if driver is None:
            self._tell(self.tr("There is no scale: choose one in Tools, Scale settings."))
        elif not driver.supports_tare:
            self._tell(
                self.tr(
                    "The {protocol} protocol cannot tare the scale from here: "
                    "press TARE on the scale itself."
                ).format(protocol=driver.protocol.name)
            )
        else:
            driver.tare()
            self.window.statusBar().showMessage(
                self.tr("Scale tared: it now shows the net weight."), 5000
            )

    def _tell(self, text: str) -> None:
        """A notice the user closes with Enter or Esc; it does not block the bench's event loop."""
        if self.notice is not None:
            self.notice.close()
        self.notice = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Scale"), text, parent=self.window
        )
        self.notice.open()

    # -- following the bench ---------------------------------------------------

    def _after_result(self, result: Outcome) -> None:
        if result.message.key not in RECORDED_KEYS:
            return
        self.uploader.wake()
        self.sync_status.refresh()
        if self.settings["notice.copy_after_shipment"]:
            self.copy_notice()
        shown = self.dashboard is not None and self.dashboard.isVisible()
        if shown and self.dashboard_widget is not None:
            self.dashboard_widget.refresh()

    def _signed_in(self, user: User) -> None:
        self.user = user
        self.window.set_packer(user.name)

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu(self.tr("&Tools"))
        entries: list[tuple[str, QKeySequence, Callable[[], object]]] = [
            (self.tr("Sign in"), QKeySequence(Qt.Key.Key_F2), self.sign_in),
            (self.tr("Lock screen"), QKeySequence("Ctrl+L"), self.lock),
            (self.tr("Find a shipment"), QKeySequence(Qt.Key.Key_F3), self.search),
            (self.tr("Courier handover"), QKeySequence(Qt.Key.Key_F10), self.handover),
            (self.tr("Dashboard"), QKeySequence(Qt.Key.Key_F11), self.show_dashboard),
            (self.tr("Upload queue"), QKeySequence(Qt.Key.Key_F12), self.show_queue),
            (self.tr("Import orders or products"), QKeySequence("Ctrl+I"), self.import_orders),
            (self.tr("Copy buyer notice"), QKeySequence("Ctrl+Shift+C"), self.copy_notice),
            (self.tr("Products and weights"), QKeySequence("Ctrl+P"), self.show_products),
            (self.tr("Scale settings"), QKeySequence("Ctrl+Shift+S"), self.scale_settings),
            (self.tr("Zero the scale"), QKeySequence("Ctrl+0"), self.zero_scale),
            (self.tr("Tare the scale"), QKeySequence("Ctrl+T"), self.tare_scale),
        ]
        self.actions: dict[str, QAction] = {}
        for text, keys, slot in entries:
            action = QAction(text, self.window)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[slot.__name__] = action


def _run_modal(dialog: QDialog) -> None:
    """Run a modal dialog, then let Qt delete it: each one opened from the menu holds
    its data (an import's plan is hundreds of MB) until then."""
    dialog.exec()
    dialog.deleteLater()

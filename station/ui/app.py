"""Starting the desktop app: Qt set-up, devices, the bench and its window."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from printers import PrinterError, open_printer, register_system_printing
from station.app.database import CANNOT_OPEN, DatabaseDamaged, close_cleanly, open_at_start
from station.bench import Bench
from station.housekeeping import Housekeeping
from station.hub.wiring import bench_port
from station.labels import printer_url
from station.logs import setup_logging
from station.paths import resource
from station.settings import Settings
from station.ui.crash import CrashHandler, route_qt_messages
from station.ui.demo_panel import DemoPanel
from station.ui.gc_collector import GuiThreadCollector
from station.ui.main_window import BenchWindow
from station.ui.runner import QtRunner
from station.ui.scale_bridge import ScaleBridge, ScaleKeeper, ScaleSetup
from station.ui.scanner import ScanDetector
from station.ui.serial_scanner import SerialScanner
from station.ui.single_instance import SingleInstance
from station.ui.sound import Backend, SoundPlayer
from station.ui.system_printing import QtSystemPrinting
from station.ui.tools import StationTools
from station.ui.translations import install_translators
from station.waybills.port import PrefetchedWaybills

CANNOT_START: tuple[type[Exception], ...] = (PrinterError, *CANNOT_OPEN)

log = logging.getLogger("station.ui.app")

FONT_FILE = ("fonts", "wqy-microhei.ttc")
STYLE_FILE = ("styles", "station.qss")


def load_font() -> str | None:
    """Register the bundled CJK font; its family name, or None if it cannot load."""
    font_id = QFontDatabase.addApplicationFont(str(resource(*FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load %s", resource(*FONT_FILE))
        return None
    return families[0]


def apply_style(app: QApplication, family: str | None) -> None:
    if family is not None:
        app.setFont(QFont(family, 14))
    path = resource(*STYLE_FILE)
    if path.exists():
        app.setStyleSheet(path.read_text(encoding="utf-8"))


def prepare_application(settings: Settings) -> QApplication:
    """The QApplication, with logging, translations, font and style in place."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QCoreApplication.setApplicationName("PackingStation")
        app = QApplication(sys.argv[:1])
    route_qt_messages()
    install_translators(app, settings["station.language"])
    apply_style(app, load_font())
    return app


@dataclass
class Station:
    """Everything the running bench is made of, so it can be stopped in order."""

    db: sqlite_utils.Database
    bench: Bench
    window: BenchWindow
    runner: QtRunner
    detector: ScanDetector
    bridge: ScaleBridge
    tools: StationTools
    serial_scanner: SerialScanner | None = None
    demo_panel: DemoPanel | None = None
    keeper: ScaleKeeper | None = None

    @property
    def scale(self) -> ScaleSetup | None:
        return None if self.keeper is None else self.keeper.setup

    def stop(self) -> None:
        self.tools.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.detector)
        if self.serial_scanner is not None:
            self.serial_scanner.stop()
        if self.keeper is not None:
            self.keeper.stop()
        self.runner.stop()
        # Results still on their way (a label just printed, a last reading) are
        # handled now, while the window and the database are still there.
        QCoreApplication.sendPostedEvents()
        self.bench.set_listener(None)
        self.bench.hub.close()
        register_system_printing(None)
        self.window.close()
        # Deleted now, on the GUI thread: left to Python's garbage collector, a
        # window could be destroyed later on whichever thread happens to collect.
        self.window.deleteLater()
        self.db.close()


def build_station(
    app: QApplication,
    data_dir: Path,
    settings: Settings,
    demo: bool,
    *,
    sound_backend: Backend | None = None,
    start_devices: bool = True,
) -> Station:
    """Open the database, printer and devices, and make the window (not shown yet).

    Raises PrinterError when the printer URL is unusable, DatabaseDamaged when the
    database fails its start-up check, StorageError when it cannot be written.
    """
    register_system_printing(QtSystemPrinting())
    url = printer_url(settings["printer.url"], data_dir)
    printer = open_printer(url, layout=settings["printer.layout"])
    db = open_at_start(data_dir)
    runner = QtRunner()
    bench = Bench(
        db, settings, printer, runner, waybills=PrefetchedWaybills(), hub=bench_port(db, settings)
    )
    sound = SoundPlayer(settings["sound.enabled"], sound_backend)
    window = BenchWindow(bench, sound, url, data_dir, preview_runner=runner)
    detector = ScanDetector(settings["scanner.max_key_gap_ms"], settings["scanner.min_length"])
    detector.install(app)
    detector.scanned.connect(window.scan)
    bridge = ScaleBridge(bench)
    tools = StationTools(window, db, data_dir, settings, printer, runner)
    station = Station(db, bench, window, runner, detector, bridge, tools)
    if not start_devices:
        return station
    station.keeper = keeper = ScaleKeeper(bridge, simulate=demo or settings["scale.simulate"])
    tools.scale_owner = keeper
    keeper.changed.connect(tools.set_scale)
    keeper.start(settings)
    if station.scale is not None and station.scale.simulator is not None:
        panel = station.demo_panel = DemoPanel(bench, station.scale.simulator, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
        keeper.changed.connect(lambda setup: setattr(panel, "scale", setup.simulator))
    if settings["scanner.serial_port"]:
        station.serial_scanner = SerialScanner(
            settings["scanner.serial_port"], settings["scanner.serial_baud"]
        )
        station.serial_scanner.scanned.connect(window.scan)
        station.serial_scanner.start()
    return station


def run_app(
    data_dir: Path,
    settings: Settings,
    demo: bool,
    smoke: bool = False,
    tile: tuple[int, int] | None = None,
) -> int:
    """Run the packing bench until its window closes (or SIGTERM); the exit code.

    With `smoke` the window opens, "ready" is printed once it is up, and the
    app quits: the installer's and the start-up benchmark's check. With `tile`
    (K, N) the window takes column K of N of the screen and shows the station's name.
    """
    app = prepare_application(settings)
    setup_logging(data_dir)
    crash = CrashHandler(data_dir)
    crash.install()
    instance = SingleInstance(data_dir)
    if not instance.is_primary():
        log.info("another station already runs on %s; asked it to come forward", data_dir)
        print(f"The station is already running on {data_dir}; its window was brought forward.")
        return 0
    try:
        station = build_station(app, data_dir, settings, demo)
    except CANNOT_START as exc:
        return _cannot_start(exc, smoke)
    window = station.window
    instance.activate_requested.connect(lambda: _bring_forward(window))
    if tile is None:
        # Without a window manager (kiosk X sessions) "maximized" alone does nothing.
        window.setGeometry(app.primaryScreen().availableGeometry())
        window.showMaximized()
    else:
        show_tiled(station, app, tile, settings["station.name"])
    window.activateWindow()
    undo_sigterm = quit_on_sigterm(app)
    housekeeping = watched_housekeeping(station, data_dir, settings)
    collector = GuiThreadCollector(app)
    collector.start()
    if smoke:

        def ready_then_quit() -> None:
            _report_ready()
            app.quit()

        QTimer.singleShot(0, ready_then_quit)
    else:
        housekeeping.start()
        QTimer.singleShot(0, station.tools.start)
    try:
        return app.exec()
    finally:
        undo_sigterm()
        housekeeping.stop()
        station.stop()
        collector.stop()
        close_cleanly(data_dir)
        instance.close()


def show_tiled(station: Station, app: QApplication, tile: tuple[int, int], name: str) -> None:
    """The window in column K of N of the screen, its title naming the station. The
    demo scale's panel goes under the bench and the status bar's parts may be cut
    short, so three benches fit side by side on a 1920-pixel screen."""
    column, count = tile
    window = station.window
    if station.demo_panel is not None:
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, station.demo_panel)
    for part in window.statusBar().findChildren(QWidget):
        part.setMinimumWidth(1)
    area = app.primaryScreen().availableGeometry()
    width = area.width() // count
    window.setWindowTitle(f"{window.windowTitle()} · {name}")
    window.setGeometry(area.x() + (column - 1) * width, area.y(), width, area.height())
    window.show()


def quit_on_sigterm(app: QApplication) -> Callable[[], None]:
    """SIGTERM (a shutdown, the warehouse demo ending) quits like closing the window,
    so the database is closed cleanly. Python runs the handler only when it next gets
    control from Qt's loop: a light timer gives it that. Returns the undoing."""
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def undo() -> None:
        wake.stop()
        wake.deleteLater()
        signal.signal(signal.SIGTERM, previous)

    return undo


def watched_housekeeping(station: Station, data_dir: Path, settings: Settings) -> Housekeeping:
    """The daily chores, whose finding of a damaged database stops the bench."""
    return Housekeeping(
        data_dir, settings, on_damage=lambda _verdict: station.window.store_damaged.emit()
    )


def _report_ready() -> None:
    """The smoke run's report: "ready", then the peak memory where the OS tells it."""
    print("ready", flush=True)
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            print(f"peak_rss_kib {line.split()[1]}", flush=True)


def _cannot_start(exc: Exception, smoke: bool = False) -> int:
    """Say why the station cannot start: on stderr and, unless this is a smoke run
    (nobody there to close a dialog), in a dialog. Exit code 2."""
    title = QCoreApplication.translate("App", "Packing Station")
    if isinstance(exc, PrinterError):
        text = QCoreApplication.translate(
            "App", "The label printer cannot be used: {error}"
        ).format(error=exc)
    elif isinstance(exc, DatabaseDamaged):
        backup = exc.latest_backup
        text = QCoreApplication.translate(
            "App",
            "{error}\n\nNothing was written to it. Restore the latest backup with:\n"
            "station db restore {backup}",
        ).format(error=exc.message, backup=backup or QCoreApplication.translate("App", "(none)"))
    else:
        text = str(exc)
    log.error("cannot start: %s", exc)
    print(text, file=sys.stderr)
    if not smoke:
        QMessageBox.critical(None, title, text)
    return 2


def _bring_forward(window: BenchWindow) -> None:
    window.showMaximized()
    window.raise_()
    window.activateWindow()

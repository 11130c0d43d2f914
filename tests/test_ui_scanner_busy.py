"""Scanner bursts typed at 1-2 ms per key while the GUI thread is busy: none may be lost.

A busy GUI thread (a label preview being scaled, the dashboard refreshing, the
garbage collector) holds the keys a scanner types in the input queue, then
delivers them all at once; meanwhile the detector's own "no more keys" timer
falls due. The keys here are real key events typed into the focused widget,
and the busy work is real work on the GUI thread, run by a timer, between them.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from station.core.model import Contact, Product
from station.settings import Settings
from station.store.db import DB_FILE, connect
from station.store.orders import NewLine, save_order, save_products
from station.ui.app import build_station
from station.ui.scanner import ScanDetector

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-"


class BusyThread:
    """Blocks the GUI thread now and then, like a slow redraw or a GC pause: every
    `every_ms` (give or take half), for one of `pauses_ms`."""

    def __init__(self, rng: random.Random, every_ms: int, pauses_ms: tuple[int, ...]):
        self.rng = rng
        self.every_ms = every_ms
        self.pauses_ms = pauses_ms
        self.pauses = 0
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._work)

    def start(self) -> None:
        self.timer.start(self.rng.randint(self.every_ms // 2, self.every_ms * 3 // 2))

    def stop(self) -> None:
        self.timer.stop()

    def _work(self) -> None:
        self.pauses += 1
        time.sleep(self.rng.choice(self.pauses_ms) / 1000)
        self.start()


def codes(rng: random.Random, count: int) -> list[str]:
    return [
        "WX" + "".join(rng.choice(ALPHABET) for _ in range(rng.randint(6, 12)))
        for _ in range(count)
    ]


def pause(ms: int) -> None:
    """Let the event loop run (timers, the busy work), `ms` later type on."""
    QCoreApplication.processEvents()
    time.sleep(ms / 1000)
    QCoreApplication.processEvents()


def type_bursts(target: QWidget, rng: random.Random, wanted: list[str]) -> None:
    """Each code at 1-2 ms per key, then Enter, like a scanner."""
    for code in wanted:
        for char in code:
            QTest.keyClick(target, char)
            pause(rng.choice((1, 2)))
        QTest.keyClick(target, Qt.Key.Key_Return)
        pause(rng.choice((1, 2)))


@pytest.fixture
def detector(qapp):
    scanner = ScanDetector(max_gap_ms=30, min_length=3, idle_ms=400)
    scanner.install(qapp)
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    scanner.scans = scans
    yield scanner
    qapp.removeEventFilter(scanner)


def test_bursts_to_the_bench_screen_survive_a_busy_gui(qtbot, detector):
    """The bench screen reads no typing: a scan ends at Enter, however late its keys come."""
    rng = random.Random(16)
    window = QMainWindow()
    window.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.setFocus()
    busy = BusyThread(rng, 400, (450, 520, 600))
    busy.start()
    wanted = codes(rng, 300)
    type_bursts(window, rng, wanted)
    busy.stop()
    assert busy.pauses > 10
    qtbot.waitUntil(lambda: len(detector.scans) >= len(wanted), timeout=2000)
    assert detector.scans == wanted


def test_bursts_into_a_dialog_text_field_survive_a_busy_gui(qtbot, detector):
    """Where a field reads typing, a burst is told by its pace: a busy GUI must not
    make a scanner's pace look like a person's."""
    rng = random.Random(47)
    dialog = QDialog()
    field = QLineEdit()
    QVBoxLayout(dialog).addWidget(field)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field.setFocus()
    busy = BusyThread(rng, 100, (35, 50, 80, 120))
    busy.start()
    wanted = codes(rng, 800)
    type_bursts(field, rng, wanted)
    busy.stop()
    assert busy.pauses > 60
    qtbot.waitUntil(lambda: len(detector.scans) >= len(wanted), timeout=2000)
    assert detector.scans == wanted
    assert field.text() == ""


def test_the_bench_window_registers_every_order_scan_while_busy(
    qtbot, qapp, data_dir: Path, settings: Settings
):
    """The real bench (demo scale panel, dashboard open and refreshing every second):
    order and CANCEL scans at scanner speed while the GUI thread stalls now and then;
    every order scan starts its order, none is lost or split."""
    db = connect(data_dir / DB_FILE)
    save_products(db, [Product("CUP-500", "保温杯 500ml", ("6900000000021",), weight_g=410)])
    who = Contact("张三丰", "13812345678", "浙江省杭州市西湖区文三路 1 号", "浙江省", "杭州市")
    numbers = [f"WX2026{n:08d}" for n in range(60)]
    for number in numbers:
        save_order(db, number, who, [NewLine("CUP-500", "保温杯 500ml", 1)], carrier="ZTO")
    db.close()
    chosen = settings.with_values(station__language="en", dashboard__refresh_seconds=1)
    station = build_station(qapp, data_dir, chosen, demo=True, sound_backend=lambda path: None)
    heard: list[str] = []
    station.window.feedback.connect(lambda result: heard.append(result.message.key))
    try:
        station.window.resize(1366, 768)
        station.window.show()
        qtbot.waitExposed(station.window)
        station.tools.show_dashboard()
        station.window.activateWindow()
        station.window.setFocus()
        rng = random.Random(6)
        busy = BusyThread(rng, 300, (450, 520))
        busy.start()
        codes_typed = [code for number in numbers for code in (number, "CMD-CANCEL")]
        type_bursts(station.window, rng, codes_typed)
        busy.stop()
        qtbot.waitUntil(lambda: len(heard) >= len(codes_typed), timeout=5000)
    finally:
        station.stop()
    assert heard == ["order_started", "cancelled"] * len(numbers)

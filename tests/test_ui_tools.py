"""The bench window's companions: scans go to the dialog that is up, a locked
screen never packs, and a shipment puts the buyer notice on the clipboard."""

from __future__ import annotations

import test_ui_bench as ui
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from station.core.messages import Tone
from station.core.permissions import Role
from station.store.users import add_user
from station.ui.app import Station

station = ui.station
scan = ui.scan
TEA_EAN = ui.TEA_EAN


def burst(station: Station, code: str) -> None:
    """Keys at scanner speed into whatever has the focus, then Enter."""
    target = ui.focused(station)
    for char in code:
        QTest.keyClick(target, char, Qt.KeyboardModifier.NoModifier, 1)
    QTest.keyClick(target, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 1)


def test_a_locked_screen_takes_scans_as_badges_never_as_packing(qtbot, station: Station) -> None:
    tools = station.tools
    tools.lock()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is tools.lock_screen)
    burst(station, "WX-B")
    qtbot.waitUntil(lambda: tools.lock_screen.form.name_box.currentText() == "WX-B")
    assert station.bench.session is None
    assert station.bench.db.execute("SELECT count(*) FROM scan_events").fetchone()[0] == 0


def test_unlocking_signs_the_packer_in(qtbot, station: Station) -> None:
    add_user(station.bench.db, "小王", Role.PACKER, "5678")
    tools = station.tools
    tools.lock()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is tools.lock_screen)
    form = tools.lock_screen.form
    form.name_box.setEditText("小王")
    form.pin_edit.setText("5678")
    form.submit()
    assert not tools.lock_screen.locked
    assert station.bench.packer == "小王"
    assert "小王" in station.window.packer_label.text()


def test_scans_go_into_the_courier_bag_while_the_handover_is_up(qtbot, station: Station) -> None:
    scan(qtbot, station, "WX-B")
    scan(qtbot, station, TEA_EAN)
    bench = station.bench
    station.scale.simulator.set_grams(bench.session.expected_grams)
    qtbot.waitUntil(lambda: bench.last is not None, timeout=5000)
    tracking = bench.last.tracking_no
    dialog = station.tools.handover()
    dialog.carrier_box.setCurrentIndex(dialog.carrier_box.findData("ZTO"))
    dialog.start()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    assert tracking in dialog.handover.expected
    burst(station, tracking)
    qtbot.waitUntil(lambda: tracking in dialog.handover.scanned)
    heard = len(station.window.sound.played)
    burst(station, "NOT-A-PARCEL-123")
    qtbot.waitUntil(lambda: len(station.window.sound.played) > heard)
    assert station.window.sound.played[-1] is Tone.ERROR
    assert bench.session is None
    assert bench.message.message.key != "order_unknown"
    dialog.reject()


def test_a_shipment_puts_the_buyer_notice_on_the_clipboard(qtbot, station: Station) -> None:
    QGuiApplication.clipboard().clear()
    scan(qtbot, station, "WX-C")
    scan(qtbot, station, TEA_EAN)
    bench = station.bench
    station.scale.simulator.set_grams(bench.session.expected_grams)
    qtbot.waitUntil(lambda: bench.last is not None, timeout=5000)
    text = QGuiApplication.clipboard().text()
    assert bench.last.tracking_no in text
    assert "中通" in text


def test_every_tool_has_a_keyboard_shortcut(station: Station) -> None:
    shortcuts = {name: a.shortcut().toString() for name, a in station.tools.actions.items()}
    assert shortcuts["sign_in"] == "F2" and shortcuts["search"] == "F3"
    assert all(shortcuts.values())


def test_on_the_bench_screen_any_pace_up_to_enter_is_one_scan(qtbot, station: Station) -> None:
    """A burst slowed by a busy screen (or a code typed by hand) is still one scan."""
    station.window.activateWindow()
    station.window.setFocus()
    heard = len(station.window.sound.played)
    for char in "WX-B":
        QTest.keyClick(station.window, char, Qt.KeyboardModifier.NoModifier, 80)
    QTest.keyClick(station.window, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 80)
    qtbot.waitUntil(lambda: len(station.window.sound.played) > heard, timeout=3000)
    assert station.bench.message.message.key == "order_started"
    assert station.bench.session.order.order_no == "WX-B"
    assert len(station.window.sound.played) == heard + 1

"""The real bench window driven through whole orders with real key events at scanner speed.

Real SQLite file, real PDF printer on the runner thread, real scale path
(pty simulator -> driver thread -> bridge -> bench), keystrokes into whatever
has the keyboard focus, checks on the screen, the sounds and the database.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from station.core.messages import Tone
from station.core.model import Contact, OrderStatus, Product
from station.core.permissions import Role
from station.core.session import Phase
from station.settings import Settings
from station.store.db import DB_FILE, connect
from station.store.orders import NewLine, save_order, save_products
from station.store.pool import add_numbers
from station.store.users import add_user
from station.ui.app import Station, build_station

SUPERVISOR_PIN = "2468"
CUP_EAN = "6900000000014"
TEA_EAN = "6900000000045"
CUP_G, TEA_G, PACKAGING_G = 320, 290, 60


def seed(path: Path) -> None:
    db = connect(path)
    save_products(
        db,
        [
            Product("CUP-350", "保温杯 350ml", (CUP_EAN,), weight_g=CUP_G, category="fragile"),
            Product("TEA-LJ250", "龙井茶 250g", (TEA_EAN,), weight_g=TEA_G, category="food"),
        ],
    )
    who = Contact("张三丰", "13812345678", "浙江省杭州市西湖区文三路 1 号", "浙江省", "杭州市")
    cups = [NewLine("CUP-350", "保温杯 350ml", 2)]
    save_order(
        db,
        "WX-A",
        who,
        [*cups, NewLine("TEA-LJ250", "龙井茶 250g", 1)],
        buyer_note="请多放泡沫",
        carrier="ZTO",
    )
    for order_no in ("WX-B", "WX-C", "WX-D"):
        save_order(db, order_no, who, [NewLine("TEA-LJ250", "龙井茶 250g", 1)], carrier="ZTO")
    save_order(db, "WX-HOLD", who, cups, status=OrderStatus.HOLD.value, hold_reason="改地址")
    save_order(db, "WX-GONE", who, cups, status=OrderStatus.CANCELLED.value, hold_reason="买家取消")
    save_order(db, "WX-BACK", who, cups, status=OrderStatus.REFUNDED.value, hold_reason="已退款")
    add_numbers(db, "ZTO", [f"7356123450{n:04d}" for n in range(1, 20)])
    add_user(db, "王主管", Role.SUPERVISOR, SUPERVISOR_PIN)
    db.close()


class Sounds:
    def __init__(self) -> None:
        self.files: list[Path] = []

    def __call__(self, path: Path) -> None:
        self.files.append(path)


@pytest.fixture
def station(qtbot, qapp, data_dir: Path, settings: Settings):
    seed(data_dir / DB_FILE)
    chosen = settings.with_values(station__language="en", station__packer="李四")
    built = build_station(qapp, data_dir, chosen, demo=True, sound_backend=Sounds())
    window = built.window
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: built.bench.gate.connected, timeout=5000)
    yield built
    built.stop()


@pytest.fixture
def check_db(data_dir: Path):
    db = sqlite_utils.Database(data_dir / DB_FILE)
    yield db
    db.close()


def focused(station: Station) -> QWidget:
    return QApplication.focusWidget() or station.window


def scan(qtbot, station: Station, code: str, gap_ms: int = 1):
    """Type a code at scanner speed into the focused widget, Enter, and wait for the result."""
    heard = len(station.window.sound.played)
    target = focused(station)
    for char in code:
        QTest.keyClick(target, char, Qt.KeyboardModifier.NoModifier, gap_ms)
    QTest.keyClick(target, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, gap_ms)
    qtbot.waitUntil(lambda: len(station.window.sound.played) > heard, timeout=3000)
    return station.bench.message


def type_slowly(widget: QWidget, text: str, gap_ms: int = 60) -> None:
    for char in text:
        QTest.keyClick(widget, char, Qt.KeyboardModifier.NoModifier, gap_ms)


def put_on_scale(station: Station, grams: int) -> None:
    assert station.scale is not None and station.scale.simulator is not None
    station.scale.simulator.set_grams(Decimal(grams))


def expected_a() -> int:
    return 2 * CUP_G + TEA_G + PACKAGING_G


def pack_items_of_a(qtbot, station: Station) -> None:
    assert scan(qtbot, station, "WX-A").message.key == "order_started"
    assert scan(qtbot, station, CUP_EAN).message.key == "item_ok"
    assert scan(qtbot, station, "cup-350").message.key == "item_ok"
    assert scan(qtbot, station, TEA_EAN).message.key == "items_complete"


def wait_recorded_and_printed(qtbot, station: Station, order_no: str) -> None:
    qtbot.waitUntil(
        lambda: station.bench.last is not None and station.bench.last.order.order_no == order_no,
        timeout=5000,
    )
    qtbot.waitUntil(lambda: station.window.preview.image is not None, timeout=10000)
    qtbot.waitUntil(lambda: station.runner.idle, timeout=5000)


def test_unknown_order_is_refused_with_the_error_tone(qtbot, station):
    result = scan(qtbot, station, "WX-NOPE-1")
    assert result.tone is Tone.ERROR and result.message.key == "order_unknown"
    assert station.window.sound.last is Tone.ERROR
    assert "WX-NOPE-1" in station.window.banner.text()
    assert station.window.banner.property("tone") == "error"
    assert station.bench.session is None
    assert station.window.pages.currentWidget() is station.window.idle


@pytest.mark.parametrize(
    ("order_no", "key", "reason"),
    [
        ("WX-HOLD", "order_on_hold", "改地址"),
        ("WX-GONE", "order_cancelled", "买家取消"),
        ("WX-BACK", "order_refunded", "已退款"),
    ],
)
def test_blocked_orders_show_their_reason(qtbot, station, order_no, key, reason):
    result = scan(qtbot, station, order_no)
    assert result.message.key == key
    assert station.window.sound.last is Tone.ERROR
    assert reason in station.window.banner.text()
    assert station.bench.session is None


def test_whole_order_to_recorded_shipment_and_label(qtbot, station, check_db, data_dir):
    window = station.window
    pack_items_of_a(qtbot, station)
    panel = window.order_panel
    assert [panel.scanned_text(row) for row in range(2)] == ["2 / 2", "1 / 1"]
    assert "张*" in panel.recipient.text() and "138****5678" in panel.recipient.text()
    assert "13812345678" not in panel.recipient.text()
    assert "请多放泡沫" in panel.note.text() and panel.note.isVisibleTo(window)
    assert "Fragile" in panel.guide.text() and "Food" in panel.guide.text()
    assert window.phases.current == 2
    assert window.sound.last is Tone.DONE

    put_on_scale(station, expected_a() + 3)
    wait_recorded_and_printed(qtbot, station, "WX-A")

    last = station.bench.last
    assert last.weight_g == expected_a() + 3
    assert window.preview.tracking_no == last.tracking_no
    assert last.tracking_no in window.tracking_label.text()
    assert station.bench.message.message.key == "printed"
    row = next(check_db.query("SELECT * FROM shipments WHERE order_no = 'WX-A'"))
    assert (row["weight_g"], row["packer"], row["label_status"]) == (
        last.weight_g,
        "李四",
        "printed",
    )
    assert (
        check_db.execute(
            "SELECT count(*) FROM outbox WHERE shipment_id = ?", [row["id"]]
        ).fetchone()[0]
        == 1
    )
    kinds = [
        k
        for (k,) in check_db.execute(
            "SELECT kind FROM scan_events WHERE shipment_id = ? ORDER BY id", [row["id"]]
        )
    ]
    assert kinds == ["order", "item", "item", "item", "weight"]
    assert list((data_dir / "labels").glob("*.pdf"))

    again = scan(qtbot, station, "WX-A")
    assert again.message.key == "order_shipped"
    for shown in (last.tracking_no, "李四", station.bench.station):
        assert shown in window.banner.text()


def test_wrong_item_and_one_too_many_are_refused(qtbot, station):
    assert scan(qtbot, station, "WX-B").message.key == "order_started"
    wrong = scan(qtbot, station, CUP_EAN)
    assert wrong.tone is Tone.ERROR and wrong.message.key == "item_not_in_order"
    assert station.window.sound.last is Tone.ERROR
    assert station.window.order_panel.scanned_text(0) == "0 / 1"
    assert scan(qtbot, station, TEA_EAN).message.key == "items_complete"
    too_many = scan(qtbot, station, TEA_EAN)
    assert too_many.tone is Tone.ERROR
    assert station.bench.session.progress[0].scanned == 1


def test_out_of_tolerance_is_blocked_then_reweighed(qtbot, station, check_db):
    assert scan(qtbot, station, "WX-C").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, 900)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "weight_mismatch", timeout=5000)
    assert station.window.sound.last is Tone.ERROR
    assert station.bench.session.phase is Phase.WEIGHT_MISMATCH
    assert check_db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 0

    assert scan(qtbot, station, "CMD-REWEIGH").message.key == "weight_reweigh"
    put_on_scale(station, TEA_G + PACKAGING_G - 4)
    wait_recorded_and_printed(qtbot, station, "WX-C")
    assert station.bench.last.weight_g == TEA_G + PACKAGING_G - 4


def test_supervisor_override_with_keyboard_only(qtbot, station, check_db):
    assert scan(qtbot, station, "WX-D").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, 1200)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "weight_mismatch", timeout=5000)

    assert scan(qtbot, station, "CMD-OVERRIDE").message.key == "override_needed"
    qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
    dialog = station.window.override_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.pin_edit, timeout=2000)

    heard = len(station.window.sound.played)
    type_slowly(focused(station), SUPERVISOR_PIN)
    qtbot.waitUntil(lambda: dialog.pin == SUPERVISOR_PIN, timeout=2000)
    assert len(station.window.sound.played) == heard, "typing a PIN is not a scan"
    QTest.keyClick(focused(station), Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 60)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason_edit, timeout=2000)
    QTest.keyClick(focused(station), "2", Qt.KeyboardModifier.NoModifier, 60)

    wait_recorded_and_printed(qtbot, station, "WX-D")
    assert not station.window.override_open
    row = next(check_db.query("SELECT * FROM overrides WHERE order_no = 'WX-D'"))
    assert (row["kind"], row["supervisor"], row["subject"]) == ("weight", "王主管", "1200")
    assert row["reason"] == dialog.choices[1]


def test_wrong_pin_is_denied_and_escape_cancels(qtbot, station, check_db):
    assert scan(qtbot, station, "WX-D").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, 1200)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "weight_mismatch", timeout=5000)
    scan(qtbot, station, "CMD-OVERRIDE")
    qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
    dialog = station.window.override_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.pin_edit, timeout=2000)
    type_slowly(dialog.pin_edit, "9999")
    QTest.keyClick(dialog.pin_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 60)
    # Said at once, before any reason is asked for; the PIN field asks again.
    qtbot.waitUntil(lambda: station.bench.message.message.key == "override_denied", timeout=3000)
    assert station.window.override_open and not dialog.reason_edit.isEnabled()
    assert dialog.pin == "" and QApplication.focusWidget() is dialog.pin_edit
    assert station.bench.session.phase is Phase.WEIGHT_MISMATCH
    QTest.keyClick(dialog, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, 60)
    qtbot.waitUntil(lambda: not station.window.override_open, timeout=2000)

    scan(qtbot, station, "CMD-OVERRIDE")
    qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
    dialog = station.window.override_dialog
    QTest.keyClick(dialog, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, 60)
    qtbot.waitUntil(lambda: not station.window.override_open, timeout=2000)
    assert station.bench.session.phase is Phase.WEIGHT_MISMATCH
    assert station.bench.message.message.key == "override_cancelled"
    assert check_db.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_scan_while_dialog_text_field_has_focus_registers_and_is_swallowed(qtbot, station):
    assert scan(qtbot, station, "WX-D").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, 1200)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "weight_mismatch", timeout=5000)
    scan(qtbot, station, "CMD-OVERRIDE")
    qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
    dialog = station.window.override_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.pin_edit, timeout=2000)

    result = scan(qtbot, station, "CMD-CANCEL")
    assert result.message.key == "cancelled"
    assert dialog.pin == ""
    assert station.bench.session is None


def test_scale_unplugged_shows_in_the_status_bar(qtbot, station):
    assert station.scale is not None and station.scale.simulator is not None
    assert scan(qtbot, station, "WX-B").message.key == "order_started"
    station.scale.simulator.unplug()
    qtbot.waitUntil(lambda: not station.bench.gate.connected, timeout=5000)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "scale_down", timeout=5000)
    assert "disconnected" in station.window.scale_status.text()
    assert station.window.sound.last is Tone.ERROR
    station.scale.simulator.replug()
    qtbot.waitUntil(lambda: station.bench.gate.connected, timeout=10000)


def test_demo_panel_places_the_expected_weight(qtbot, station):
    assert station.demo_panel is not None
    assert scan(qtbot, station, "WX-B").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    QTest.keyClick(station.window, Qt.Key.Key_F5)
    wait_recorded_and_printed(qtbot, station, "WX-B")
    assert abs(station.bench.last.weight_g - (TEA_G + PACKAGING_G)) <= 5


def test_reprint_in_the_middle_of_another_order_is_refused_and_the_old_label_leaves(
    qtbot, station, check_db
):
    """The last order's label is no longer shown once the next order starts, and
    REPRINT then refuses: its label would go on the wrong parcel."""
    scan(qtbot, station, "WX-C")
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, TEA_G + PACKAGING_G)
    wait_recorded_and_printed(qtbot, station, "WX-C")
    qtbot.waitUntil(lambda: station.window.preview.image is not None, timeout=5000)
    put_on_scale(station, 0)
    assert scan(qtbot, station, "WX-D").message.key == "order_started"
    assert station.window.preview.image is None
    result = scan(qtbot, station, "CMD-REPRINT")
    assert result.message.key == "reprint_busy" and result.tone is Tone.ERROR
    assert "WX-D" in station.window.banner.text()
    qtbot.wait(200)
    prints = check_db.execute("SELECT print_count FROM shipments").fetchall()
    assert prints == [(1,)]
    assert station.window.preview.image is None


def test_a_second_override_opens_without_saying_cancelled(qtbot, station, check_db):
    assert scan(qtbot, station, "WX-D").message.key == "order_started"
    scan(qtbot, station, TEA_EAN)
    put_on_scale(station, 1200)
    qtbot.waitUntil(lambda: station.bench.message.message.key == "weight_mismatch", timeout=5000)
    for _ in range(2):
        scan(qtbot, station, "CMD-OVERRIDE")
        qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
        qtbot.wait(50)
        assert station.bench.message.message.key == "override_needed"
        QTest.keyClick(
            station.window.override_dialog, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, 60
        )
        qtbot.waitUntil(lambda: not station.window.override_open, timeout=2000)
        assert station.bench.message.message.key == "override_cancelled"
    scan(qtbot, station, "CMD-OVERRIDE")
    qtbot.waitUntil(lambda: station.window.override_open, timeout=2000)
    qtbot.wait(50)
    assert station.bench.message.message.key == "override_needed"

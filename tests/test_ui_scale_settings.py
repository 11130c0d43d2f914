"""The scale settings dialog against real simulated scales on ptys, and zero / tare
from the Tools menu reaching the simulator."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
import test_ui_bench as ui
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station.app.settings_change import SettingsChange
from station.core.permissions import Action, Role
from station.core.reading import ScaleLink
from station.devices.scale import ScaleSimulator
from station.settings import Settings
from station.store import audit
from station.store.users import add_user
from station.ui.app import Station
from station.ui.scale_settings import ScaleSettingsDialog

station = ui.station
ADMIN_PIN, SUPERVISOR_PIN = "97531357", "2468"


class Owner:
    """Stands in for the app: holds one port, records what the dialog asks of it."""

    def __init__(self, port: str | None) -> None:
        self.port = port
        self.released = 0
        self.restarts: list[Settings] = []

    def held_port(self) -> str | None:
        return self.port

    def release_scale(self) -> None:
        self.released += 1

    def restart_scale(self, settings: Settings) -> None:
        self.restarts.append(settings)


@pytest.fixture
def sim():
    with ScaleSimulator("ad", 1234) as simulator:
        yield simulator


def open_dialog(qtbot, settings, db, user, owner) -> ScaleSettingsDialog:
    dialog = ScaleSettingsDialog(SettingsChange(db, settings), user, owner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose(qtbot, dialog: ScaleSettingsDialog, port: str, protocol: str = "ad") -> None:
    dialog.port_box.setEditText("")
    qtbot.keyClicks(dialog.port_box.lineEdit(), port)
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData(protocol))


def shown(station: Station) -> int | None:
    latest = station.bench.gate.latest
    return None if latest is None else latest.whole_grams


def saved_file(settings: Settings) -> dict:
    assert settings.path is not None
    return tomllib.loads(settings.path.read_text(encoding="utf-8"))["scale"]


def test_live_reading_then_an_admin_saves_and_the_app_restarts_its_scale(
    qtbot, settings, db, sim
) -> None:
    admin = add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    owner = Owner(sim.port_path)
    dialog = open_dialog(qtbot, settings, db, admin, owner)
    assert not dialog.pin_edit.isVisible()
    choose(qtbot, dialog, sim.port_path)
    qtbot.waitUntil(lambda: dialog.grams_label.text() == "1234 g", timeout=5000)
    assert dialog.link is ScaleLink.CONNECTED and dialog.stable_label.text() == "stable"
    assert owner.released == 1
    sim.set_grams(2500)
    sim.set_unstable()
    qtbot.waitUntil(lambda: dialog.stable_label.text() == "in motion", timeout=5000)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.port_box.lineEdit(), Qt.Key.Key_Return)
    assert dialog.driver is None
    assert saved_file(settings)["port"] == sim.port_path
    [entry] = audit.entries(db, Action.SETTINGS)
    assert (entry.actor, entry.subject, entry.detail) == (
        "老板",
        "scale.port",
        {"old": "", "new": sim.port_path},
    )
    assert [s["scale.port"] for s in owner.restarts] == [sim.port_path]
    assert dialog.saved is owner.restarts[0]


def test_a_non_admin_is_refused_until_an_admin_pin_is_typed(qtbot, settings, db, sim) -> None:
    add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    add_user(db, "王主管", Role.SUPERVISOR, SUPERVISOR_PIN)
    packer = add_user(db, "李四", Role.PACKER, "1111")
    owner = Owner(None)
    dialog = open_dialog(qtbot, settings, db, packer, owner)
    assert dialog.pin_edit.isVisible()
    choose(qtbot, dialog, sim.port_path)
    qtbot.waitUntil(lambda: dialog.grams_label.text() == "1234 g", timeout=5000)
    dialog.baud_box.setCurrentIndex(dialog.baud_box.findData(19200))
    for pin in ("", SUPERVISOR_PIN):
        qtbot.keyClicks(dialog.pin_edit, pin)
        qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.saved is None
        assert "administrator" in dialog.error.text()
    assert audit.entries(db, Action.SETTINGS) == []
    assert saved_file(settings)["port"] == "" and owner.restarts == []
    qtbot.keyClicks(dialog.pin_edit, ADMIN_PIN)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    assert {e.subject: e.actor for e in audit.entries(db, Action.SETTINGS)} == {
        "scale.port": "老板",
        "scale.baud": "老板",
    }
    assert saved_file(settings)["baud"] == 19200
    assert owner.released == 0 and len(owner.restarts) == 1


def test_cancel_gives_the_app_its_port_back_with_the_old_settings(qtbot, settings, db, sim) -> None:
    owner = Owner(sim.port_path)
    dialog = open_dialog(qtbot, settings, db, None, owner)
    choose(qtbot, dialog, sim.port_path)
    qtbot.waitUntil(lambda: dialog.link is ScaleLink.CONNECTED, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.driver is None
    assert owner.released == 1 and owner.restarts == [settings]
    assert audit.entries(db, Action.SETTINGS) == []


def test_a_protocol_preselects_its_baud_and_parity_and_a_bad_pattern_is_explained(
    qtbot, settings, db
) -> None:
    dialog = open_dialog(qtbot, settings, db, None, Owner(None))
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData("toledo-8217"))
    assert (dialog.baud_box.currentData(), dialog.parity_box.currentData()) == (9600, "E")
    assert "Toledo 8217" in dialog.summary.text()
    dialog.parity_box.setCurrentIndex(dialog.parity_box.findData("O"))
    dialog.baud_box.setCurrentIndex(dialog.baud_box.findData(4800))
    chosen = dialog.candidate()
    assert (chosen["scale.baud"], chosen["scale.parity"]) == (4800, "O")
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData("xk3190-a9"))
    assert dialog.candidate()["scale.parity"] == "" and "no zero or tare" in dialog.summary.text()
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData("regex"))
    assert dialog.pattern_edit.isEnabled()
    dialog.pattern_edit.setText(r"W(?P<grams>\d+)")
    dialog.test()
    assert "weight" in dialog.error.text() and dialog.driver is None


def test_settings_from_the_dialog_reach_the_apps_own_scale(qtbot, station: Station) -> None:
    """In the demo the app's scale is a simulator: testing its port borrows it, saving
    restarts it with the new protocol, and the bench is connected again."""
    db = station.bench.db
    admin = add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    old = station.scale
    dialog = open_dialog(qtbot, station.tools.settings, db, admin, station.keeper)
    # Set, not typed: with the bench up, keys this fast would be taken for a scan.
    dialog.port_box.setEditText(old.simulator.port_path)
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData("mt-sics"))
    qtbot.waitUntil(lambda: dialog.link is ScaleLink.BAD_DATA, timeout=5000)
    dialog.protocol_box.setCurrentIndex(dialog.protocol_box.findData("ad"))
    qtbot.waitUntil(lambda: dialog.link is ScaleLink.CONNECTED, timeout=5000)
    dialog.dtr_box.setChecked(False)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert station.scale is not old and station.tools.scale is station.scale
    assert station.demo_panel.scale is station.scale.simulator
    qtbot.waitUntil(lambda: station.bench.gate.connected, timeout=5000)
    changed = {e.subject: e.detail["new"] for e in audit.entries(db, Action.SETTINGS)}
    assert changed == {"scale.port": old.simulator.port_path, "scale.dtr_rts": False}


def test_zero_and_tare_from_the_tools_menu_reach_the_scale(qtbot, station: Station) -> None:
    sim = station.scale.simulator
    sim.set_grams(Decimal(480))
    qtbot.waitUntil(lambda: shown(station) == 480, timeout=5000)
    station.tools.actions["zero_scale"].trigger()
    qtbot.waitUntil(lambda: sim.reading().grams == 0, timeout=5000)
    qtbot.waitUntil(lambda: shown(station) == 0, timeout=5000)
    sim.set_grams(Decimal(780))
    station.tools.actions["tare_scale"].trigger()
    qtbot.waitUntil(lambda: sim.reading().net, timeout=5000)
    assert sim.reading().grams == 0
    assert station.tools.notice is None


def test_zero_is_explained_not_sent_when_the_protocol_has_none(qtbot, station: Station) -> None:
    station.keeper.restart_scale(station.tools.settings.with_values(scale__protocol="xk3190-a9"))
    sim = station.scale.simulator
    sim.set_grams(Decimal(480))
    qtbot.waitUntil(lambda: shown(station) == 480, timeout=5000)
    station.tools.actions["zero_scale"].trigger()
    notice = station.tools.notice
    assert isinstance(notice, QMessageBox) and notice.isVisible()
    assert "xk3190-a9" in notice.text() and "ZERO" in notice.text()
    qtbot.keyClick(notice, Qt.Key.Key_Escape)
    assert not notice.isVisible()
    assert sim.reading().grams == 480


def test_settings_saved_from_the_tools_menu_reach_the_running_bench(
    qtbot, station: Station
) -> None:
    """The dialog as the menu opens it (modal): what it saves is what the bench and the
    tools hold afterwards, without a restart."""
    admin = add_user(station.bench.db, "老板", Role.ADMIN, ADMIN_PIN)
    station.tools.user = admin
    assert station.bench.settings["scale.dtr_rts"] is True

    def untick_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ScaleSettingsDialog)
        dialog.dtr_box.setChecked(False)
        dialog.save()

    QTimer.singleShot(0, untick_and_save)
    station.tools.actions["scale_settings"].trigger()
    assert station.bench.settings["scale.dtr_rts"] is False
    assert station.tools.settings["scale.dtr_rts"] is False
    assert Settings.load(station.bench.settings.path.parent)["scale.dtr_rts"] is False

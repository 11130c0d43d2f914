"""The hub light in the bench's status bar, and a bench window with a real hub."""

from __future__ import annotations

from pathlib import Path

from station.demo import seed
from station.hub import claims
from station.hub.db import connect
from station.hub.port import HubState, HubStatus
from station.settings import Settings
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite
from station.ui.app import build_station
from station.ui.hub_light import HubLight


def test_the_light_says_online_offline_since_when_and_why(qtbot) -> None:
    status = HubStatus()
    light = HubLight(status)
    qtbot.addWidget(light)
    assert light.text() == "Hub: not reached yet"
    status.online()
    light.refresh()
    assert light.text() == "Hub: online"
    status.offline("connection refused")
    light.refresh()
    assert light.text().startswith("Hub: offline since ")
    assert light.toolTip() == "connection refused"


def test_a_window_with_a_hub_claims_at_the_scan_and_shows_the_light(
    qtbot, qapp, data_dir: Path, settings: Settings, hub_url: str
) -> None:
    db = connect_sqlite(data_dir / DB_FILE)
    seed(db, orders=10)
    order_no = db.execute("SELECT order_no FROM orders WHERE status = 'open'").fetchone()[0]
    db.close()
    chosen = settings.with_values(
        station__language="en", hub__url=hub_url, sync__enabled=False, station__name="bench-7"
    )
    built = build_station(qapp, data_dir, chosen, demo=True, sound_backend=lambda path: None)
    try:
        light = built.window.findChild(HubLight)
        assert light is not None and light.text() == "Hub: not reached yet"
        built.window.scan(order_no)
        assert built.bench.session is not None
        light.refresh()
        assert built.bench.hub.status.state is HubState.ONLINE
        assert light.text() == "Hub: online"
        with connect(hub_url) as conn:
            assert claims.holder(conn, order_no).bench == "bench-7"
    finally:
        built.stop()


def test_a_window_without_a_hub_has_no_light(qtbot, qapp, data_dir: Path, settings: Settings):
    chosen = settings.with_values(station__language="en", sync__enabled=False)
    built = build_station(qapp, data_dir, chosen, demo=True, sound_backend=lambda path: None)
    try:
        assert built.window.findChild(HubLight) is None
    finally:
        built.stop()


def test_the_override_dialog_asks_for_an_offline_order(qtbot) -> None:
    from station.ui.override_dialog import OverrideDialog

    dialog = OverrideDialog("hub_offline")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Supervisor: pack this order while the hub is offline"
    assert dialog.choices[1] == "Urgent order, the hub is down"

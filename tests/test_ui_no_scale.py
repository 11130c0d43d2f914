"""With no scale configured the bench says so, and how to set one (not 'connecting…')."""

from __future__ import annotations

from pathlib import Path

from station.core.reading import ScaleLink
from station.settings import Settings
from station.ui.app import build_station


def test_no_scale_set_is_said_on_the_weight_panel_and_the_status_bar(
    qtbot, qapp, data_dir: Path, settings: Settings
):
    chosen = settings.with_values(station__language="en", scale__port="", scale__simulate=False)
    station = build_station(qapp, data_dir, chosen, demo=False, sound_backend=lambda path: None)
    try:
        window = station.window
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: station.bench.gate.link is ScaleLink.NOT_SET, timeout=2000)
        assert "No scale is set" in window.weight.state.text()
        assert "Scale settings" in window.weight.state.text()
        assert window.scale_status.text() == "Scale: not set"
    finally:
        station.stop()

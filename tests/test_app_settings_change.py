"""The settings change use case on a real SQLite file and settings file: only an
administrator, every value checked before anything is audited or written, each
changed key audited with its old and new value, the file replaced whole, and the
running bench told at once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.app.permissions import PermissionDenied
from station.app.settings_change import SettingsChange, SettingsError
from station.bench import Bench
from station.core.permissions import Action, Role
from station.settings import SETTINGS_FILE, Settings
from station.store import audit
from station.store.users import add_user

ADMIN_PIN = "97531357"


def on_disk(settings: Settings) -> dict:
    assert settings.path is not None
    return tomllib.loads(settings.path.read_text(encoding="utf-8"))


def test_an_admin_saves_each_change_audited_and_the_running_bench_hears_of_it(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    bench = Bench(db, settings, open_printer(f"pdf:{tmp_path / 'labels'}"))
    change = SettingsChange(db, settings)
    heard: list[Settings] = []
    change.subscribe(bench.use_settings)
    change.subscribe(heard.append)
    admin = change.admin(ADMIN_PIN)
    chosen = settings.with_values(weight__min_grams=25, station__name="bench-7", scale__baud=0)
    changes = change.changed(chosen, ("weight.min_grams", "station.name", "scale.baud"))
    assert changes == {"weight.min_grams": 25, "station.name": "bench-7"}
    saved = change.save(admin, "new bench", changes)
    assert (saved["weight.min_grams"], saved["station.name"]) == (25, "bench-7")
    assert on_disk(settings)["weight"]["min_grams"] == 25
    assert heard == [saved] and change.settings is saved
    assert bench.gate.min_grams == 25 and bench.station == "bench-7"
    entries = {e.subject: e for e in audit.entries(db, Action.SETTINGS)}
    assert set(entries) == {"weight.min_grams", "station.name"}
    entry = entries["weight.min_grams"]
    assert (entry.actor, entry.role, entry.reason) == ("老板", "admin", "new bench")
    assert entry.detail == {"old": settings["weight.min_grams"], "new": 25}


def test_a_change_refused_writes_audits_and_tells_nothing(
    db: sqlite_utils.Database, settings: Settings
) -> None:
    add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    supervisor = add_user(db, "王主管", Role.SUPERVISOR, "2468")
    change = SettingsChange(db, settings)
    heard: list[Settings] = []
    change.subscribe(heard.append)
    before = on_disk(settings)
    with pytest.raises(PermissionDenied):
        change.admin("2468")
    with pytest.raises(PermissionDenied):
        change.save(supervisor, "faster", {"lock.idle_minutes": 1})
    with pytest.raises(PermissionDenied):
        change.save(None, "nobody", {"lock.idle_minutes": 1})
    admin = change.admin(ADMIN_PIN)
    with pytest.raises(SettingsError, match=r"scale\.parity"):
        change.save(admin, "typo", {"lock.idle_minutes": 2, "scale.parity": "X"})
    with pytest.raises(SettingsError, match=r"scale\.speed is not a setting"):
        change.save(admin, "typo", {"scale.speed": 2})
    assert change.save(admin, "nothing", {}) is settings
    assert audit.entries(db, Action.SETTINGS) == []
    assert on_disk(settings) == before and heard == []
    assert change.settings is settings


def test_a_file_that_cannot_be_written_stays_whole_and_nobody_is_told(
    db: sqlite_utils.Database, settings: Settings, data_dir: Path
) -> None:
    """Written to a temporary file first, renamed over the old one only when whole:
    here the temporary file cannot be made (a folder is in its place)."""
    admin = add_user(db, "老板", Role.ADMIN, ADMIN_PIN)
    (data_dir / f".{SETTINGS_FILE}.partial").mkdir()
    text = (data_dir / SETTINGS_FILE).read_text(encoding="utf-8")
    change = SettingsChange(db, settings)
    heard: list[Settings] = []
    change.subscribe(heard.append)
    with pytest.raises(SettingsError, match="cannot write"):
        change.save(admin, "new port", {"scale.port": "/dev/ttyUSB1"})
    assert (data_dir / SETTINGS_FILE).read_text(encoding="utf-8") == text
    assert heard == [] and change.settings is settings
    # Logged but not saved is harmless; saved but not logged would not be.
    assert [e.subject for e in audit.entries(db, Action.SETTINGS)] == ["scale.port"]

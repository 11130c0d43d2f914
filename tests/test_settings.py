"""Settings: declared once, documented, typed, and the data folder resolved as promised."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from station.paths import data_dir
from station.settings import OPTIONS, Settings, SettingsError, default_file_text, settings_reference

ROOT = Path(__file__).resolve().parent.parent


def test_first_start_writes_a_valid_self_documenting_file(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    text = (tmp_path / "settings.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text)
    for option in OPTIONS:
        assert settings[option.key] == option.default
        assert option.description in text


def test_docs_settings_md_is_current() -> None:
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings_reference()


def test_wrong_type_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('[weight]\nmin_grams = "twenty"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"weight.min_grams must be int.*Default: 20"):
        Settings.load(tmp_path)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[weight\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"settings\.toml is not valid TOML"):
        Settings.load(tmp_path)


def test_save_keeps_other_values(tmp_path: Path) -> None:
    Settings.load(tmp_path)
    saved = Settings.load(tmp_path).save(scale__port="/dev/ttyUSB0")
    assert saved["scale.port"] == "/dev/ttyUSB0"
    assert saved["printer.url"] == "pdf:labels"
    assert tomllib.loads(default_file_text())


def test_data_dir_flag_beats_environment_beats_platform(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    assert data_dir() == (tmp_path / "env").resolve()
    monkeypatch.delenv("STATION_DATA_DIR")
    assert "PackingStation" in str(data_dir())


def test_cli_data_dir_and_environment(tmp_path: Path) -> None:
    env = {"STATION_DATA_DIR": str(tmp_path / "env"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "station", "db", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (tmp_path / "env").is_dir(), out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(tmp_path / "flag"), "db", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (tmp_path / "flag").is_dir(), out.stderr


def test_help_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "station", "--help"], capture_output=True, text=True, timeout=60
    )
    for command in (
        "run",
        "demo",
        "scale",
        "print",
        "orders",
        "products",
        "pool",
        "route",
        "sync",
        "report",
        "users",
        "db",
    ):
        assert f"    {command} " in out.stdout

"""Settings: declared once, documented, typed, and the data folder resolved as promised."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from station.paths import data_dir
from station.settings import (
    LABEL_LAYOUTS,
    OPTIONS,
    SCALE_PROTOCOLS,
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    default_file_text,
    settings_reference,
)

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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[scale]\nprotocol = "mettler"\n',
            r'scale\.protocol must be one of "mt-sics", .*"regex", '
            r'got "mettler"',
        ),
        ('[printer]\nlayout = "50x50"\n', r'printer\.layout must be one of .*got "50x50"'),
        (
            "[weight]\ntolerance_percent = 150\n",
            r"weight\.tolerance_percent must be at most 100, "
            r"got 150",
        ),
        ("[weight]\nmin_grams = -5\n", r"weight\.min_grams must be at least 0, got -5"),
        ("[backup]\nkeep = 0\n", r"backup\.keep must be at least 1, got 0"),
    ],
)
def test_a_value_outside_its_choices_or_range_names_key_value_and_what_is_allowed(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        Settings.load(tmp_path)


def test_save_refuses_a_value_that_is_not_allowed_and_writes_nothing(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    before = (tmp_path / "settings.toml").read_bytes()
    with pytest.raises(SettingsError, match=r"scale\.parity must be one of"):
        settings.save(scale__parity="X")
    assert (tmp_path / "settings.toml").read_bytes() == before


def test_the_choices_are_the_protocols_and_layouts_the_station_knows() -> None:
    from printers import LAYOUTS
    from station.devices.scale.registry import NAMES

    assert SCALE_PROTOCOLS == NAMES
    assert set(LABEL_LAYOUTS) <= set(LAYOUTS)


def test_an_unversioned_file_is_upgraded_keeping_its_values_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('# my bench\n[station]\nname = "east"\n', encoding="utf-8")
    settings = Settings.load(tmp_path)
    assert settings["station.name"] == "east"
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["version"] == SETTINGS_VERSION
    assert "# my bench" in text
    assert Settings.load(tmp_path)["station.name"] == "east"
    assert path.read_text(encoding="utf-8") == text


def test_a_file_from_a_newer_station_is_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(f"version = {SETTINGS_VERSION + 1}\n")
    with pytest.raises(SettingsError, match="newer Packing Station"):
        Settings.load(tmp_path)


def test_a_save_that_cannot_be_written_leaves_the_file_whole(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    before = (tmp_path / "settings.toml").read_bytes()
    # The temporary file's name taken by a folder: the write fails before the rename.
    (tmp_path / ".settings.toml.partial").mkdir()
    with pytest.raises(SettingsError, match="cannot write"):
        settings.save(station__name="west")
    assert (tmp_path / "settings.toml").read_bytes() == before
    (tmp_path / ".settings.toml.partial").rmdir()
    assert settings.save(station__name="west")["station.name"] == "west"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_defaults_shared_with_the_weight_rule_and_the_address_check_are_theirs() -> None:
    from station.core.address import DEFAULT_CHECK_WORDS
    from station.core.weighing import WeightRule

    defaults = Settings({})
    rule = WeightRule()
    assert defaults["weight.min_grams"] == rule.min_grams
    assert defaults["weight.packaging_grams"] == rule.packaging_grams
    assert defaults["address.check_words"] == list(DEFAULT_CHECK_WORDS)


def test_an_upgrade_that_cannot_be_saved_still_loads(tmp_path: Path, caplog) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[station]\nname = "east"\n', encoding="utf-8")
    (tmp_path / ".settings.toml.partial").mkdir()
    assert Settings.load(tmp_path)["station.name"] == "east"
    assert "upgraded for this run only" in caplog.text
    assert "version" not in tomllib.loads(path.read_text(encoding="utf-8"))

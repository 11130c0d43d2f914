"""`station sync secret set` on a bench without a keyring (headless Linux): the
secret is sealed in the data folder with its key, and the uploader finds it."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
import sqlite_utils
from test_sync_fakes import MemoryKeyring, write_sync_toml

from station.cli import main
from station.sync.config import load_targets
from station.sync.secrets import SEALED_FILE, SecretMissing, get_secret
from station.sync.targets import build

SECRET = "k3y-value-0123456789"
WEBHOOK = '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n'


@pytest.fixture
def no_keyring():
    """The keyring library's own answer on a machine without any backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_the_secret_is_sealed_in_the_data_folder(
    db: sqlite_utils.Database, data_dir: Path, no_keyring, monkeypatch, capsys
) -> None:
    write_sync_toml(data_dir, WEBHOOK)
    monkeypatch.setattr("getpass.getpass", lambda prompt: SECRET)
    assert main(["--data-dir", str(data_dir), "sync", "secret", "set", "erp"]) == 0
    sealed = data_dir / SEALED_FILE
    assert str(sealed) in capsys.readouterr().out
    assert SECRET.encode() not in sealed.read_bytes()
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert get_secret("erp", db) == SECRET
    built = build(db, load_targets(data_dir))
    assert [t.name for t in built.targets] == ["erp"] and built.problems == {}


def test_a_sealed_secret_does_not_open_for_another_target(
    db: sqlite_utils.Database, data_dir: Path, no_keyring, monkeypatch
) -> None:
    write_sync_toml(data_dir, WEBHOOK)
    monkeypatch.setattr("getpass.getpass", lambda prompt: SECRET)
    assert main(["--data-dir", str(data_dir), "sync", "secret", "set", "erp"]) == 0
    sealed = data_dir / SEALED_FILE
    sealed.write_text(sealed.read_text().replace('"erp"', '"other"'))
    with pytest.raises(SecretMissing, match="station sync secret set erp"):
        get_secret("erp", db)
    with pytest.raises(SecretMissing, match="does not open"):
        get_secret("other", db)


def test_without_keyring_or_sealed_file_the_target_names_the_command(
    db: sqlite_utils.Database, data_dir: Path, no_keyring
) -> None:
    write_sync_toml(data_dir, WEBHOOK)
    built = build(db, load_targets(data_dir))
    assert "station sync secret set erp" in built.problems["erp"]


def test_a_working_keyring_is_used_first(
    db: sqlite_utils.Database, data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch
) -> None:
    write_sync_toml(data_dir, WEBHOOK)
    monkeypatch.setattr("getpass.getpass", lambda prompt: SECRET)
    assert main(["--data-dir", str(data_dir), "sync", "secret", "set", "erp"]) == 0
    assert memory_keyring.values == {("PackingStation", "sync/erp"): SECRET}
    assert not (data_dir / SEALED_FILE).exists()

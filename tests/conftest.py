"""Shared fixtures: a real SQLite file per test, settings in a temporary data folder."""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Encryption keys go to a key file in each test data folder, never the real keyring.
os.environ.setdefault("STATION_KEY_STORE", "file")

from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import settings as hypothesis_settings

from station.settings import Settings
from station.store.db import DB_FILE, connect

# A real PostgreSQL for the hub tests: pg_admin_url, pg_url, hub_url.
pytest_plugins = ("pg_server",)

# CI explores the same examples every run, so a red build is the change's doing;
# a developer's runs keep exploring new ones and find what CI would not.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _qt_garbage_collected_on_the_gui_thread(request: pytest.FixtureRequest):
    """After a Qt test, collect cyclic garbage here, on the GUI thread.

    Otherwise a scale or printer thread may run the collection later and destroy
    a widget of an earlier test off the GUI thread, which crashes Qt.
    """
    yield
    if {"qtbot", "qapp"} & set(request.fixturenames):
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings.load(data_dir)


@pytest.fixture
def db(data_dir: Path) -> sqlite_utils.Database:
    database = connect(data_dir / DB_FILE)
    yield database
    database.close()


@pytest.fixture
def demo_db(db: sqlite_utils.Database) -> sqlite_utils.Database:
    from station.demo import seed

    seed(db, orders=60)
    return db


@pytest.fixture
def memory_keyring():
    """An in-memory OS keyring: the real one cannot run here. Tests opt in."""
    import keyring
    from test_sync_fakes import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fast(settings: Settings) -> Settings:
    """Settings whose upload retries wait milliseconds, not seconds."""
    return settings.with_values(sync__backoff_base_seconds=0.01, sync__backoff_cap_seconds=0.05)


@contextmanager
def mounted_small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs) in `folder`, when this test may mount one
    (root on Linux); the test is skipped otherwise."""
    mount = folder / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB filesystem (tmpfs)."""
    with mounted_small_disk(tmp_path, "4m") as mount:
        yield mount

"""Shared fixtures: a real SQLite file per test, settings in a temporary data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Encryption keys go to a key file in each test data folder, never the real keyring.
os.environ.setdefault("STATION_KEY_STORE", "file")

from pathlib import Path

import pytest
import sqlite_utils

from station.settings import Settings
from station.store.db import DB_FILE, connect


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

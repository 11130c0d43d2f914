"""The data folder is private to the account that runs the station: on POSIX the
folder and its subfolders 0700, every file in it 0600 (the database, its WAL and
shared memory, backups, logs, labels, the key), an existing folder tightened when a
station opens it."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.demo import seed
from station.logs import setup_logging, stop_logging
from station.paths import data_dir
from station.settings import Settings
from station.store.backup import backup_now
from station.store.db import DB_FILE, connect
from tests.packing_flow_helpers import weighed_bench

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A process that created files readable by everyone, as before the fix."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def loose(folder: Path) -> list[str]:
    """Everything under `folder` (itself too) that group or others may use."""
    paths = [folder, *folder.rglob("*")]
    return sorted(
        f"{p.relative_to(folder.parent)} {stat.filemode(p.lstat().st_mode)}"
        for p in paths
        if not p.is_symlink() and p.lstat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    )


def test_an_existing_folder_is_tightened_when_opened(tmp_path: Path, open_umask) -> None:
    folder = tmp_path / "station"
    folder.mkdir(mode=0o755)
    db = connect(folder / DB_FILE)
    seed(db, orders=5)
    db.close()
    (folder / "backups").mkdir()
    (folder / "backups" / "station-20261201-080000.db").write_bytes(b"old backup")
    (folder / "labels").mkdir()
    (folder / "labels" / "old.pdf").write_bytes(b"%PDF")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not ours")
    (folder / "link").symlink_to(outside)
    assert len(loose(folder)) >= 6
    data_dir(folder)
    assert loose(folder) == []
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # a link's target is left alone


def test_every_file_a_working_station_writes_is_private(tmp_path: Path, open_umask) -> None:
    folder = data_dir(tmp_path / "station")
    settings = Settings.load(folder)
    setup_logging(folder, console=False)
    try:
        db = connect(folder / DB_FILE)
        seed(db, orders=5)
        bench = weighed_bench(db, settings, folder / "labels")
        assert bench.message.message.key == "printed"
        logging.getLogger("station.test").warning("a line for the log")
        backup_now(db, folder / "backups", keep=3)
        made = {p.relative_to(folder).parts[0] for p in folder.rglob("*") if p.is_file()}
        assert {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", "labels", "logs", "backups"} <= made
        assert loose(folder) == []
        db.close()
    finally:
        stop_logging()


def test_a_backup_folder_outside_the_data_folder_is_made_private(
    tmp_path: Path, open_umask
) -> None:
    usb = tmp_path / "usb" / "backups"
    usb.mkdir(parents=True, mode=0o755)
    (usb / "station-20261130-080000.db").write_bytes(b"older backup")
    folder = tmp_path / "station"
    folder.mkdir()
    db = connect(folder / DB_FILE)
    try:
        backup_now(db, usb, keep=3)
    finally:
        db.close()
    assert loose(usb) == []

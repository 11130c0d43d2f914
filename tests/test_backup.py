"""Backups: online and consistent, rotated, daily; restore verified, locked, reversible."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.cli import main
from station.instance_lock import InstanceLock, StationRunning
from station.settings import Settings
from station.store.backup import (
    RestoreRefused,
    UploaderRunning,
    backup_database,
    backup_folder,
    backup_if_due,
    backup_now,
    latest_backup,
    list_backups,
    restore,
    restore_locks,
    rotate,
)
from station.store.db import DB_FILE, connect
from station.store.integrity import check_file
from station.sync.lock import UploaderLock

MORNING = datetime(2026, 3, 2, 9, 30, 0)


def order_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_is_a_checked_single_file_with_the_committed_data(
    demo_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    target = backup_database(demo_db.conn, tmp_path / "out" / "copy.db")
    assert target.is_file()
    assert not target.with_name("copy.db-wal").exists()
    assert not target.with_name("copy.db.partial").exists()
    assert check_file(target).ok
    assert order_count(target) == 60
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_backup_while_another_connection_writes_sees_only_committed_rows(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM order_lines")
    writer.execute("DELETE FROM orders WHERE status != 'shipped'")
    target = backup_database(demo_db.conn, tmp_path / "during.db")
    writer.execute("ROLLBACK")
    writer.close()
    assert order_count(target) == 60


def test_daily_backup_once_a_day_and_only_when_enabled(
    demo_db: sqlite_utils.Database, data_dir: Path, settings: Settings
) -> None:
    first = backup_if_due(demo_db, data_dir, settings, MORNING)
    assert first == data_dir / "backups" / "station-20260302-093000.db"
    assert backup_if_due(demo_db, data_dir, settings, MORNING + timedelta(hours=8)) is None
    second = backup_if_due(demo_db, data_dir, settings, MORNING + timedelta(days=1))
    assert second is not None and second.name == "station-20260303-093000.db"
    off = settings.with_values(backup__daily=False)
    assert backup_if_due(demo_db, data_dir, off, MORNING + timedelta(days=2)) is None
    assert len(list_backups(data_dir / "backups")) == 2


def test_backup_folder_from_settings(data_dir: Path, settings: Settings, tmp_path: Path) -> None:
    assert backup_folder(data_dir, settings) == data_dir / "backups"
    usb = tmp_path / "usb"
    assert backup_folder(data_dir, settings.with_values(backup__folder=str(usb))) == usb


def test_rotation_keeps_the_newest_and_never_touches_other_files(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    folder = data_dir / "backups"
    folder.mkdir()
    mine = folder / "my-copy.db"
    mine.write_bytes(b"keep me")
    for day in range(5):
        backup_now(db, folder, keep=3, now=MORNING + timedelta(days=day))
    names = [p.name for p in list_backups(folder)]
    assert names == [
        "station-20260306-093000.db",
        "station-20260305-093000.db",
        "station-20260304-093000.db",
    ]
    assert mine.read_bytes() == b"keep me"
    assert rotate(folder, keep=0) == [folder / n for n in names[1:]]
    assert latest_backup(folder) == folder / names[0]


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    saved = backup_database(demo_db.conn, tmp_path / "saved.db")
    demo_db.execute("DELETE FROM order_lines")
    demo_db.execute("DELETE FROM orders WHERE status != 'shipped'")
    remaining = demo_db.execute("SELECT count(*) FROM orders").fetchone()[0]
    demo_db.close()

    aside = restore(data_dir, saved, now=MORNING).aside

    assert aside == data_dir / "replaced-station-20260302-093000.db"
    assert order_count(aside) == remaining < 60
    assert order_count(data_dir / DB_FILE) == 60
    assert check_file(data_dir / DB_FILE).ok
    assert not (data_dir / f"{DB_FILE}.restoring").exists()
    reopened = connect(data_dir / DB_FILE)
    assert reopened.execute("SELECT count(*) FROM orders").fetchone()[0] == 60
    reopened.close()


def test_restore_is_refused_while_the_station_runs(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    saved = backup_database(demo_db.conn, tmp_path / "saved.db")
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(data_dir / DB_FILE)
    with InstanceLock(data_dir), pytest.raises(StationRunning, match="already running"):
        restore(data_dir, saved)
    assert digest(data_dir / DB_FILE) == before
    assert main(["--data-dir", str(data_dir), "db", "restore", str(saved)]) == 0


def _damaged_copy(source: sqlite_utils.Database, target: Path) -> Path:
    backup_database(source.conn, target)
    with closing(sqlite3.connect(target)) as conn:
        query = "SELECT rootpage FROM sqlite_master WHERE name = 'orders'"
        root = conn.execute(query).fetchone()[0]
    data = bytearray(target.read_bytes())
    start = (root - 1) * 4096
    data[start : start + 64] = b"\xff" * 64
    target.write_bytes(bytes(data))
    return target


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _foreign_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    return path


def _newer_database(source: sqlite_utils.Database, path: Path) -> Path:
    backup_database(source.conn, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda db, p: _written(p, b""), "not a SQLite database"),
        (lambda db, p: _written(p, b"order_no,name\n1,x\n"), "not a SQLite database"),
        (lambda db, p: _foreign_database(p), "not a Packing Station database"),
        (_newer_database, "newer Packing Station"),
        (_damaged_copy, "damaged|cannot be read"),
        (lambda db, p: p.parent / "missing.db", "does not exist"),
    ],
    ids=["empty", "csv", "foreign", "newer", "damaged", "missing"],
)
def test_restore_refuses_what_is_not_a_good_backup(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path, make, reason: str
) -> None:
    candidate = make(demo_db, tmp_path / "candidate.db")
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(data_dir / DB_FILE)
    with pytest.raises(RestoreRefused, match=reason):
        restore(data_dir, candidate)
    assert digest(data_dir / DB_FILE) == before
    assert sorted(p.name for p in data_dir.iterdir() if "restoring" in p.name) == []
    assert main(["--data-dir", str(data_dir), "db", "restore", str(candidate)]) == 1


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.binary(max_size=9000),
    with_header=st.booleans(),
)
def test_restore_of_arbitrary_bytes_is_refused_cleanly(
    demo_db: sqlite_utils.Database, data_dir: Path, body: bytes, with_header: bool
) -> None:
    candidate = data_dir.parent / "fuzz.db"
    candidate.write_bytes((b"SQLite format 3\x00" if with_header else b"") + body)
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(data_dir / DB_FILE)
    with pytest.raises(RestoreRefused):
        restore(data_dir, candidate)
    assert digest(data_dir / DB_FILE) == before
    assert not (data_dir / f"{DB_FILE}.restoring").exists()


def test_backup_command_writes_to_the_backup_folder_or_a_file(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path, capsys
) -> None:
    assert main(["--data-dir", str(data_dir), "db", "backup"]) == 0
    made = latest_backup(data_dir / "backups")
    assert made is not None and str(made) in capsys.readouterr().out
    assert order_count(made) == 60
    target = tmp_path / "stick" / "copy.db"
    target.parent.mkdir()  # a missing folder is refused (tests/test_input_validation.py)
    assert main(["--data-dir", str(data_dir), "db", "backup", str(target)]) == 0
    assert order_count(target) == 60
    assert main(["--data-dir", str(data_dir), "db", "backup", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_backup_command_without_a_database_fails_plainly(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "db", "backup"]) == 1
    assert "no database" in capsys.readouterr().err


def _sync_run(data_dir: Path, *extra: str) -> subprocess.Popen:
    root = Path(__file__).resolve().parent.parent
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(root), str(root / "tests")])}
    return subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), "sync", "run", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_restore_is_refused_while_an_uploader_runs_and_an_uploader_waits_for_a_restore(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path, capsys
) -> None:
    saved = backup_database(demo_db.conn, tmp_path / "saved.db")
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(data_dir / DB_FILE)
    uploader = _sync_run(data_dir)
    try:
        probe = UploaderLock(data_dir)
        while probe.holder() != str(uploader.pid):  # it writes its pid once it holds the lock
            assert uploader.poll() is None, uploader.stderr.read()
            threading.Event().wait(0.02)
        assert not probe.acquire()
        with pytest.raises(UploaderRunning, match=f"process {uploader.pid}"):
            restore(data_dir, saved)
        assert main(["--data-dir", str(data_dir), "db", "restore", str(saved)]) == 2
        assert f"The uploader (process {uploader.pid}) is running" in capsys.readouterr().err
        assert digest(data_dir / DB_FILE) == before
        assert sorted(p.name for p in data_dir.iterdir() if "replaced" in p.name) == []
    finally:
        uploader.send_signal(signal.SIGTERM)
        uploader.communicate(timeout=30)

    with restore_locks(data_dir):
        blocked = _sync_run(data_dir, "--once")
        _, err = blocked.communicate(timeout=60)
        assert blocked.returncode == 3
        assert f"a database restore (pid {os.getpid()}) is running here" in err
    demo_db.close()
    assert main(["--data-dir", str(data_dir), "db", "restore", str(saved)]) == 0

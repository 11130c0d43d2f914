"""Connections are closed when their work is done, not when the garbage collector
gets to them (Python 3.13 reports each of those as a ResourceWarning, and a
connection held by a traceback or a widget keeps the file open meanwhile).

Open connections are counted from /proc/self/fd: reading a descriptor's link
never opens the database file (see the rule in the conventions).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import sqlite_utils

from station.settings import Settings
from station.store.db import DB_FILE, DatabaseTooNew, connect
from station.store.migrations import STEPS

FDS = Path("/proc/self/fd")
pytestmark = pytest.mark.skipif(not FDS.is_dir(), reason="needs /proc/self/fd (Linux)")


def open_descriptors(path: Path) -> list[str]:
    """This process's descriptors of the database file and its -wal and -shm."""
    names = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm")}
    found = []
    for fd in os.listdir(FDS):
        try:
            target = os.readlink(FDS / fd)
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


def test_a_database_too_new_to_open_is_not_left_open(data_dir: Path) -> None:
    path = data_dir / "newer.db"
    with connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(STEPS) + 1}")
    assert open_descriptors(path) == []
    with pytest.raises(DatabaseTooNew) as refused:
        connect(path)
    # The traceback still holds connect()'s frame: only a close frees the file.
    assert refused.traceback
    assert open_descriptors(path) == []


def test_the_dashboard_holds_no_connection_between_refreshes(
    qtbot, db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.ui.dashboard import DashboardWidget

    path = data_dir / DB_FILE
    db.close()
    widget = DashboardWidget(path, refresh_seconds=0)
    qtbot.addWidget(widget)
    assert widget.report is not None and widget.report.total.parcels == 0
    assert open_descriptors(path) == []


def test_the_upload_light_and_its_dialog_hold_no_connection(
    qtbot, db: sqlite_utils.Database, data_dir: Path
) -> None:
    """The light sits in the status bar, where no close event reaches it: its F12
    dialog, open or dropped, must not keep a connection of its own."""
    from station.settings import Settings
    from station.ui.sync_status import SyncStatusWidget

    path = data_dir / DB_FILE
    db.close()
    widget = SyncStatusWidget(path, Settings.load(data_dir))
    qtbot.addWidget(widget)
    dialog = widget.open_dialog()
    qtbot.addWidget(dialog)
    assert "Uploads not set up" in dialog.not_set_up.text()
    dialog.reload()
    assert open_descriptors(path) == []


def test_an_uploader_that_cannot_start_holds_neither_connection_nor_lock(
    data_dir: Path, settings: Settings
) -> None:
    """A broken sync.toml stops the uploader at its start: its connection is closed
    and the folder's uploader lock is free again (for `station sync run`, a restore)."""
    from station.sync.config import SYNC_FILE, SyncConfigError
    from station.sync.lock import UploaderLock
    from station.sync.worker import run_foreground

    path = data_dir / DB_FILE
    connect(path).close()
    (data_dir / SYNC_FILE).write_text('[[targets]]\nname = "a"\nkind = "ftp"\n')
    with pytest.raises(SyncConfigError) as refused:
        run_foreground(data_dir, settings, threading.Event(), once=True)
    assert refused.traceback
    assert open_descriptors(path) == []
    lock = UploaderLock(data_dir)
    assert lock.acquire()
    lock.release()

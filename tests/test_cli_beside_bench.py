"""Issue 12: commands that would pull the data folder from under a running station
refuse clearly (the others work beside it: see test_soak and test_wal_guard)."""

from __future__ import annotations

from pathlib import Path

from station.cli import main
from station.instance_lock import InstanceLock
from station.store.db import DB_FILE


def test_demo_refuses_to_empty_a_folder_a_station_runs_on(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "demo"
    assert main(["--data-dir", str(folder), "demo", "--no-gui", "--orders", "3"]) == 0
    before = (folder / DB_FILE).stat().st_ino
    running = InstanceLock(folder)
    assert running.acquire()
    try:
        assert main(["--data-dir", str(folder), "demo", "--no-gui", "--orders", "3"]) == 3
    finally:
        running.release()
    assert "already running" in capsys.readouterr().out
    assert (folder / DB_FILE).stat().st_ino == before
    assert main(["--data-dir", str(folder), "demo", "--no-gui", "--orders", "3"]) == 0

"""One station per data folder: the OS lock, and the second launch asking the first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from station.instance_lock import InstanceLock, StationRunning


def test_second_lock_on_the_same_folder_is_refused_until_released(data_dir: Path) -> None:
    first = InstanceLock(data_dir)
    assert first.acquire()
    assert first.owner_pid() == str(os.getpid())
    second = InstanceLock(data_dir)
    assert not second.acquire()
    with pytest.raises(StationRunning, match=f"already running on .*process {os.getpid()}"):
        second.acquire_or_raise()
    first.release()
    assert second.acquire()
    second.release()


def test_another_folder_is_independent(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with InstanceLock(tmp_path / "a"), InstanceLock(tmp_path / "b") as other:
        assert other.held
    assert not other.held


def _holder(data_dir: Path) -> subprocess.Popen:
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from station.instance_lock import InstanceLock
        lock = InstanceLock(Path({str(data_dir)!r}))
        assert lock.acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_killed_station_frees_its_folder(data_dir: Path) -> None:
    process = _holder(data_dir)
    try:
        lock = InstanceLock(data_dir)
        assert not lock.acquire()
        assert lock.owner_pid() == str(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
    freed = InstanceLock(data_dir)
    assert freed.acquire()
    freed.release()


def test_single_instance_second_launch_asks_the_first(qtbot, data_dir: Path) -> None:
    from station.ui.single_instance import SingleInstance

    first = SingleInstance(data_dir)
    assert first.is_primary()
    with qtbot.waitSignal(first.activate_requested, timeout=3000):
        second = SingleInstance(data_dir)
        assert not second.is_primary()
        assert second.notified
    first.close()
    third = SingleInstance(data_dir)
    assert third.is_primary()
    third.close()


def test_single_instance_survives_a_stale_socket(qtbot, data_dir: Path) -> None:
    from PySide6.QtNetwork import QLocalServer

    from station.ui.single_instance import SingleInstance, server_name

    crashed = QLocalServer()
    assert crashed.listen(server_name(data_dir))
    primary = SingleInstance(data_dir)
    assert primary.is_primary()
    with qtbot.waitSignal(primary.activate_requested, timeout=3000):
        assert SingleInstance(data_dir).notified
    primary.close()
    crashed.close()


def test_single_instance_names_differ_per_folder(tmp_path: Path) -> None:
    from station.ui.single_instance import server_name

    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "x" / ".." / "a")

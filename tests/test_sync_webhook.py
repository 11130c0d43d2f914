"""The webhook target against a real local receiver: batches, HMAC, idempotency,
retries, Retry-After, refusals, needs-attention, offline and back."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils
from test_sync_fakes import (
    WebhookReceiver,
    add_records,
    opened_uploader,
    serving,
    write_sync_toml,
)

from station.settings import Settings
from station.store import deliveries
from station.sync.config import load_targets
from station.sync.secrets import set_secret
from station.sync.status import all_status
from station.sync.uploader import Uploader

pytestmark = pytest.mark.usefixtures("memory_keyring")


def configure(data_dir: Path, url: str, batch: int = 50) -> None:
    write_sync_toml(
        data_dir,
        f'[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "{url}/hooks"\n'
        f"batch_size = {batch}\ntimeout_seconds = 2\n",
    )
    set_secret("erp", "hook-key")


def run_until(uploader: Uploader, done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Passes until `done()`; between idle passes wait briefly for retries to come due."""
    deadline = time.monotonic() + timeout
    idle = threading.Event()
    while not done():
        assert time.monotonic() < deadline, "condition not reached"
        if uploader.pass_once() == 0:
            idle.wait(0.005)


def states(db: sqlite_utils.Database) -> dict[str, int]:
    return dict(db.execute("SELECT state, count(*) FROM deliveries GROUP BY state").fetchall())


def test_batches_are_signed_keyed_and_every_record_arrives_once(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    receiver = WebhookReceiver()
    add_records(db, 120)
    with serving(receiver) as url:
        configure(data_dir, url, batch=50)
        with opened_uploader(data_dir, fast) as uploader:
            assert uploader.drain() == 120
    assert len(receiver.stored) == 120 and receiver.bad_signatures == 0
    assert set(receiver.deliveries.values()) == {1}
    assert len(receiver.batches) == 3  # 50 + 50 + 20
    assert states(db) == {"done": 120}
    assert db.execute("SELECT DISTINCT state FROM outbox").fetchall() == [("done",)]
    status = all_status(db, load_targets(data_dir))[0]
    assert (status.queued, status.online, status.last_error) == (0, True, "")
    assert status.last_success_at is not None


def test_lost_answer_and_server_errors_resend_the_same_keys_without_duplicates(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    receiver = WebhookReceiver()
    receiver.faults = ["drop", 500, 503]
    add_records(db, 30)
    with serving(receiver) as url:
        configure(data_dir, url, batch=10)
        with opened_uploader(data_dir, fast) as uploader:
            run_until(uploader, lambda: states(db) == {"done": 30})
    assert len(receiver.stored) == 30
    assert max(receiver.deliveries.values()) == 2  # the dropped batch came twice, kept once


def test_retry_after_is_honoured(db: sqlite_utils.Database, data_dir: Path, fast: Settings) -> None:
    receiver = WebhookReceiver()
    receiver.faults = [(429, {"Retry_After": "120"})]
    add_records(db, 5)
    with serving(receiver) as url:
        configure(data_dir, url)
        with opened_uploader(data_dir, fast) as uploader:
            before = time.time()
            assert uploader.pass_once() == 5
            assert uploader.pass_once() == 0  # paused, not hammering
    next_at = deliveries.next_due_at(db, "erp")
    from datetime import datetime

    wait = datetime.fromisoformat(next_at.replace("Z", "+00:00")).timestamp() - before
    assert 119 <= wait <= 125
    assert states(db) == {"queued": 5}


def test_wrong_key_stops_the_target_and_says_why(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    receiver = WebhookReceiver(key="the-right-key")
    add_records(db, 3)
    with serving(receiver) as url:
        configure(data_dir, url)
        with opened_uploader(data_dir, fast) as uploader:
            uploader.pass_once()
    status = all_status(db, load_targets(data_dir))[0]
    assert status.queued == 3 and status.needs_attention == 0
    assert "signature" in status.last_error and "secret set erp" in status.last_error
    assert "hook-key" not in status.last_error


def test_rejected_record_needs_attention_then_retry_or_dismiss(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    receiver = WebhookReceiver()
    receiver.reject = {"WX00000002": "unknown order", "WX00000003": "unknown order"}
    add_records(db, 3)
    with serving(receiver) as url:
        configure(data_dir, url)
        with opened_uploader(data_dir, fast) as uploader:
            uploader.drain()
            waiting = deliveries.attention(db)
            assert [a.order_no for a in waiting] == ["WX00000002", "WX00000003"]
            assert "unknown order" in waiting[0].note
            receiver.reject = {}
            assert deliveries.retry(db, "erp", waiting[0].outbox_id)
            with pytest.raises(ValueError):
                deliveries.dismiss(db, "erp", waiting[1].outbox_id, "boss", " ")
            assert deliveries.dismiss(db, "erp", waiting[1].outbox_id, "boss", "order cancelled")
            uploader.drain()
    assert states(db) == {"done": 2, "dismissed": 1}
    assert db.execute("SELECT state FROM outbox ORDER BY id").fetchall() == [("done",)] * 3
    assert "WX00000002" in {r["data"]["order_no"] for r in receiver.stored.values()}


def test_offline_for_a_while_then_drains(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    configure(data_dir, f"http://127.0.0.1:{dead_port}")
    add_records(db, 10)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pass_once()
    status = all_status(db, load_targets(data_dir))[0]
    assert status.online is False and status.queued == 10
    assert db.execute("SELECT max(in_doubt) FROM deliveries").fetchone()[0] == 0
    receiver = WebhookReceiver()
    with serving(receiver) as url:
        configure(data_dir, url)
        with opened_uploader(data_dir, fast) as uploader:
            run_until(uploader, lambda: states(db) == {"done": 10})
    assert len(receiver.stored) == 10


def test_missing_secret_is_reported_not_sent(db: sqlite_utils.Database, data_dir: Path) -> None:
    write_sync_toml(
        data_dir, '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "http://127.0.0.1:9/"\n'
    )
    add_records(db, 1)
    with opened_uploader(data_dir, Settings.load(data_dir)) as uploader:
        assert uploader.targets == []
    status = all_status(db, load_targets(data_dir))[0]
    assert "station sync secret set erp" in status.last_error and status.queued == 1

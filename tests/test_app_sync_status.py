"""The sync status use case on a real SQLite file: one answer for the status light,
its window, the dashboard and `station sync status`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from station.app.sync_status import Light, SyncStatus
from station.core.permissions import Action, PermissionDenied, Role
from station.store import audit, deliveries
from station.store.users import add_user
from station.sync.uploader import ONLINE
from tests.test_sync_fakes import add_records, write_sync_toml

ERP = '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n'


def test_with_no_target_nothing_is_set_up_and_the_records_wait_locally(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    add_records(db, 3)
    status = SyncStatus(db, data_dir).status()
    assert (status.set_up, status.waiting_locally, status.light) == (False, 3, Light.OFF)
    assert status.as_json()["set_up"] is False and status.as_json()["targets"] == []


def test_a_broken_sync_toml_is_told_not_raised(db: sqlite_utils.Database, data_dir: Path) -> None:
    write_sync_toml(data_dir, "[[targets]\nname =")
    status = SyncStatus(db, data_dir).status()
    assert status.config_error and "sync.toml" in status.config_error
    assert status.light is Light.ERROR and not status.set_up


def test_the_light_turns_amber_for_attention_or_an_old_queue_and_red_offline(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    write_sync_toml(data_dir, ERP)
    add_records(db, 2)
    deliveries.fan_out(db, "erp")
    now = datetime.now(UTC)
    assert SyncStatus(db, data_dir, clock=lambda: now).status().light is Light.OK
    later = now + timedelta(hours=2)
    stale = SyncStatus(db, data_dir, clock=lambda: later).status()
    assert stale.light is Light.WARN and stale.totals["queued"] == 2
    deliveries.set_state(db, "erp", ONLINE, "0")
    assert SyncStatus(db, data_dir, clock=lambda: now).status().light is Light.ERROR


def test_retry_and_dismiss_need_a_supervisor_and_are_audited(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    write_sync_toml(data_dir, ERP)
    add_records(db, 2)
    deliveries.fan_out(db, "erp")
    first, second = (row[0] for row in db.execute("SELECT outbox_id FROM deliveries"))
    deliveries.start(db, "erp", [first, second])
    deliveries.finish(
        db,
        "erp",
        [
            deliveries.Finished(first, "attention", "rejected: bad order"),
            deliveries.Finished(second, "attention", "rejected: bad phone"),
        ],
    )
    add_user(db, "li", Role.PACKER, "1111")
    add_user(db, "boss", Role.SUPERVISOR, "4321")
    uploads = SyncStatus(db, data_dir, station="bench-1")
    assert [a.outbox_id for a in uploads.attention()] == [first, second]
    with pytest.raises(PermissionDenied):
        uploads.supervisor("1111")
    boss = uploads.supervisor("4321")
    assert uploads.retry("erp", first, boss) and not uploads.retry("erp", first, boss)
    with pytest.raises(ValueError):
        uploads.dismiss("erp", second, boss, "  ")
    assert uploads.dismiss("erp", second, boss, "buyer cancelled")
    assert uploads.attention() == []
    entries = audit.entries(db, Action.UPLOADS)
    assert [(e.actor, e.subject, e.reason, e.station) for e in entries] == [
        ("boss", f"dismiss erp {second}", "buyer cancelled", "bench-1"),
        ("boss", f"retry erp {first}", "", "bench-1"),
    ]

"""The audit log: written for every protected action, and nobody can change it."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from station.core.permissions import Action, Role
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import audit
from station.store.db import transaction
from station.store.search import void_shipment
from station.store.users import add_user
from tests.packing_flow_helpers import weighed_bench
from tests.shipments_factory import make_shipment


def test_update_and_delete_are_refused_by_the_database(db: sqlite_utils.Database) -> None:
    audit.record(db, Action.VOID, "T1 7300", actor="wang", role="supervisor", reason="x")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        db.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"), transaction(db):
        db.execute("DELETE FROM audit")
    [entry] = audit.entries(db)
    assert entry.actor == "wang" and entry.reason == "x"


def test_the_bench_override_is_audited_with_who_what_and_why(
    demo_db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    bench = weighed_bench(demo_db, settings, tmp_path, off_by_grams=900)
    order_no = bench.session.order.order_no
    assert bench.override("9999", "nope").message.key == "override_denied"
    assert audit.entries(demo_db) == []
    bench.override(DEMO_SUPERVISOR_PIN, "gift box added")
    [entry] = audit.entries(demo_db, Action.OVERRIDE)
    assert entry.actor.startswith("主管") and entry.role == "supervisor"
    assert entry.subject.startswith(f"{order_no} weight ")
    assert entry.reason == "gift box added" and entry.station == "bench-1"


def test_a_void_is_audited_in_the_same_transaction(db: sqlite_utils.Database) -> None:
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    made = make_shipment(db, datetime.now().astimezone())
    void_shipment(db, made.shipment_id, boss, "parcel damaged", "bench-2", repack=True)
    [entry] = audit.entries(db, Action.VOID)
    assert entry.subject == f"{made.order_no} {made.tracking_no}"
    assert entry.detail == {"shipment_id": made.shipment_id, "repack": True}
    assert (entry.actor, entry.reason, entry.station) == ("wang", "parcel damaged", "bench-2")

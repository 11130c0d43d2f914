"""The void use case on a real SQLite file: a supervisor's PIN and a reason, then
the shipment, its waybill number and its order change together, with an upload row."""

from __future__ import annotations

from datetime import datetime

import pytest

from station.app.search import Search
from station.app.void import Void, Voided, VoidRefused
from station.core.permissions import Action, PermissionDenied, Role
from station.settings import Settings
from station.store import audit
from station.store.users import add_user
from tests.shipments_factory import make_shipment


def outbox_events(db) -> list[tuple[str, str]]:
    return db.execute("SELECT event, order_no FROM outbox ORDER BY id").fetchall()


def test_a_supervisor_voids_and_the_order_opens_again_only_on_repack(db, settings) -> None:
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    now = datetime.now().astimezone()
    a, b = make_shipment(db, now), make_shipment(db, now)
    before = len(outbox_events(db))
    voids = Void(db, settings)
    boss = voids.supervisor("2222")
    assert voids.void(a.shipment_id, boss, " wrong address ", repack=True) == Voided(
        a.shipment_id, a.order_no, a.tracking_no, True
    )
    voids.void(b.shipment_id, boss, "buyer cancelled", repack=False)
    statuses = dict(db.execute("SELECT order_no, status FROM orders").fetchall())
    assert statuses[a.order_no] == "open" and statuses[b.order_no] == "hold"
    assert [e.reason for e in audit.entries(db, Action.VOID)] == [
        "buyer cancelled",
        "wrong address",
    ]
    assert outbox_events(db)[before:] == [
        ("shipment.voided", a.order_no),
        ("shipment.voided", b.order_no),
    ]
    assert [f.voided for f in Search(db).find(a.order_no)] == [True]


def test_a_void_is_refused_with_the_reason_and_changes_nothing(db, settings: Settings) -> None:
    add_user(db, "li", Role.PACKER, "1111")
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    made = make_shipment(db, datetime.now().astimezone())
    voids = Void(db, settings)
    with pytest.raises(PermissionDenied):
        voids.supervisor("1111")
    with pytest.raises(VoidRefused, match="needs a reason"):
        voids.void(made.shipment_id, boss, "   ", repack=False)
    with pytest.raises(VoidRefused, match="No shipment 9999"):
        voids.void(9999, boss, "lost", repack=False)
    assert audit.entries(db, Action.VOID) == []
    voids.void(made.shipment_id, boss, "lost", repack=False)
    with pytest.raises(VoidRefused, match="already voided"):
        voids.void(made.shipment_id, boss, "lost again", repack=False)
    assert len(audit.entries(db, Action.VOID)) == 1


def test_search_finds_by_order_waybill_and_last_four_newest_first(db) -> None:
    now = datetime.now().astimezone()
    a = make_shipment(db, now, phone="13900001234")
    b = make_shipment(db, now, phone="13800001234")
    search = Search(db)
    assert [f.shipment_id for f in search.find(a.order_no)] == [a.shipment_id]
    assert [f.shipment_id for f in search.find(b.tracking_no)] == [b.shipment_id]
    assert [f.shipment_id for f in search.find("1234")] == [b.shipment_id, a.shipment_id]
    assert search.find("  ") == []

"""The reports use case on a real SQLite file: the period's figures and the
exceptions, with the clock that decides what is stale injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from station.app.reports import Period, Reports
from station.core.model import Contact
from station.store.db import transaction
from station.store.orders import NewLine, save_order
from tests.shipments_factory import make_shipment


def flagged_order(db: sqlite_utils.Database, order_no: str) -> None:
    with transaction(db):
        save_order(
            db,
            order_no,
            Contact("张三", "13812345678", "浙江省杭州市西湖区文三路1号"),
            [NewLine("CUP-350", "杯子", 1)],
        )
        db.execute(
            "INSERT INTO order_flags (order_no, kind, detail) VALUES (?, 'address', 'no street')",
            [order_no],
        )


def test_a_flagged_order_is_an_exception_once_a_day_old_by_the_clock(db) -> None:
    flagged_order(db, "WX-FLAGGED")
    now = datetime.now(UTC)
    today = Period.days(now.astimezone().date())
    fresh = Reports(db, clock=lambda: now).exceptions(today)
    assert fresh.stale_flagged == [] and len(fresh) == 0
    later = Reports(db, clock=lambda: now + timedelta(hours=25)).exceptions(today)
    assert [s.order_no for s in later.stale_flagged] == ["WX-FLAGGED"]
    assert "no street" in later.stale_flagged[0].flags and len(later) == 1


def test_a_parcel_costing_more_than_the_limit_of_its_order_is_an_exception(db) -> None:
    now = datetime.now().astimezone()
    cheap = make_shipment(db, now, order_value_fen=10_000)
    dear = make_shipment(db, now, order_value_fen=10_000)
    with transaction(db):
        for made, cost in ((cheap, 1_000), (dear, 1_300)):
            db.execute(
                "UPDATE shipments SET shipping_cost_fen = ? WHERE id = ?", [cost, made.shipment_id]
            )
    today = Period.days(now.date())
    assert [c.order_no for c in Reports(db, 12.0).exceptions(today).costly] == [dear.order_no]
    assert len(Reports(db, 9.0).exceptions(today).costly) == 2
    assert Reports(db).dashboard(today).total.parcels == 2

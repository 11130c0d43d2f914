"""The handover use case on a real SQLite file, with its clock injected: which
carrier is offered first, what the courier should take, the record and the manifests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from station.app.handover import Handovers, UnknownCarrier
from station.store import handover as store
from tests.shipments_factory import make_shipment


def test_the_carriers_with_parcels_waiting_come_first_then_the_usual_order(db) -> None:
    now = datetime.now().astimezone()
    handovers = Handovers(db, "bench-1", days=1, clock=lambda: now)
    assert [c.code for c in handovers.choices()][:3] == ["SF", "ZTO", "YTO"]
    for _ in range(2):
        make_shipment(db, now, carrier="YTO")
    make_shipment(db, now, carrier="ZTO")
    first, second, third = handovers.choices()[:3]
    assert (first.code, first.waiting, second.code, second.waiting) == ("YTO", 2, "ZTO", 1)
    assert (third.code, third.waiting) == ("SF", 0)


def test_a_parcel_older_than_the_days_is_not_expected_and_the_clock_decides(db) -> None:
    now = datetime.now().astimezone()
    old = make_shipment(db, now - timedelta(days=2))
    recent = make_shipment(db, now)
    assert list(Handovers(db, "bench-1", days=1, clock=lambda: now).start("zto").expected) == [
        recent.tracking_no
    ]
    three_days = Handovers(db, "bench-1", days=3, clock=lambda: now).start("ZTO")
    assert sorted(three_days.expected) == sorted([old.tracking_no, recent.tracking_no])
    assert three_days.started_at == now


def test_a_finished_handover_is_recorded_and_its_manifest_lists_the_bag(db) -> None:
    now = datetime.now().astimezone()
    a, b = make_shipment(db, now), make_shipment(db, now)
    handovers = Handovers(db, "bench-1", days=1, clock=lambda: now)
    handover = handovers.start("ZTO")
    handover.scan(a.tracking_no, now)
    handover_id = handovers.finish(handover, "wang", "  courier Liu ")
    assert store.handover_items(db, handover_id) == {
        a.tracking_no: "scanned",
        b.tracking_no: "missing",
    }
    assert db.execute("SELECT courier, station FROM handovers").fetchone() == (
        "courier Liu",
        "bench-1",
    )
    manifest = handovers.manifest(handover, courier="Liu", shipper="wang")
    assert [p.tracking_no for p in manifest.parcels] == [a.tracking_no]
    assert (manifest.courier, manifest.shipper, manifest.carrier_name_zh) == (
        "Liu",
        "wang",
        "中通快递",
    )
    assert list(handovers.start("ZTO").expected) == [b.tracking_no]


def test_a_day_manifest_of_an_unknown_carrier_is_refused_by_name(db) -> None:
    now = datetime.now().astimezone()
    make_shipment(db, now)
    handovers = Handovers(db, "bench-1", clock=lambda: now)
    assert handovers.day_manifest("zto").count == 1
    with pytest.raises(UnknownCarrier, match="unknown carrier 'XX'"):
        handovers.day_manifest("XX")

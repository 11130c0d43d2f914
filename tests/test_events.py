"""Typed upload-queue payloads: JSON round trips, and one writer of the queue."""

from __future__ import annotations

import json

import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from station.core.events import EventKind, ShipmentRecorded, ShipmentVoided, ShippedItem
from station.core.weighing import WeightRule
from station.store import outbox
from station.store.db import transaction
from tests.shipments_factory import pack_and_record

_text = st.text(max_size=20)
_items = st.lists(
    st.builds(ShippedItem, _text, _text, st.integers(min_value=1, max_value=999)), max_size=4
).map(tuple)
_recorded = st.builds(
    ShipmentRecorded,
    shipment_id=st.integers(min_value=1),
    weight_g=st.integers(min_value=0, max_value=100_000),
    items=_items,
    order_no=_text,
    source=_text,
    carrier=_text,
    tracking_no=_text,
    shipped_at=_text,
    station=_text,
    packer=_text,
    receiver_contact=_text,
)
_voided = st.builds(
    ShipmentVoided,
    shipment_id=st.integers(min_value=1),
    repack=st.booleans(),
    order_no=_text,
    source=_text,
    carrier=_text,
    tracking_no=_text,
    voided_at=_text,
    voided_by=_text,
    reason=_text,
    station=_text,
)


@given(_recorded)
def test_a_recorded_shipment_survives_its_json(event: ShipmentRecorded) -> None:
    assert ShipmentRecorded.from_json(event.to_json()) == event


@given(_voided)
def test_a_void_survives_its_json(event: ShipmentVoided) -> None:
    assert ShipmentVoided.from_json(event.to_json()) == event


def test_the_json_keeps_the_field_names_the_targets_read() -> None:
    event = ShipmentRecorded(
        7, "WX1", "wechat", "ZTO", "735612345678", 820, "2026-11-21T09:00:00Z", "bench-1",
        "小王", "138****5678", (ShippedItem("CUP-350", "保温杯", 2),),
    )  # fmt: skip
    assert json.loads(event.to_json()) == {
        "shipment_id": 7,
        "order_no": "WX1",
        "source": "wechat",
        "carrier": "ZTO",
        "tracking_no": "735612345678",
        "weight_g": 820,
        "shipped_at": "2026-11-21T09:00:00Z",
        "station": "bench-1",
        "packer": "小王",
        "receiver_contact": "138****5678",
        "items": [{"sku": "CUP-350", "name": "保温杯", "quantity": 2}],
    }


def test_enqueue_writes_one_queued_row_the_uploader_reads_back(
    demo_db: sqlite_utils.Database,
) -> None:
    pack_and_record(demo_db, "WX20261121000001", 500, WeightRule())
    (shipment_id,) = demo_db.execute("SELECT id FROM shipments").fetchone()
    event = ShipmentVoided(
        shipment_id, "WX20261121000001", "wechat", "ZTO", "735612345678", "2026-11-21T10:00:00Z",
        "王主管", "label torn", True, "bench-1",
    )  # fmt: skip
    with transaction(demo_db):
        outbox.enqueue(demo_db, event)
    row = next(demo_db.query("SELECT * FROM outbox WHERE event = ?", [EventKind.VOIDED.value]))
    assert (row["event"], row["state"], row["idempotency_key"], row["created_at"]) == (
        EventKind.VOIDED,
        "queued",
        "void:WX20261121000001:735612345678",
        "2026-11-21T10:00:00Z",
    )
    (record,) = outbox.load(demo_db, [row["id"]])
    assert ShipmentVoided.from_json(json.dumps(record.payload)) == event

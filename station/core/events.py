"""What the station tells upstream: the payloads of the upload queue (outbox), typed.

Each event is written once, by station.store.outbox.enqueue, as JSON; the sync
targets read it back. `to_json` and `from_json` are each other's inverse, and the
JSON keeps the field names the targets have always read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, ClassVar


class EventKind(StrEnum):
    """The `event` column of the outbox."""

    RECORDED = "shipment.recorded"
    VOIDED = "shipment.voided"


@dataclass(frozen=True, slots=True)
class ShippedItem:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ShipmentRecorded:
    """A shipment recorded at the bench (the recipient's phone already masked)."""

    kind: ClassVar[EventKind] = EventKind.RECORDED

    shipment_id: int
    order_no: str
    source: str
    carrier: str
    tracking_no: str
    weight_g: int
    shipped_at: str
    station: str
    packer: str
    receiver_contact: str
    items: tuple[ShippedItem, ...]

    @property
    def idempotency_key(self) -> str:
        return f"ship:{self.order_no}:{self.tracking_no}"

    @property
    def at(self) -> str:
        return self.shipped_at

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ShipmentRecorded:
        data = _object(text)
        items = tuple(
            ShippedItem(str(i["sku"]), str(i["name"]), int(i["quantity"])) for i in data["items"]
        )
        return cls(
            shipment_id=int(data["shipment_id"]),
            order_no=str(data["order_no"]),
            source=str(data["source"]),
            carrier=str(data["carrier"]),
            tracking_no=str(data["tracking_no"]),
            weight_g=int(data["weight_g"]),
            shipped_at=str(data["shipped_at"]),
            station=str(data["station"]),
            packer=str(data["packer"]),
            receiver_contact=str(data["receiver_contact"]),
            items=items,
        )


@dataclass(frozen=True, slots=True)
class ShipmentVoided:
    """A recorded shipment voided by a supervisor (`repack`: the order goes back to
    be packed again)."""

    kind: ClassVar[EventKind] = EventKind.VOIDED

    shipment_id: int
    order_no: str
    source: str
    carrier: str
    tracking_no: str
    voided_at: str
    voided_by: str
    reason: str
    repack: bool
    station: str

    @property
    def idempotency_key(self) -> str:
        return f"void:{self.order_no}:{self.tracking_no}"

    @property
    def at(self) -> str:
        return self.voided_at

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ShipmentVoided:
        data = _object(text)
        return cls(
            shipment_id=int(data["shipment_id"]),
            order_no=str(data["order_no"]),
            source=str(data["source"]),
            carrier=str(data["carrier"]),
            tracking_no=str(data["tracking_no"]),
            voided_at=str(data["voided_at"]),
            voided_by=str(data["voided_by"]),
            reason=str(data["reason"]),
            repack=bool(data["repack"]),
            station=str(data["station"]),
        )


ShipmentEvent = ShipmentRecorded | ShipmentVoided


def _object(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"an event payload is a JSON object, not {type(data).__name__}")
    return data

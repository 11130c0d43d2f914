"""Search and fix: finding shipments and voiding them.

Every fix is checked against the user's role and written to the audit log in
the same transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from station.core.events import ShipmentVoided
from station.core.model import LabelState, OrderStatus
from station.core.permissions import Action, User, require
from station.core.problem_texts import Text
from station.store import audit, outbox
from station.store import orders as order_store
from station.store.crypto import name_index, reveal
from station.store.db import now_utc, transaction

_FOUND = """
WITH hits(id) AS (
    SELECT id FROM shipments WHERE order_no = :code
    UNION SELECT id FROM shipments WHERE tracking_no = :code
    UNION SELECT s.id FROM orders o JOIN shipments s ON s.order_no = o.order_no
          WHERE o.phone_last4 = :last4
    UNION SELECT s.id FROM orders o JOIN shipments s ON s.order_no = o.order_no
          WHERE o.name_index = :name_index
)
SELECT s.id, s.order_no, s.tracking_no, s.carrier, o.recipient_name, o.recipient_phone,
       s.weight_g, s.recorded_at, s.station, s.packer, s.print_count, s.label_status,
       s.voided_at, s.voided_by, s.void_reason
FROM hits JOIN shipments s ON s.id = hits.id JOIN orders o ON o.order_no = s.order_no
ORDER BY s.id DESC LIMIT :limit
"""


class VoidError(RuntimeError):
    """The shipment cannot be voided (unknown, or voided already)."""


@dataclass(frozen=True)
class Found:
    shipment_id: int
    order_no: str
    tracking_no: str
    carrier: str
    recipient_name: str
    recipient_phone: str
    weight_g: int
    recorded_at: str
    station: str
    packer: str
    print_count: int
    label_status: LabelState
    voided_at: str | None
    voided_by: str | None
    void_reason: str | None

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


def find_shipments(db: sqlite_utils.Database, text: str, limit: int = 50) -> list[Found]:
    """Shipments (voided ones too) by order number, waybill number, the recipient's
    full name (matched by its keyed fingerprint: names are stored encrypted) or, for
    four digits, the last four digits of the phone."""
    code = text.strip()
    if not code:
        return []
    last4 = code if len(code) == 4 and code.isdigit() else None
    rows = db.execute(
        _FOUND,
        {"code": code, "last4": last4, "name_index": name_index(db, code), "limit": limit},
    )
    return [_found(db, row) for row in rows]


def _found(db: sqlite_utils.Database, row: tuple[Any, ...]) -> Found:
    found = Found(*row)
    return replace(
        found,
        label_status=LabelState(found.label_status),
        recipient_name=reveal(db, "recipient_name", found.recipient_name),
        recipient_phone=reveal(db, "recipient_phone", found.recipient_phone),
    )


def void_shipment(
    db: sqlite_utils.Database,
    shipment_id: int,
    user: User | None,
    reason: str,
    station: str,
    repack: bool = False,
) -> None:
    """Void a shipment (supervisor). Its pool number becomes 'void', never handed out
    again. With `repack` the order is open to be packed anew; without, it is put on
    hold with the reason, so the bench explains why it must not be packed. A
    `shipment.voided` record joins the upload queue in the same transaction."""
    user = require(user, Action.VOID)
    if not reason.strip():
        raise ValueError("A void needs a reason.")
    stamp = now_utc()
    with transaction(db):
        row = db.execute(
            "SELECT s.order_no, s.tracking_no, s.voided_at, s.carrier, o.source "
            "FROM shipments s JOIN orders o ON o.order_no = s.order_no WHERE s.id = ?",
            [shipment_id],
        ).fetchone()
        if row is None:
            raise VoidError(f"No shipment {shipment_id}.")
        order_no, tracking_no, voided_at, carrier, source = row
        if voided_at is not None:
            raise VoidError(f"Shipment {tracking_no} was already voided on {voided_at}.")
        db.execute(
            "UPDATE shipments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?",
            (stamp, user.name, reason, shipment_id),
        )
        db.execute("UPDATE tracking_pool SET state = 'void' WHERE tracking_no = ?", [tracking_no])
        if repack:
            order_store.set_status(db, order_no, OrderStatus.OPEN, None)
        else:
            order_store.set_status(
                db, order_no, OrderStatus.HOLD, Text.of("hold_voided", reason=reason)
            )
        audit.append(
            db,
            Action.VOID,
            f"{order_no} {tracking_no}",
            actor=user.name,
            role=user.role,
            reason=reason,
            station=station,
            detail={"shipment_id": shipment_id, "repack": repack},
        )
        outbox.enqueue(
            db,
            ShipmentVoided(
                shipment_id=shipment_id,
                order_no=order_no,
                source=source,
                carrier=carrier,
                tracking_no=tracking_no,
                voided_at=stamp,
                voided_by=user.name,
                reason=reason,
                repack=repack,
                station=station,
            ),
        )

"""Voided shipments and WeChat, which keeps one waybill per order and cannot unship.

For a target without voids (the WeChat ones) the uploader settles these records
itself instead of sending them:
- a shipment voided before its upload is never uploaded (unless an earlier attempt
  may have reached WeChat: then a person checks);
- a void of a shipment WeChat already has needs a person to correct the order in
  the WeChat back office; a void of one it never got is done.
"""

from __future__ import annotations

import sqlite_utils

from station.store import deliveries
from station.store.outbox import RECORDED, VOIDED, Record
from station.sync.outcome import Outcome

NOT_SENT = "voided before upload: not sent"


def settle(
    db: sqlite_utils.Database, target: str, records: list[Record], in_doubt: set[int]
) -> dict[int, Outcome]:
    """Outcomes for the records the target must not be sent, by record id."""
    settled: dict[int, Outcome] = {}
    skipped: set[int] = set()
    for record in records:
        tracking = record.payload.get("tracking_no", "")
        if record.event == RECORDED and record.shipment_voided:
            if record.id in in_doubt:
                settled[record.id] = Outcome.attention(
                    f"waybill {tracking} was voided, but an earlier upload attempt may have "
                    f"reached WeChat: check order {record.order_no} in the WeChat back office"
                )
            else:
                settled[record.id] = Outcome.done(NOT_SENT)
                skipped.add(record.payload.get("shipment_id"))
        elif record.event == VOIDED:
            shipment_id = record.payload.get("shipment_id")
            if shipment_id not in skipped and deliveries.reached_upstream(
                db, target, shipment_id, NOT_SENT
            ):
                settled[record.id] = Outcome.attention(
                    f"waybill {tracking} was voided after WeChat got it: correct the waybill "
                    f"of order {record.order_no} in the WeChat back office"
                )
            else:
                settled[record.id] = Outcome.done("the voided waybill never reached WeChat")
    return settled

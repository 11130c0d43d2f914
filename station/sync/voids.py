"""Voided shipments and WeChat, which keeps one waybill per order and cannot unship.

For a target without voids (the WeChat ones) the uploader settles these records
itself instead of sending them:
- a shipment voided before its upload is never uploaded (unless an earlier attempt
  may have reached WeChat: then a person checks);
- a void of a shipment WeChat already has waits for a person, until the order's
  next shipment replaces the voided waybill in WeChat (the targets do that:
  the mini-program's single re-ship, the shop's deliveryinfo/update); a void of
  one it never got is done.

The decisions are the same at a bench and at the hub's uploader (station.hub.wechat);
only where "did WeChat get it" is asked differs (`settle_with`, `after_delivery_with`).
"""

from __future__ import annotations

from collections.abc import Callable, Container

import sqlite_utils

from station.core.events import EventKind
from station.store import deliveries
from station.store.outbox import Record
from station.sync.outcome import UploadResult, Verdict

NOT_SENT = "voided before upload: not sent"


def settle(
    db: sqlite_utils.Database, target: str, records: list[Record], in_doubt: Container[int]
) -> dict[int, UploadResult]:
    """Outcomes for the records the target must not be sent, by record id."""
    return settle_with(
        records,
        in_doubt,
        lambda record: deliveries.reached_upstream(db, target, record.payload.get("shipment_id")),
    )


def settle_with(
    records: list[Record], in_doubt: Container[int], reached: Callable[[Record], bool]
) -> dict[int, UploadResult]:
    """`settle`, asking `reached(void record)` whether the target took the voided
    shipment's own record (the bench's queue or the hub's)."""
    settled: dict[int, UploadResult] = {}
    for record in records:
        tracking = record.payload.get("tracking_no", "")
        if record.event == EventKind.RECORDED and record.shipment_voided:
            if record.id in in_doubt:
                settled[record.id] = UploadResult.attention(
                    f"waybill {tracking} was voided, but an earlier upload attempt may have "
                    f"reached WeChat: check order {record.order_no} in the WeChat back office"
                )
            else:
                settled[record.id] = UploadResult.done(NOT_SENT)
        elif record.event == EventKind.VOIDED:
            if reached(record):
                settled[record.id] = UploadResult.attention(
                    f"waybill {tracking} was voided after WeChat got it: packed again, the "
                    "order's new waybill replaces it in WeChat; otherwise correct order "
                    f"{record.order_no} in the WeChat back office"
                )
            else:
                settled[record.id] = UploadResult.done("the voided waybill never reached WeChat")
    return settled


def after_delivery(
    db: sqlite_utils.Database, target: str, records: list[Record], outcomes: list[UploadResult]
) -> None:
    """An order's new waybill is in WeChat now: the void of its old one that waited
    for a person is done."""

    def close(order_no: str, note: str) -> None:
        deliveries.close_attention(db, target, EventKind.VOIDED, order_no, note)

    after_delivery_with(records, outcomes, close)


def after_delivery_with(
    records: list[Record], outcomes: list[UploadResult], close: Callable[[str, str], None]
) -> None:
    """`after_delivery`, calling `close(order_no, note)` to close an order's voids."""
    for record, outcome in zip(records, outcomes, strict=True):
        if (
            record.event == EventKind.RECORDED
            and record.voided_waybills
            and outcome.verdict is Verdict.DONE
            and not record.shipment_voided
        ):
            tracking = record.payload.get("tracking_no", "")
            close(record.order_no, f"replaced in WeChat by waybill {tracking}")

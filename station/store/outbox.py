"""The upload queue: a `shipment.recorded` row per shipment (queued by
`record_shipment`) and a `shipment.voided` row per void (`void_shipment`), both
through `enqueue`, the queue's one writer.

The outbox row itself never changes except its summary `state`; how far each
sync target got with it lives in `deliveries` (station.store.deliveries).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from station.core.events import ShipmentEvent
from station.core.upload_states import WAITING, DeliveryState, OutboxState


@dataclass(frozen=True)
class Record:
    """One queued event with what an upstream knows its order by (`ref`)."""

    id: int
    event: str
    order_no: str
    idempotency_key: str
    payload: dict[str, Any]
    created_at: str
    ref: dict[str, Any] = field(default_factory=dict)
    shipment_voided: bool = False
    # Waybills of this order's voided shipments: upstream may hold one of them, and a
    # new shipment of the order replaces it there.
    voided_waybills: frozenset[str] = frozenset()


def enqueue(db: sqlite_utils.Database, event: ShipmentEvent) -> None:
    """Queue an event for upload, inside the caller's transaction (the one that
    records or voids the shipment, so that neither is kept without the other)."""
    db.execute(
        """INSERT INTO outbox (event, shipment_id, order_no, idempotency_key, payload,
             created_at) VALUES (?, ?, ?, ?, ?, ?)""",
        (
            event.kind.value,
            event.shipment_id,
            event.order_no,
            event.idempotency_key,
            event.to_json(),
            event.at,
        ),
    )


def load(db: sqlite_utils.Database, ids: Iterable[int]) -> list[Record]:
    """Records by id, in id order; each with its order's upstream references."""
    wanted = list(ids)
    if not wanted:
        return []
    marks = ",".join("?" for _ in wanted)
    rows = db.execute(
        f"""SELECT o.id, o.event, o.order_no, o.idempotency_key, o.payload, o.created_at,
                   r.data, s.voided_at IS NOT NULL,
                   (SELECT group_concat(upper(v.tracking_no), ' ') FROM shipments v
                    WHERE v.order_no = o.order_no AND v.voided_at IS NOT NULL)
            FROM outbox o LEFT JOIN order_refs r ON r.order_no = o.order_no
                 LEFT JOIN shipments s ON s.id = o.shipment_id
            WHERE o.id IN ({marks}) ORDER BY o.id""",
        wanted,
    ).fetchall()
    return [
        Record(
            id=row[0],
            event=row[1],
            order_no=row[2],
            idempotency_key=row[3],
            payload=json.loads(row[4]),
            created_at=row[5],
            ref=json.loads(row[6]) if row[6] else {},
            shipment_voided=bool(row[7]),
            voided_waybills=frozenset((row[8] or "").split()),
        )
        for row in rows
    ]


def refresh_state(db: sqlite_utils.Database, ids: Iterable[int]) -> None:
    """Summarise the targets' deliveries into `outbox.state`. Call inside a transaction.

    'attention' while any target needs a person, 'done' once every target that
    has the record is done with it (or it was dismissed), else 'queued'.
    """
    wanted = list(ids)
    if not wanted:
        return
    marks = ",".join("?" for _ in wanted)
    db.execute(
        f"""UPDATE outbox SET state = CASE
              WHEN EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = outbox.id
                           AND d.state = ?) THEN ?
              WHEN NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = outbox.id
                               AND d.state IN (?, ?)) THEN ?
              ELSE ? END
            WHERE id IN ({marks})""",
        [
            DeliveryState.ATTENTION,
            OutboxState.ATTENTION,
            *WAITING,
            OutboxState.DONE,
            OutboxState.QUEUED,
            *wanted,
        ],
    )


def save_ref(
    db: sqlite_utils.Database, order_no: str, upstream: str, data: dict[str, Any], at: str
) -> None:
    """Keep what an upstream knows an order by. Call inside a transaction."""
    db.execute(
        """INSERT INTO order_refs (order_no, upstream, data, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(order_no) DO UPDATE SET upstream = excluded.upstream,
             data = excluded.data, updated_at = excluded.updated_at""",
        (order_no, upstream, json.dumps(data, ensure_ascii=False), at),
    )

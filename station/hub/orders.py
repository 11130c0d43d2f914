"""Orders at the hub: imported once, pulled by every bench.

The hub keeps each order as the importer read it (an `ImportedOrder`, as JSON), so
a bench that pulls it imports it through the very same plan as a file: address
checks, flags, encryption at rest and the rule that a shipped order is never
touched all stay the bench's own. Every change gets a new revision; a bench asks
for the orders after the last revision it has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from station.core.address import AddressInput
from station.core.model import OrderStatus
from station.core.problem_texts import Text, from_stored, stored
from station.hub.db import order_key
from station.importers.orders import ImportedOrder, ImportLine


def to_json(order: ImportedOrder) -> dict[str, Any]:
    reason = order.hold_reason
    key, params = stored(reason if isinstance(reason, Text) else None)
    return {
        "order_no": order.order_no,
        "lines": [list(line) for line in order.lines],
        "recipient_name": order.recipient_name,
        "phone": order.phone,
        "address": list(order.address),
        "status": order.status.value,
        "hold_reason": [key, params],
        # A reason typed by a person has no key: kept as its words.
        "hold_words": reason if isinstance(reason, str) else None,
        "upstream_status": order.upstream_status,
        "buyer_note": order.buyer_note,
        "carrier": order.carrier,
        "service": order.service,
        "order_value_fen": order.order_value_fen,
        "ordered_at": order.ordered_at,
        "payment_no": order.payment_no,
        "pick_code": order.pick_code,
    }


def from_json(data: dict[str, Any]) -> ImportedOrder:
    return ImportedOrder(
        order_no=data["order_no"],
        lines=tuple(ImportLine(*line) for line in data["lines"]),
        recipient_name=data["recipient_name"],
        phone=data["phone"],
        address=AddressInput(*data["address"]),
        status=OrderStatus(data["status"]),
        hold_reason=from_stored(*data["hold_reason"]) or data.get("hold_words"),
        upstream_status=data["upstream_status"],
        buyer_note=data["buyer_note"],
        carrier=data["carrier"],
        service=data["service"],
        order_value_fen=data["order_value_fen"],
        ordered_at=data["ordered_at"],
        payment_no=data["payment_no"],
        pick_code=data["pick_code"],
    )


def put(conn: psycopg.Connection, orders: Iterable[ImportedOrder], source: str) -> int:
    """Add or replace orders; an order whose content is unchanged keeps its revision,
    so benches do not pull it again. Returns how many were added or changed."""
    rows = [(order_key(o.order_no), Jsonb(to_json(o)), source) for o in orders]
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO orders (order_no, data, source) VALUES (%s, %s, %s)
               ON CONFLICT (order_no) DO UPDATE
                 SET data = excluded.data, source = excluded.source,
                     revision = nextval('order_revision'), updated_at = now()
                 WHERE orders.data IS DISTINCT FROM excluded.data""",
            rows,
        )
        return max(cur.rowcount, 0)  # executemany: the sum over every row


def since(
    conn: psycopg.Connection, revision: int, limit: int = 5000
) -> tuple[list[ImportedOrder], int]:
    """Orders changed after `revision`, oldest first, and the last revision read."""
    rows = conn.execute(
        "SELECT data, revision FROM orders WHERE revision > %s ORDER BY revision LIMIT %s",
        [revision, limit],
    ).fetchall()
    if not rows:
        return [], revision
    return [from_json(_loaded(r[0])) for r in rows], rows[-1][1]


def _loaded(value: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(value) if isinstance(value, str) else value
    return loaded

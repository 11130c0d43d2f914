"""E-waybills at the hub: one per order for the whole warehouse.

A bench about to take an e-waybill for an order reserves the order here first, with
its idempotency key (`reserve`, one statement on the primary key, so two benches
racing get one winner). The winner takes the number and `publish`es it with what its
label needs; every other bench then copies that number (`reserve` answers it) instead
of taking its own. A bench that cancels the number upstream `release`s the order, and
the next bench to need one reserves it afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from station.hub.db import order_key

REQUESTED, TAKEN = "requested", "taken"


@dataclass(frozen=True)
class HubEwaybill:
    """The order's e-waybill as the hub holds it."""

    order_no: str
    bench: str
    provider: str
    carrier: str
    service: str
    attempt: int
    key: str
    state: str
    waybill_no: str | None
    label: dict[str, Any] = field(default_factory=dict)

    @property
    def taken(self) -> bool:
        return self.state == TAKEN and bool(self.waybill_no)


COLUMNS = """order_no, bench, provider, carrier, service, attempt, idempotency_key, state,
    waybill_no, label"""


def _row(r: Sequence[Any]) -> HubEwaybill:
    return HubEwaybill(r[0], r[1], r[2], r[3], r[4], int(r[5]), r[6], r[7], r[8], dict(r[9] or {}))


def reserve(
    conn: psycopg.Connection,
    order_no: str,
    bench: str,
    provider: str,
    carrier: str,
    service: str,
    attempt: int,
    key: str,
) -> HubEwaybill:
    """Reserve the order's e-waybill for `bench` under `key`, or learn who holds it:
    the row returned is the reservation when its bench and key are ours (a reservation
    of ours left by a crash answers with its own key: take the number under that)."""
    row = conn.execute(
        f"""INSERT INTO ewaybills (order_no, bench, provider, carrier, service, attempt,
               idempotency_key) VALUES (%s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (order_no) DO NOTHING RETURNING {COLUMNS}""",
        [order_key(order_no), bench, provider, carrier, service, attempt, key],
    ).fetchone()
    if row is None:
        row = conn.execute(
            f"SELECT {COLUMNS} FROM ewaybills WHERE order_no = %s", [order_key(order_no)]
        ).fetchone()
    assert row is not None, "a row inserted or found"
    return _row(row)


def publish(
    conn: psycopg.Connection, order_no: str, key: str, waybill_no: str, label: dict[str, Any]
) -> bool:
    """The number taken under the order's reservation `key`; False when the hub holds
    no such reservation (released meanwhile)."""
    done = conn.execute(
        """UPDATE ewaybills SET state = 'taken', waybill_no = %s, label = %s,
             updated_at = now()
           WHERE order_no = %s AND idempotency_key = %s""",
        [waybill_no, Jsonb(label), order_key(order_no), key],
    )
    return done.rowcount == 1


def release(conn: psycopg.Connection, keys: Sequence[str]) -> int:
    """Forget the reservations of these keys (their numbers were cancelled or refused):
    the orders may be reserved again. Returns how many were held."""
    if not keys:
        return 0
    return conn.execute(
        "DELETE FROM ewaybills WHERE idempotency_key = ANY(%s)", [list(keys)]
    ).rowcount


def held(conn: psycopg.Connection, keys: Sequence[str]) -> set[str]:
    """Which of these keys the hub still holds a reservation under."""
    if not keys:
        return set()
    rows = conn.execute(
        "SELECT idempotency_key FROM ewaybills WHERE idempotency_key = ANY(%s)", [list(keys)]
    )
    return {r[0] for r in rows}


def unpublished(conn: psycopg.Connection, bench: str) -> list[HubEwaybill]:
    """This bench's reservations still without a number at the hub."""
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT {COLUMNS} FROM ewaybills WHERE bench = %s AND state = 'requested'",
            [bench],
        )
    ]

"""Leases: a supervisor gives a bench orders and waybill numbers ahead of time, so it
keeps packing when the hub cannot be reached. A leased order is a claim made for
the bench (no packer yet); the numbers are handed out to it like any others."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from station.hub import numbers


@dataclass(frozen=True)
class Lease:
    bench: str
    orders: list[str]
    numbers: dict[str, list[str]]


def lease(
    conn: psycopg.Connection,
    bench: str,
    order_count: int,
    number_counts: dict[str, int],
    supervisor: str,
) -> Lease:
    """Claim up to `order_count` open orders nobody holds or shipped, oldest first,
    for `bench`, and hand it `number_counts[carrier]` numbers per carrier. Audited."""
    with conn.transaction():
        orders = [
            row[0]
            for row in conn.execute(
                """INSERT INTO claims (order_no, bench, leased)
                   SELECT o.order_no, %s, true FROM orders o
                   WHERE o.data->>'status' = 'open'
                     AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.order_no = o.order_no)
                     AND NOT EXISTS (SELECT 1 FROM shipments s
                                     WHERE s.order_no = o.order_no AND s.voided_at IS NULL)
                   ORDER BY o.revision LIMIT %s
                   ON CONFLICT (order_no) DO NOTHING
                   RETURNING order_no""",
                [bench, order_count],
            )
        ]
        given = {
            carrier: numbers.hand_out(conn, carrier, bench, count)
            for carrier, count in number_counts.items()
        }
        detail = f"{len(orders)} orders; " + ", ".join(
            f"{carrier} {len(got)} numbers" for carrier, got in given.items()
        )
        conn.execute(
            "INSERT INTO audit (actor, action, bench, detail) VALUES (%s, 'lease', %s, %s)",
            [supervisor, bench, detail],
        )
    return Lease(bench, sorted(orders), given)

"""The outbox target "hub": every shipment a bench records reaches the hub once.

A shipment is keyed at the hub by (bench, the bench's shipment id), and inserted
with ON CONFLICT DO NOTHING, so a batch sent again after a kill or a cut network
adds nothing: resends are harmless, nothing needs looking up first. A void marks
the hub's row voided. When an order then has two live shipments (two benches
shipped it offline), the hub opens an attention item that every bench pulls.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import psycopg
from psycopg.types.json import Jsonb

from station.core.events import EventKind
from station.hub.db import HubUnreachable, connect, order_key
from station.hub.port import TARGET_NAME
from station.store.outbox import Record
from station.sync.outcome import TargetProblem, UploadResult
from station.sync.target import Sending, not_noted

log = logging.getLogger("station.hub")

NAME = TARGET_NAME
DOUBLE_SHIPMENT = "double_shipment"


class HubTarget:
    name = NAME
    settle_seconds = 0.0  # resends are harmless: the hub keeps one row per shipment
    takes_voids = True

    def __init__(self, url: str, timeout_s: float = 10.0, batch: int = 200):
        self.url = url
        self.timeout_s = timeout_s
        self.batch = batch
        self._conn: psycopg.Connection | None = None

    def deliver(
        self, records: list[Record], in_doubt: Mapping[int, str], sending: Sending = not_noted
    ) -> list[UploadResult]:
        try:
            conn = self._connection()
            with conn.transaction():
                # One order's shipments are checked one push at a time, so two benches
                # pushing the same order at once cannot both miss the other's row. The
                # locks are taken in one order, so two batches never wait on each other.
                for key in sorted({order_key(r.order_no) for r in records}):
                    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
                outcomes = [self._one(conn, record) for record in records]
        except (HubUnreachable, psycopg.OperationalError) as exc:
            self.close()
            raise TargetProblem(f"hub unreachable: {exc}", in_doubt=True, offline=True) from exc
        return outcomes

    def _one(self, conn: psycopg.Connection, record: Record) -> UploadResult:
        data = record.payload
        order_no = order_key(record.order_no)
        if record.event == EventKind.RECORDED:
            conn.execute(
                """INSERT INTO shipments (bench, bench_shipment_id, order_no, carrier,
                     tracking_no, weight_g, packer, recorded_at, payload)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (bench, bench_shipment_id) DO NOTHING""",
                [
                    data["station"],
                    data["shipment_id"],
                    order_no,
                    data["carrier"],
                    data["tracking_no"],
                    data["weight_g"],
                    data["packer"],
                    data["shipped_at"],
                    Jsonb(data),
                ],
            )
        elif record.event == EventKind.VOIDED:
            conn.execute(
                """UPDATE shipments SET voided_at = %s
                   WHERE bench = %s AND bench_shipment_id = %s AND voided_at IS NULL""",
                [data["voided_at"], data["station"], data["shipment_id"]],
            )
        else:
            return UploadResult.attention(f"the hub does not take {record.event} records")
        note_doubles(conn, order_no)
        return UploadResult.done()

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = connect(self.url, self.timeout_s)
        return self._conn

    def state(self) -> dict[str, str]:
        return {}

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


def note_doubles(conn: psycopg.Connection, order_no: str) -> None:
    """Open an attention item for an order with two or more live shipments; resolve
    it when a void leaves one. Call holding the order's advisory lock (deliver)."""
    live = conn.execute(
        "SELECT bench, tracking_no, packer FROM shipments "
        "WHERE order_no = %s AND voided_at IS NULL ORDER BY id",
        [order_no],
    ).fetchall()
    if len(live) > 1:
        detail = "; ".join(f"{bench} {tracking} ({packer})" for bench, tracking, packer in live)
        conn.execute(
            """INSERT INTO attention (order_no, kind, detail) VALUES (%s, %s, %s)
               ON CONFLICT (order_no, kind) WHERE resolved_at IS NULL
               DO UPDATE SET detail = excluded.detail""",
            [order_no, DOUBLE_SHIPMENT, detail],
        )
        log.warning("order %s has %d live shipments at the hub: %s", order_no, len(live), detail)
    else:
        conn.execute(
            "UPDATE attention SET resolved_at = now() "
            "WHERE order_no = %s AND kind = %s AND resolved_at IS NULL",
            [order_no, DOUBLE_SHIPMENT],
        )


def open_attention(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    """Open attention items: (order_no, kind, detail)."""
    return conn.execute(
        "SELECT order_no, kind, detail FROM attention WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()

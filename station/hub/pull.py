"""What the bench fetches from the hub, on the uploader thread beside the pushes:
what the hub sets for every bench (products, carriers, rates, rules, users:
station.hub.cache), new and changed orders (imported through the bench's own
import plan), the orders it holds (its offline truth), a refill of its waybill
numbers, releases it made offline, and the hub's attention items (an order
shipped twice), which become alerts at the bench that stop packing until
acknowledged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
import sqlite_utils

from station.core.problem_texts import Text
from station.hub import claims, holds, numbers
from station.hub import orders as hub_orders
from station.hub.cache import CataloguePull
from station.hub.db import connect
from station.hub.link import LOST
from station.hub.port import HubStatus, status_for
from station.hub.push import NAME, open_attention
from station.importers.commit import apply_plan, plan_orders
from station.importers.orders import OrderPreview
from station.store import deliveries, pool
from station.store import flags as flag_store
from station.store.db import transaction
from station.sync.outcome import TargetProblem
from station.sync.uploader import LAST_ERROR, ONLINE

log = logging.getLogger("station.hub")

ORDER_REVISION = "order_revision"
PULL_BATCH = 5000


class HubPuller:
    name = NAME

    def __init__(
        self,
        url: str,
        bench: str,
        timeout_s: float,
        numbers_ahead: int,
        interval_s: float,
        check_words: Sequence[str],
        status: HubStatus | None = None,
        clock: Callable[[], float] = time.monotonic,
        folder: Path | None = None,
    ):
        self.url = url
        self.bench = bench
        self.timeout_s = timeout_s
        self.numbers_ahead = numbers_ahead
        self.interval_s = interval_s
        self.check_words = check_words
        self.status = status or status_for(url)
        self.clock = clock
        self._next = 0.0
        self._conn: psycopg.Connection | None = None
        self._catalogue = CataloguePull(folder)

    def due(self, now: float) -> bool:
        return self.clock() >= self._next

    def pull(self, db: sqlite_utils.Database) -> str:
        self._next = self.clock() + self.interval_s
        try:
            if self._conn is None or self._conn.closed:
                self._conn = connect(self.url, self.timeout_s)
            summary = self._pull(self._conn, db)
        except LOST as exc:
            self.close()
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "hub unreachable"
            self.status.offline(reason)
            raise TargetProblem(f"hub unreachable: {reason}", in_doubt=False, offline=True) from exc
        self.status.online()
        # Like an answer to a push: the hub's row in `station sync status` shows it.
        deliveries.save_state(db, NAME, {ONLINE: "1", LAST_ERROR: ""})
        return summary

    def _pull(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> str:
        released = self._tell_releases(conn, db)
        catalogue = self._catalogue.pull(conn, db)  # before orders: their carriers, products
        imported = self._orders(conn, db)
        holds.replace_from_hub(
            db,
            [
                (o, leased, since.isoformat())
                for o, leased, since in claims.held_by(conn, self.bench)
            ],
        )
        refilled = self._numbers(conn, db)
        alerts = self._attention(conn, db)
        summary = (
            f"hub: {imported} orders, {refilled} numbers, {released} releases, {alerts} alerts"
        )
        return summary + "".join(f", {n} {kind.value}" for kind, n in catalogue.items())

    def _tell_releases(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> int:
        pending = holds.pending_releases(db)
        for order_no in pending:
            claims.release(conn, order_no, self.bench)
        holds.released(db, pending)
        return len(pending)

    def _orders(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> int:
        total = 0
        while True:
            cursor = int(deliveries.get_state(db, NAME, ORDER_REVISION) or 0)
            pulled, last = hub_orders.since(conn, cursor, PULL_BATCH)
            if not pulled:
                return total
            plan = plan_orders(db, OrderPreview(orders=pulled), "hub", self.check_words)
            apply_plan(db, plan)
            with transaction(db):
                deliveries.set_state(db, NAME, ORDER_REVISION, str(last))
            total += len(pulled)

    def _numbers(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> int:
        """Keep `numbers_ahead` free numbers per carrier here. A crash between the
        hand-out and the local insert loses those numbers (never reused), no more."""
        added = 0
        for carrier in numbers.carriers(conn):
            wanted = self.numbers_ahead - pool.free_count(db, carrier)
            if wanted > 0:
                given = numbers.hand_out(conn, carrier, self.bench, wanted)
                added += pool.add_numbers(db, carrier, given)
        return added

    def _attention(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> int:
        items = open_attention(conn)
        with transaction(db):
            for order_no, kind, detail in items:
                text = Text.of("alert_double_shipment", order_no=order_no, detail=detail)
                flag_store.add_alert(db, order_no, kind, str(text), text)
        return len(items)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

"""The bench's side of the hub's one-e-waybill-per-order table (station.hub.ewaybills),
for the e-waybill prefetch (station.waybills.coordination.Coordinator)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import psycopg

from station.hub import ewaybills
from station.hub.db import HubUnreachable, connect
from station.settings import Settings
from station.waybills.coordination import Coordinator, CoordinatorOffline, Shared, label_of
from station.waybills.model import Taken

LOST = (HubUnreachable, psycopg.OperationalError, psycopg.InterfaceError)
T = TypeVar("T")


class HubCoordinator:
    def __init__(self, url: str, bench: str, timeout_s: float = 3.0):
        self.url = url
        self.bench = bench
        self.timeout_s = timeout_s
        self._conn: psycopg.Connection | None = None

    def _ask(self, question: Callable[[psycopg.Connection], T]) -> T:
        """Ask on the open connection, opened again once if the hub dropped it."""
        for attempt in (1, 2):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.url, self.timeout_s)
                return question(self._conn)
            except LOST as exc:
                self.close()
                if attempt == 2 or isinstance(exc, HubUnreachable):
                    raise CoordinatorOffline(f"hub unreachable: {exc}") from exc
        raise AssertionError("unreachable")

    def reserve(
        self, order_no: str, provider: str, carrier: str, service: str, attempt: int, key: str
    ) -> Shared:
        row = self._ask(
            lambda conn: ewaybills.reserve(
                conn, order_no, self.bench, provider, carrier, service, attempt, key
            )
        )
        return Shared(
            row.bench,
            row.provider,
            row.carrier,
            row.service,
            row.attempt,
            row.key,
            row.waybill_no if row.taken else None,
            row.label,
        )

    def publish(self, order_no: str, key: str, taken: Taken) -> bool:
        return self._ask(
            lambda conn: ewaybills.publish(conn, order_no, key, taken.waybill_no, label_of(taken))
        )

    def release(self, keys: Sequence[str]) -> None:
        self._ask(lambda conn: ewaybills.release(conn, keys))

    def held(self, keys: Sequence[str]) -> set[str]:
        return self._ask(lambda conn: ewaybills.held(conn, keys))

    def unpublished(self) -> list[tuple[str, str]]:
        rows = self._ask(lambda conn: ewaybills.unpublished(conn, self.bench))
        return [(r.order_no, r.key) for r in rows]

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


def coordinator_for(settings: Settings) -> Coordinator | None:
    """The hub's coordination when `hub.url` is set; None for a bench alone."""
    url = settings["hub.url"]
    if not url:
        return None
    return HubCoordinator(url, settings["station.name"], settings["hub.timeout_seconds"])

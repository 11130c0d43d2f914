"""The bench's side of the hub: claims at the order scan (`HubPort`).

Only the order scan waits for the hub, never the weigh-to-label path: numbers come
from the local pool, which the uploader thread keeps filled from the hub. Each call
is bounded by `hub.timeout_seconds`; past it the bench works offline on what its
database says it holds (station.hub.holds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import psycopg
import sqlite_utils

from station.hub import claims, holds
from station.hub.db import HubUnreachable, connect
from station.hub.port import ClaimAnswer, ClaimVerdict, HubStatus, status_for

log = logging.getLogger("station.hub")

LOST = (HubUnreachable, psycopg.OperationalError, psycopg.InterfaceError)

T = TypeVar("T")


class HubLink:
    def __init__(
        self,
        db: sqlite_utils.Database,
        url: str,
        bench: str,
        timeout_s: float = 3.0,
        status: HubStatus | None = None,
    ):
        self.db = db
        self.url = url
        self.bench = bench
        self.timeout_s = timeout_s
        self.status = status or status_for(url)
        self._conn: psycopg.Connection | None = None

    def claim(self, order_no: str, packer: str) -> ClaimAnswer:
        try:
            result = self._ask(lambda conn: claims.claim(conn, order_no, self.bench, packer))
        except LOST as exc:
            return self._offline_answer(order_no, exc)
        holder = result.holder
        if result.granted_to(self.bench):
            holds.hold(self.db, order_no, holds.HoldKind.CLAIMED)
            return ClaimAnswer(ClaimVerdict.GRANTED, holder.bench, holder.packer, holder.since)
        log.info(
            "order %s is held by %s (%s) since %s",
            order_no,
            holder.bench,
            holder.packer,
            holder.since,
        )
        return ClaimAnswer(ClaimVerdict.HELD_ELSEWHERE, holder.bench, holder.packer, holder.since)

    def release(self, order_no: str) -> None:
        try:
            self._ask(lambda conn: claims.release(conn, order_no, self.bench))
            told = True
        except LOST as exc:
            log.warning("order %s released offline; the hub is told later: %s", order_no, exc)
            told = False
        holds.give_back(self.db, order_no, hub_told=told)

    def allow_offline(self, order_no: str, supervisor: str) -> None:
        holds.hold(self.db, order_no, holds.HoldKind.OVERRIDE, f"offline override by {supervisor}")

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _ask(self, question: Callable[[psycopg.Connection], T]) -> T:
        """Ask on the open connection; a connection the hub dropped (restart, cut)
        is opened again once before the hub counts as unreachable."""
        for attempt in (1, 2):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.url, self.timeout_s)
                answer = question(self._conn)
                self.status.online()
                return answer
            except LOST as exc:
                self.close()
                if attempt == 2 or isinstance(exc, HubUnreachable):
                    self.status.offline(str(exc).strip().splitlines()[0] if str(exc) else "")
                    raise
        raise AssertionError("unreachable")

    def _offline_answer(self, order_no: str, exc: BaseException) -> ClaimAnswer:
        kind = holds.held(self.db, order_no)
        log.warning("hub unreachable at the scan of %s (%s); held here: %s", order_no, exc, kind)
        if kind is None:
            return ClaimAnswer(ClaimVerdict.OFFLINE_NOT_HELD)
        return ClaimAnswer(ClaimVerdict.OFFLINE_HELD, self.bench)

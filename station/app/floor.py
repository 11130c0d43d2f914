"""The warehouse floor for a supervisor: the dashboard's Warehouse view and
`station hub report`. Each question opens a connection to the hub and closes it,
so a view left open holds nothing at the hub between refreshes; an unreachable
hub raises HubUnreachable within the timeout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import psycopg

from station.core.handover import Manifest
from station.hub import floor
from station.hub.db import HubUnreachable, connect, unreachable
from station.hub.floor import BenchState, FloorReport, Presence, Rate
from station.hub.migrations import HubNotInitialised, HubTooNew, check
from station.store.reports import Period

T = TypeVar("T")

__all__ = [
    "BenchState",
    "Floor",
    "FloorReport",
    "HubNotInitialised",
    "HubTooNew",
    "HubUnreachable",
    "Period",
    "Presence",
    "Rate",
]


class Floor:
    def __init__(self, url: str, timeout_s: float = 3.0):
        self.url = url
        self.timeout_s = timeout_s

    def report(self, period: Period) -> FloorReport:
        """Every bench's state and the period's figures."""
        return self._ask(
            lambda conn: floor.floor_report(conn, period.start, period.end, period.hours())
        )

    def manifest(self, carrier: str, day: date) -> Manifest:
        """One carrier's parcels of a local day, from every bench."""
        period = Period.days(day)
        found = self._ask(lambda conn: floor.manifest(conn, carrier, period.start, period.end))
        return Manifest(found.carrier, day.isoformat(), found.station, found.parcels)

    def _ask(self, question: Callable[[psycopg.Connection], T]) -> T:
        """On a connection of its own, checked first: HubNotInitialised or HubTooNew
        for a schema this station cannot read, HubUnreachable for a lost hub."""
        try:
            with connect(self.url, self.timeout_s) as conn:
                check(conn)
                return question(conn)
        except psycopg.OperationalError as exc:
            raise unreachable(exc) from exc

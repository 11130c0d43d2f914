"""The warehouse floor for a supervisor: the dashboard's Warehouse view and
`station hub report`. Each question opens a connection to the hub and closes it,
so a view left open holds nothing at the hub between refreshes; an unreachable
hub raises HubUnreachable within the timeout."""

from __future__ import annotations

from datetime import date

import psycopg

from station.core.handover import Manifest
from station.hub import floor
from station.hub.db import HubUnreachable, connect, unreachable
from station.hub.floor import BenchState, FloorReport, Presence, Rate
from station.hub.migrations import HubNotInitialised, HubTooNew, check
from station.store.reports import Period

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
        with self._connection() as conn:
            try:
                return floor.floor_report(conn, period.start, period.end, period.hours())
            except psycopg.OperationalError as exc:
                raise unreachable(exc) from exc

    def manifest(self, carrier: str, day: date) -> Manifest:
        """One carrier's parcels of a local day, from every bench."""
        period = Period.days(day)
        with self._connection() as conn:
            try:
                found = floor.manifest(conn, carrier, period.start, period.end)
            except psycopg.OperationalError as exc:
                raise unreachable(exc) from exc
        return Manifest(found.carrier, day.isoformat(), found.station, found.parcels)

    def _connection(self) -> psycopg.Connection:
        """Connected and checked: HubNotInitialised or HubTooNew for a schema this
        station cannot read."""
        conn = connect(self.url, self.timeout_s)
        try:
            check(conn)
        except BaseException:
            conn.close()
            raise
        return conn

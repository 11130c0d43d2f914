"""The dock's side of the hub: parcels handed to a courier, checked and recorded
warehouse-wide (`HubDock`, the `DockPort` of station.app.handover).

A parcel scanned into a bag is taken at the hub in one transaction: it must be a
live shipment some bench pushed, of the courier's carrier, the only live parcel of
its order, and in no other bag (the primary key of `handed_over`). Answers that the
hub cannot give raise DockOffline, and the dock falls back to its own records.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import psycopg

from station.core.handover import DockCheck, DockOffline, ShippedParcel, Unexpected, normalise
from station.hub.db import HubUnreachable, connect
from station.hub.port import HubStatus, status_for

log = logging.getLogger("station.hub")

LOST = (HubUnreachable, psycopg.OperationalError, psycopg.InterfaceError)
T = TypeVar("T")

_PARCEL = """SELECT tracking_no, order_no, carrier, weight_g, recorded_at, bench, packer,
                    voided_at IS NOT NULL
             FROM shipments"""


def _parcel(row: tuple[Any, ...]) -> ShippedParcel:
    tracking_no, order_no, carrier, weight_g, recorded_at, bench, packer, voided = row
    return ShippedParcel(
        tracking_no,
        order_no,
        carrier,
        weight_g,
        recorded_at.isoformat(),
        station=bench,
        packer=packer,
        voided=voided,
    )


def pending(conn: psycopg.Connection, carrier: str, since: dt.datetime) -> list[ShippedParcel]:
    """Live parcels of a carrier recorded since `since`, at any bench, in no bag yet."""
    rows = conn.execute(
        f"""{_PARCEL} s WHERE carrier = %s AND recorded_at >= %s AND voided_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM handed_over h
                              WHERE h.tracking_no = upper(s.tracking_no))
            ORDER BY recorded_at, id""",
        [carrier.upper(), since],
    ).fetchall()
    return [_parcel(row) for row in rows]


def take(
    conn: psycopg.Connection, handover: str, station: str, tracking_no: str, carrier: str
) -> DockCheck:
    """Check a parcel scanned into a bag and, if it may go, record it in that bag."""
    code = normalise(tracking_no)
    with conn.transaction():
        found = conn.execute(
            f"{_PARCEL} WHERE upper(tracking_no) = %s ORDER BY voided_at IS NOT NULL, id DESC",
            [code],
        ).fetchone()
        if found is None:
            return DockCheck(Unexpected.UNRECORDED)
        parcel = _parcel(found)
        if parcel.voided:
            return DockCheck(Unexpected.VOIDED, parcel)
        if parcel.carrier.upper() != carrier.upper():
            return DockCheck(Unexpected.OTHER_CARRIER, parcel)
        others = conn.execute(
            """SELECT tracking_no FROM shipments
               WHERE order_no = %s AND voided_at IS NULL AND upper(tracking_no) <> %s
               ORDER BY id""",
            [parcel.order_no, code],
        ).fetchall()
        if others:
            return DockCheck(Unexpected.DOUBLE, parcel, others=tuple(o[0] for o in others))
        holder = conn.execute(
            """INSERT INTO handed_over (tracking_no, handover, station, carrier, order_no)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (tracking_no) DO UPDATE
                 SET handover = excluded.handover, scanned_at = now()
                 WHERE handed_over.station = excluded.station
                   AND handed_over.finished_at IS NULL
               RETURNING handover""",
            [code, handover, station, parcel.carrier, parcel.order_no],
        ).fetchone()
        if holder is None:  # in another station's bag, or a finished handover
            where, at = conn.execute(
                "SELECT station, coalesce(finished_at, scanned_at) FROM handed_over "
                "WHERE tracking_no = %s",
                [code],
            ).fetchone() or ("?", None)
            return DockCheck(Unexpected.HANDED_OVER, parcel, station=where, at=at)
    return DockCheck(None, parcel)


def give_back(conn: psycopg.Connection, handover: str, tracking_no: str) -> None:
    """A parcel taken back out of an unfinished bag."""
    conn.execute(
        "DELETE FROM handed_over WHERE tracking_no = %s AND handover = %s AND finished_at IS NULL",
        [normalise(tracking_no), handover],
    )


def finish(
    conn: psycopg.Connection,
    handover: str,
    station: str,
    courier: str,
    parcels: Iterable[ShippedParcel],
) -> list[str]:
    """Sign a bag: each parcel in it recorded as handed over (also those scanned while
    the hub was unreachable), any other row of the bag given back. Returns the parcels
    already in another bag or handed over elsewhere."""
    clashes = []
    with conn.transaction():
        for parcel in parcels:
            code = normalise(parcel.tracking_no)
            row = conn.execute(
                """INSERT INTO handed_over (tracking_no, handover, station, carrier, order_no,
                     courier, finished_at)
                   VALUES (%s, %s, %s, %s, %s, %s, now())
                   ON CONFLICT (tracking_no) DO UPDATE
                     SET handover = excluded.handover, courier = excluded.courier,
                         finished_at = excluded.finished_at
                     WHERE handed_over.finished_at IS NULL
                       AND (handed_over.handover = excluded.handover
                            OR handed_over.station = excluded.station)
                   RETURNING 1""",
                [code, handover, station, parcel.carrier, parcel.order_no, courier],
            ).fetchone()
            if row is None:
                clashes.append(code)
        abandon(conn, handover)
    return clashes


def catch_up(
    conn: psycopg.Connection, station: str, handed: Sequence[tuple[ShippedParcel, str]]
) -> None:
    """Handovers a station finished while the hub was unreachable: recorded as handed
    over (a parcel the hub already has stays as it is)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO handed_over (tracking_no, handover, station, carrier, order_no,
                 courier, finished_at)
               VALUES (%s, %s, %s, %s, %s, %s, now())
               ON CONFLICT (tracking_no) DO NOTHING""",
            [
                (normalise(p.tracking_no), f"offline:{station}", station, p.carrier, p.order_no, c)
                for p, c in handed
            ],
        )


def abandon(conn: psycopg.Connection, handover: str) -> None:
    """A bag never signed: its parcels may go in another."""
    conn.execute("DELETE FROM handed_over WHERE handover = %s AND finished_at IS NULL", [handover])


class HubDock:
    """The hub for one dock (a station's handover dialog), on one connection kept
    open; reports to the station's hub light."""

    def __init__(
        self, url: str, station: str, timeout_s: float = 3.0, status: HubStatus | None = None
    ):
        self.url = url
        self.station = station
        self.timeout_s = timeout_s
        self.status = status or status_for(url)
        self._conn: psycopg.Connection | None = None

    def pending(self, carrier: str, since: dt.datetime) -> list[ShippedParcel]:
        return self._ask(lambda conn: pending(conn, carrier, since))

    def catch_up(self, handed: Sequence[tuple[ShippedParcel, str]]) -> None:
        self._ask(lambda conn: catch_up(conn, self.station, handed))

    def take(self, handover: str, tracking_no: str, carrier: str) -> DockCheck:
        return self._ask(lambda conn: take(conn, handover, self.station, tracking_no, carrier))

    def give_back(self, handover: str, tracking_no: str) -> None:
        self._ask(lambda conn: give_back(conn, handover, tracking_no))

    def finish(self, handover: str, courier: str, parcels: Sequence[ShippedParcel]) -> list[str]:
        return self._ask(lambda conn: finish(conn, handover, self.station, courier, parcels))

    def abandon(self, handover: str) -> None:
        self._ask(lambda conn: abandon(conn, handover))

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _ask(self, question: Callable[[psycopg.Connection], T]) -> T:
        """Ask on the open connection, opened again once if the hub dropped it;
        DockOffline when the hub cannot answer."""
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
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "hub"
                    self.status.offline(reason)
                    log.warning("dock: the hub cannot be asked: %s", reason)
                    raise DockOffline(reason) from exc
        raise AssertionError("unreachable")

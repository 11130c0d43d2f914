"""Courier handovers in the database: the parcels a courier should take, any
scanned number looked up, and the finished handover recorded with every item."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import sqlite_utils

from station.core.handover import Handover, Manifest, ShippedParcel
from station.store import catalogue
from station.store.db import iso, now_utc, transaction
from station.store.reports import Period

_PARCEL_COLUMNS = """s.tracking_no, s.order_no, s.carrier, s.weight_g, s.recorded_at, s.station,
    s.packer, s.id, s.voided_at IS NOT NULL"""


def _parcels(db: sqlite_utils.Database, sql: str, params: list[object]) -> list[ShippedParcel]:
    rows: list[tuple[str, str, str, int, str, str, str, int, int]]
    rows = db.execute(sql, params).fetchall()
    return [ShippedParcel(*row[:8], voided=bool(row[8])) for row in rows]


def day_parcels(
    db: sqlite_utils.Database, carrier: str, period: Period, station: str | None = None
) -> list[ShippedParcel]:
    """Live parcels of one carrier recorded in a period, oldest first (the manifest)."""
    start, end = period.bounds()
    sql = f"""SELECT {_PARCEL_COLUMNS} FROM shipments s
              WHERE s.carrier = ? AND s.recorded_at >= ? AND s.recorded_at < ?
                AND s.voided_at IS NULL"""
    params: list[object] = [carrier.upper(), start, end]
    if station:
        sql += " AND s.station = ?"
        params.append(station)
    return _parcels(db, sql + " ORDER BY s.recorded_at, s.id", params)


def pending_parcels(
    db: sqlite_utils.Database, carrier: str, days: int, now: datetime | None = None
) -> list[ShippedParcel]:
    """Live parcels of one carrier from the last `days` days not yet handed over."""
    today = (now or datetime.now().astimezone()).date()
    start, end = Period.days(today - timedelta(days=max(days, 1) - 1), today).bounds()
    return _parcels(
        db,
        f"""SELECT {_PARCEL_COLUMNS} FROM shipments s
            WHERE s.carrier = ? AND s.recorded_at >= ? AND s.recorded_at < ?
              AND s.voided_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM handover_items h
                              WHERE h.tracking_no = s.tracking_no AND h.status = 'scanned')
            ORDER BY s.recorded_at, s.id""",
        [carrier.upper(), start, end],
    )


def pending_counts(
    db: sqlite_utils.Database, days: int, now: datetime | None = None
) -> dict[str, int]:
    """How many parcels of each carrier wait for their courier (as pending_parcels)."""
    today = (now or datetime.now().astimezone()).date()
    start, end = Period.days(today - timedelta(days=max(days, 1) - 1), today).bounds()
    return dict(
        db.execute(
            """SELECT s.carrier, count(*) FROM shipments s
               WHERE s.recorded_at >= ? AND s.recorded_at < ? AND s.voided_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM handover_items h
                                 WHERE h.tracking_no = s.tracking_no AND h.status = 'scanned')
               GROUP BY s.carrier""",
            [start, end],
        ).fetchall()
    )


def find_parcel(db: sqlite_utils.Database, tracking_no: str) -> ShippedParcel | None:
    """The shipment holding a waybill number: the live one, else the newest voided one."""
    found = _parcels(
        db,
        f"""SELECT {_PARCEL_COLUMNS} FROM shipments s WHERE s.tracking_no = ?
            ORDER BY s.voided_at IS NOT NULL, s.id DESC LIMIT 1""",
        [tracking_no.strip()],
    )
    return found[0] if found else None


def save(
    db: sqlite_utils.Database, handover: Handover, station: str, signed_by: str, courier: str
) -> int:
    """Record a finished handover and each of its items; returns its id."""
    missing = handover.missing
    with transaction(db):
        handover_id = db.execute(
            """INSERT INTO handovers (carrier, station, signed_by, courier, started_at,
                 finished_at, expected, scanned, missing, unexpected)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                handover.carrier,
                station,
                signed_by,
                courier,
                iso(handover.started_at),
                now_utc(),
                len(handover.expected),
                len(handover.scanned),
                len(missing),
                len(handover.strays),
            ),
        ).lastrowid
        assert handover_id is not None, "an INSERT gives its row's id"
        rows: list[tuple[int, str, int | None, str, str | None]] = [
            (handover_id, code, handover.expected[code].shipment_id, "scanned", iso(at))
            for code, at in handover.scanned.items()
        ]
        rows += [
            (handover_id, p.tracking_no.upper(), p.shipment_id, "missing", None) for p in missing
        ]
        rows += [
            (
                handover_id,
                s.tracking_no,
                s.parcel.shipment_id if s.parcel else None,
                "unexpected",
                iso(s.at),
            )
            for s in handover.strays.values()
        ]
        db.conn.executemany(
            """INSERT INTO handover_items (handover_id, tracking_no, shipment_id, status,
                 scanned_at) VALUES (?, ?, ?, ?, ?)""",
            rows,
        )
    return handover_id


def handed_over_since(
    db: sqlite_utils.Database, since: datetime
) -> list[tuple[ShippedParcel, str]]:
    """Parcels scanned into a bag of a handover finished since `since`, each with the
    courier who took it (for a hub that may not know them: finished offline)."""
    rows = db.execute(
        """SELECT i.tracking_no, coalesce(s.order_no, ''), h.carrier, h.station, h.courier
           FROM handover_items i JOIN handovers h ON h.id = i.handover_id
           LEFT JOIN shipments s ON s.id = i.shipment_id
           WHERE i.status = 'scanned' AND h.finished_at >= ?""",
        [iso(since)],
    ).fetchall()
    return [
        (ShippedParcel(code, order_no, carrier, 0, "", station=station), courier)
        for code, order_no, carrier, station, courier in rows
    ]


def handover_items(db: sqlite_utils.Database, handover_id: int) -> dict[str, str]:
    """Tracking number -> status of one recorded handover."""
    return dict(
        db.execute(
            "SELECT tracking_no, status FROM handover_items WHERE handover_id = ?", [handover_id]
        ).fetchall()
    )


def manifest_for_day(
    db: sqlite_utils.Database, carrier: str, day: date, station: str = ""
) -> Manifest:
    """One carrier's parcels of a day; without `station`, every station's, and the
    sheet names the stations they were packed at."""
    parcels = day_parcels(db, carrier, Period.days(day), station or None)
    stations = station or ", ".join(sorted({p.station for p in parcels if p.station}))
    return _named(db, Manifest(carrier.upper(), day.isoformat(), stations, tuple(parcels)))


def manifest_for_handover(
    db: sqlite_utils.Database,
    handover: Handover,
    station: str,
    courier: str = "",
    shipper: str = "",
) -> Manifest:
    """The manifest of what actually went into the bag, with who took and gave it."""
    title = handover.started_at.strftime("%Y-%m-%d %H:%M")
    manifest = Manifest(
        handover.carrier,
        title,
        station,
        tuple(handover.in_bag),
        courier=courier,
        shipper=shipper,
    )
    return _named(db, manifest)


def _named(db: sqlite_utils.Database, manifest: Manifest) -> Manifest:
    """The manifest with its carrier's names from the catalogue (active or not)."""
    known = catalogue.carriers(db, active_only=False).get(manifest.carrier.upper())
    if known is None:
        return manifest
    return replace(manifest, carrier_name_zh=known.name_zh, carrier_name_en=known.name_en)

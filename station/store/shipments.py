"""Recording shipments: the shipment, its scan events, overrides, pool number and
upload-queue row, all in one transaction, so a crash leaves all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from station.core.events import ShipmentRecorded, ShippedItem
from station.core.learning import sample_from_parcel
from station.core.masking import mask_phone
from station.core.model import LabelState, OrderStatus
from station.core.session import PackingSession, Phase, TrackingSource
from station.store import ewaybills, outbox
from station.store.db import iso, now_utc, transaction
from station.store.learning import add_sample
from station.store.pool import claim_number


class AlreadyShipped(RuntimeError):
    """The order got a live shipment meanwhile (another bench, or a double record)."""


class PoolEmpty(RuntimeError):
    pass


@dataclass(frozen=True)
class Recorded:
    shipment_id: int
    order_no: str
    carrier: str
    tracking_no: str
    weight_g: int


def record_shipment(
    db: sqlite_utils.Database,
    session: PackingSession,
    packer: str,
    station: str,
    from_pool: bool = False,
    claim: Callable[[sqlite_utils.Database], str | None] | None = None,
) -> Recorded:
    """Record a verified, weighed parcel. With `from_pool` the waybill number is
    claimed inside the same transaction: by `claim` when given (an e-waybill taken
    ahead), else from the carrier's pool."""
    assert session.weight is not None and session.carrier is not None
    order = session.order
    recorded_at = now_utc()
    with transaction(db):
        if db.execute(
            "SELECT 1 FROM shipments WHERE order_no = ? AND voided_at IS NULL", [order.order_no]
        ).fetchone():
            raise AlreadyShipped(order.order_no)
        tracking_no, source = _waybill(db, session, from_pool, claim)
        cursor = db.execute(
            """INSERT INTO shipments (order_no, carrier, service, tracking_no, tracking_source,
                 weight_g, expected_weight_g, packer, station, started_at, verified_at,
                 weighed_at, recorded_at, shipping_cost_fen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                order.order_no,
                session.carrier.code,
                order.service,
                tracking_no,
                source,
                session.weight.grams,
                session.weight.expected,
                packer,
                station,
                iso(session.started_at),
                iso(session.verified_at) if session.verified_at else None,
                iso(session.weighed_at) if session.weighed_at else None,
                recorded_at,
                session.shipping_cost_fen,
            ),
        )
        shipment_id = cursor.lastrowid
        assert shipment_id is not None, "an INSERT gives its row's id"
        if from_pool:
            db.execute(
                "UPDATE tracking_pool SET shipment_id = ? WHERE tracking_no = ?",
                (shipment_id, tracking_no),
            )
        db.execute(
            "UPDATE orders SET status = ?, updated_at = ? WHERE order_no = ?",
            (OrderStatus.SHIPPED.value, recorded_at, order.order_no),
        )
        _insert_events(db, session, shipment_id, packer, station)
        db.conn.executemany(
            """INSERT INTO overrides (shipment_id, order_no, at, kind, subject, supervisor,
                 reason, station) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (
                    shipment_id,
                    order.order_no,
                    iso(o.at),
                    o.kind,
                    o.subject,
                    o.supervisor,
                    o.reason,
                    station,
                )
                for o in session.overrides
            ],
        )
        _learn_weight(db, session, shipment_id)
        outbox.enqueue(
            db, _recorded_event(session, tracking_no, shipment_id, recorded_at, packer, station)
        )
    return Recorded(
        shipment_id,
        order.order_no,
        session.carrier.code,
        tracking_no,
        session.weight.grams,
    )


def _waybill(
    db: sqlite_utils.Database,
    session: PackingSession,
    from_pool: bool,
    claim: Callable[[sqlite_utils.Database], str | None] | None,
) -> tuple[str, TrackingSource]:
    """The shipment's waybill number and its source: the one scanned into the session
    (READY), or one claimed (the session still waiting in TRACKING) by `claim` (an
    e-waybill taken ahead) or from the carrier's pool."""
    assert session.carrier is not None
    if not from_pool:
        if session.phase is not Phase.READY:
            raise RuntimeError(f"record_shipment() in phase {session.phase}")
        return session.tracking_no, session.tracking_source
    if session.phase is not Phase.TRACKING:
        raise RuntimeError(f"record_shipment(from_pool=True) in phase {session.phase}")
    number = claim(db) if claim else claim_number(db, session.carrier.code)
    if number is None:
        raise PoolEmpty(session.carrier.code)
    return number, TrackingSource.POOL


def _learn_weight(db: sqlite_utils.Database, session: PackingSession, shipment_id: int) -> None:
    """A single-SKU parcel refines that SKU's weight.

    Supervisor-confirmed weights count too: when the catalogue weight is wrong,
    every parcel is out of tolerance, and those confirmations are how it heals.
    """
    assert session.weight is not None
    sample = sample_from_parcel(
        [(line.sku, line.quantity) for line in session.order.lines],
        session.weight.grams,
        session.rule.packaging_grams,
    )
    if sample is not None:
        add_sample(db, sample, shipment_id)


def record_abandoned(
    db: sqlite_utils.Database, session: PackingSession, packer: str, station: str
) -> None:
    """Keep the scan events of a session that ended without a shipment (cancel, hold)."""
    with transaction(db):
        _insert_events(db, session, None, packer, station)


def _insert_events(
    db: sqlite_utils.Database,
    session: PackingSession,
    shipment_id: int | None,
    packer: str,
    station: str,
) -> None:
    db.conn.executemany(
        """INSERT INTO scan_events (shipment_id, order_no, at, kind, code, result, detail,
             station, packer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                shipment_id,
                session.order.order_no,
                iso(e.at),
                e.kind,
                e.code,
                e.result,
                e.detail,
                station,
                packer,
            )
            for e in session.events
        ],
    )


def _recorded_event(
    session: PackingSession,
    tracking_no: str,
    shipment_id: int,
    recorded_at: str,
    packer: str,
    station: str,
) -> ShipmentRecorded:
    order = session.order
    assert session.carrier is not None and session.weight is not None
    return ShipmentRecorded(
        shipment_id=shipment_id,
        order_no=order.order_no,
        source=order.source,
        carrier=session.carrier.code,
        tracking_no=tracking_no,
        weight_g=session.weight.grams,
        shipped_at=recorded_at,
        station=station,
        packer=packer,
        receiver_contact=mask_phone(order.recipient.phone),
        items=tuple(ShippedItem(line.sku, line.name, line.quantity) for line in order.lines),
    )


def mark_printed(db: sqlite_utils.Database, shipment_id: int, platform_notice: bool = False) -> int:
    """Note a successful print; returns how many times the label has now been printed.
    `platform_notice`: the label went through WeChat Shop's print component, whose
    print-success notice (order/print) is queued in the same transaction, so a crash
    after the print is noted never loses it (first print or reprint alike)."""
    with transaction(db):
        db.execute(
            """UPDATE shipments SET label_status = ?, label_error = '',
                 print_count = print_count + 1, printed_at = COALESCE(printed_at, ?)
               WHERE id = ?""",
            (LabelState.PRINTED, now_utc(), shipment_id),
        )
        count, tracking_no = db.execute(
            "SELECT print_count, tracking_no FROM shipments WHERE id = ?", [shipment_id]
        ).fetchone()
        if platform_notice:
            ewaybills.queue_print_notice(db, tracking_no, count)
        return int(count)


def mark_print_failed(db: sqlite_utils.Database, shipment_id: int, reason: str) -> None:
    with transaction(db):
        db.execute(
            """UPDATE shipments SET label_error = :reason,
                 label_status = CASE label_status WHEN :printed THEN :printed ELSE :failed END
               WHERE id = :id""",
            {
                "reason": reason,
                "printed": LabelState.PRINTED,
                "failed": LabelState.FAILED,
                "id": shipment_id,
            },
        )


def unprinted(
    db: sqlite_utils.Database, up_to: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Live shipments whose label was never printed, oldest first (up to shipment id
    `up_to`). A shipment is recorded with its label "pending" in the same transaction,
    and only a finished print marks it printed, so a crash or a kill between the two,
    or a failed print, leaves it here until its label is printed or it is voided."""
    return list(
        db.query(
            """SELECT id, order_no, carrier, tracking_no, weight_g, recorded_at,
                      label_status, label_error FROM shipments
               WHERE voided_at IS NULL AND print_count = 0 AND id <= ?
               ORDER BY id LIMIT ?""",
            [up_to if up_to is not None else 2**62, limit if limit is not None else -1],
        )
    )


def shipment_row(db: sqlite_utils.Database, shipment_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM shipments WHERE id = ?", [shipment_id]))
    return rows[0] if rows else None


def newest_id(db: sqlite_utils.Database) -> int | None:
    """The id of the newest shipment of any station, voided or not; None when none."""
    newest: int | None = db.execute("SELECT max(id) FROM shipments").fetchone()[0]
    return newest

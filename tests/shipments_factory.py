"""Shipments with chosen timestamps, written straight to the tables, for report,
manifest, handover and search tests whose figures must be known exactly."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from station.core.carriers import carrier
from station.core.model import Contact
from station.core.session import PackingSession, Phase
from station.core.weighing import WeightRule
from station.store import orders, shipments
from station.store.db import iso, transaction
from station.store.orders import NewLine, save_order

_serial = itertools.count(1)


@dataclass(frozen=True)
class Made:
    shipment_id: int
    order_no: str
    tracking_no: str


def make_shipment(
    db: sqlite_utils.Database,
    recorded: datetime,
    *,
    station: str = "bench-1",
    packer: str = "li",
    carrier: str = "ZTO",
    weight_g: int = 500,
    cycle_s: float | None = 60.0,
    print_count: int = 1,
    order_value_fen: int = 10_000,
    name: str = "张三",
    phone: str = "13812345678",
    voided: bool = False,
    tracking_no: str | None = None,
    order_no: str | None = None,
) -> Made:
    """One shipment recorded at `recorded` whose label was printed `cycle_s` seconds
    after its order scan (None: never printed)."""
    n = next(_serial)
    order_no = order_no or f"T{n:08d}"
    tracking = tracking_no or f"{7300000000000 + n}"
    started = recorded - timedelta(seconds=cycle_s or 30)
    printed = started + timedelta(seconds=cycle_s) if cycle_s is not None else None
    with transaction(db):
        save_order(
            db,
            order_no,
            Contact(name, phone, "浙江省杭州市西湖区文三路1号"),
            [NewLine("CUP-350", "杯子", 1)],
            status="shipped",
            order_value_fen=order_value_fen,
        )
        shipment_id = db.execute(
            """INSERT INTO shipments (order_no, carrier, tracking_no, tracking_source, weight_g,
                 packer, station, started_at, recorded_at, label_status, print_count,
                 printed_at, voided_at, voided_by, void_reason)
               VALUES (?, ?, ?, 'scanned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                order_no,
                carrier,
                tracking,
                weight_g,
                packer,
                station,
                iso(started),
                iso(recorded),
                "printed" if printed else "pending",
                print_count if printed else 0,
                iso(printed) if printed else None,
                iso(recorded) if voided else None,
                "boss" if voided else None,
                "test" if voided else None,
            ),
        ).lastrowid
    return Made(shipment_id, order_no, tracking)


def scan_event(
    db: sqlite_utils.Database,
    at: datetime,
    kind: str,
    result: str,
    station: str = "bench-1",
    packer: str = "li",
    detail: str = "",
) -> None:
    """One scan event; `detail` is a refusal's message key."""
    with transaction(db):
        db.execute(
            """INSERT INTO scan_events (order_no, at, kind, code, result, station, packer, detail)
               VALUES ('T', ?, ?, 'X', ?, ?, ?, ?)""",
            (iso(at), kind, result, station, packer, detail),
        )


def override(db: sqlite_utils.Database, made: Made, at: datetime, station: str = "bench-1") -> None:
    with transaction(db):
        db.execute(
            """INSERT INTO overrides (shipment_id, order_no, at, kind, subject, supervisor,
                 reason, station) VALUES (?, ?, ?, 'weight', '500', 'boss', 'box', ?)""",
            (made.shipment_id, made.order_no, iso(at), station),
        )


def pack_and_record(db: sqlite_utils.Database, order_no: str, grams: int, rule: WeightRule) -> None:
    """Pack, weigh and record an order the way the bench does, at a given weight;
    a weight out of tolerance is confirmed by a supervisor."""
    now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    order = orders.find_order(db, order_no)
    session = PackingSession(order, rule, now)
    for line in order.lines:
        for _ in range(line.quantity):
            session.scan_item(line.sku, now, True)
    session.weigh(grams, now)
    if session.phase is Phase.WEIGHT_MISMATCH:
        session.override_weight(now, "boss", "catalogue weight is wrong")
    session.assign_carrier(carrier("ZTO"))
    digits = "".join(c for c in order_no if c.isdigit())  # a waybill ZTO's pattern accepts
    assert session.scan_tracking(f"73561234{len(order_no):02d}{digits[-4:]:0>4}", now) is None
    shipments.record_shipment(db, session, "p", "b")

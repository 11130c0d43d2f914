"""Order flags (confirmed by a scan at the bench) and order alerts (shown loudly until
someone acknowledges them: an order refunded or cancelled after it shipped)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from station.store.db import now_utc, transaction

ADDRESS, DUPLICATE_ORDER, DUPLICATE_PAYMENT = "address", "duplicate_order", "duplicate_payment"


@dataclass(frozen=True, slots=True)
class Flag:
    order_no: str
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    order_no: str
    kind: str
    detail: str
    created_at: str


def replace_flags(
    db: sqlite_utils.Database, order_nos: Iterable[str], flags: Iterable[Flag]
) -> None:
    """Set the flags of these orders to exactly `flags`. Call inside a transaction."""
    db.conn.executemany("DELETE FROM order_flags WHERE order_no = ?", [(n,) for n in order_nos])
    add_flags(db, flags)


def add_flags(db: sqlite_utils.Database, flags: Iterable[Flag]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO order_flags (order_no, kind, detail) VALUES (?, ?, ?)",
        [(f.order_no, f.kind, f.detail) for f in flags],
    )


def flags_of(db: sqlite_utils.Database, order_no: str) -> list[Flag]:
    return [
        Flag(order_no, kind, detail)
        for kind, detail in db.execute(
            "SELECT kind, detail FROM order_flags WHERE order_no = ? ORDER BY kind, detail",
            [order_no],
        ).fetchall()
    ]


def add_alert(db: sqlite_utils.Database, order_no: str, kind: str, detail: str) -> None:
    """Record an alert once per order and kind. Call inside a transaction."""
    db.execute(
        "INSERT OR IGNORE INTO order_alerts (order_no, kind, detail, created_at) "
        "VALUES (?, ?, ?, ?)",
        (order_no, kind, detail, now_utc()),
    )


def open_alerts(db: sqlite_utils.Database) -> list[Alert]:
    return [
        Alert(*row)
        for row in db.execute(
            "SELECT id, order_no, kind, detail, created_at FROM order_alerts "
            "WHERE acknowledged_at IS NULL ORDER BY id"
        ).fetchall()
    ]


def acknowledge(db: sqlite_utils.Database, alert_id: int, who: str, station: str) -> None:
    with transaction(db):
        db.execute(
            "UPDATE order_alerts SET acknowledged_at = ?, acknowledged_by = ?, station = ? "
            "WHERE id = ? AND acknowledged_at IS NULL",
            (now_utc(), who, station, alert_id),
        )

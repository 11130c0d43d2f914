"""Order flags (confirmed by a scan at the bench) and order alerts (shown loudly until
someone acknowledges them: an order refunded or cancelled after it shipped).

Each keeps its English `detail` (the CLI, the logs, rows of older versions) and,
since schema step `_flag_texts`, the key and parameters of its text
(`station.core.problem_texts`), from which the interface shows it in its language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from station.core.problem_texts import Text, from_stored, stored
from station.store.db import now_utc, transaction

ADDRESS, DUPLICATE_ORDER, DUPLICATE_PAYMENT = "address", "duplicate_order", "duplicate_payment"
PHONE = "phone"
KINDS = (ADDRESS, DUPLICATE_ORDER, DUPLICATE_PAYMENT, PHONE)
"""Every kind of flag (the schema's CHECK on order_flags.kind lists the same)."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag (or, in an import plan, an alert to be). `text` is None for a row
    stored without one: its English `detail` is all there is."""

    order_no: str
    kind: str
    detail: str
    text: Text | None = None


def flag(order_no: str, kind: str, text: Text) -> Flag:
    """A flag whose detail is its text in English."""
    return Flag(order_no, kind, str(text), text)


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    order_no: str
    kind: str
    detail: str
    created_at: str
    text: Text | None = None


def replace_flags(
    db: sqlite_utils.Database, order_nos: Iterable[str], flags: Iterable[Flag]
) -> None:
    """Set the flags of these orders to exactly `flags`. Call inside a transaction."""
    db.conn.executemany("DELETE FROM order_flags WHERE order_no = ?", [(n,) for n in order_nos])
    add_flags(db, flags)


def add_flags(db: sqlite_utils.Database, flags: Iterable[Flag]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO order_flags (order_no, kind, detail, text_key, params) "
        "VALUES (?, ?, ?, ?, ?)",
        [(f.order_no, f.kind, f.detail, *stored(f.text)) for f in flags],
    )


def flags_of(db: sqlite_utils.Database, order_no: str) -> list[Flag]:
    return [
        Flag(order_no, kind, detail, from_stored(key, params))
        for kind, detail, key, params in db.execute(
            "SELECT kind, detail, text_key, params FROM order_flags WHERE order_no = ? "
            "ORDER BY kind, detail",
            [order_no],
        ).fetchall()
    ]


def add_alert(
    db: sqlite_utils.Database, order_no: str, kind: str, detail: str, text: Text | None = None
) -> None:
    """Record an alert once per order and kind. Call inside a transaction."""
    db.execute(
        "INSERT OR IGNORE INTO order_alerts "
        "(order_no, kind, detail, created_at, text_key, params) VALUES (?, ?, ?, ?, ?, ?)",
        (order_no, kind, detail, now_utc(), *stored(text)),
    )


def open_alerts(db: sqlite_utils.Database) -> list[Alert]:
    return [
        Alert(id_, order_no, kind, detail, created_at, from_stored(key, params))
        for id_, order_no, kind, detail, created_at, key, params in db.execute(
            "SELECT id, order_no, kind, detail, created_at, text_key, params FROM order_alerts "
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

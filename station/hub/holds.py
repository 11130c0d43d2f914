"""The bench's local record of what it holds at the hub (its offline truth) and of
releases the hub has not heard of yet. SQLite, in the bench's own database."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import sqlite_utils

from station.store.db import now_utc, transaction


class HoldKind(StrEnum):
    CLAIMED = "claimed"
    LEASED = "leased"
    OVERRIDE = "override"


def hold(db: sqlite_utils.Database, order_no: str, kind: HoldKind, detail: str = "") -> None:
    with transaction(db):
        db.execute(
            """INSERT INTO hub_holds (order_no, kind, since, detail) VALUES (?, ?, ?, ?)
               ON CONFLICT(order_no) DO UPDATE SET kind = excluded.kind,
                 detail = excluded.detail""",
            (order_no, kind.value, now_utc(), detail),
        )
        db.execute("DELETE FROM hub_releases WHERE order_no = ?", [order_no])


def held(db: sqlite_utils.Database, order_no: str) -> HoldKind | None:
    row = db.execute("SELECT kind FROM hub_holds WHERE order_no = ?", [order_no]).fetchone()
    return HoldKind(row[0]) if row else None


def give_back(db: sqlite_utils.Database, order_no: str, hub_told: bool) -> None:
    """Drop the local hold; unless the hub was told, remember to tell it."""
    with transaction(db):
        db.execute("DELETE FROM hub_holds WHERE order_no = ?", [order_no])
        if not hub_told:
            db.execute(
                "INSERT OR REPLACE INTO hub_releases (order_no, at) VALUES (?, ?)",
                (order_no, now_utc()),
            )


def pending_releases(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT order_no FROM hub_releases ORDER BY at")]


def released(db: sqlite_utils.Database, order_nos: Iterable[str]) -> None:
    with transaction(db):
        db.conn.executemany(
            "DELETE FROM hub_releases WHERE order_no = ?", [(n,) for n in order_nos]
        )


def replace_from_hub(db: sqlite_utils.Database, rows: Iterable[tuple[str, bool, str]]) -> None:
    """The hub's list of what this bench holds (order_no, leased, since) replaces the
    claimed and leased holds; a supervisor's offline override stays until shipped."""
    pending = {order_no.upper() for order_no in pending_releases(db)}
    with transaction(db):
        db.execute("DELETE FROM hub_holds WHERE kind != 'override'")
        db.conn.executemany(
            "INSERT OR REPLACE INTO hub_holds (order_no, kind, since) VALUES (?, ?, ?)",
            [
                (order_no, HoldKind.LEASED if leased else HoldKind.CLAIMED, since)
                for order_no, leased, since in rows
                if order_no.upper() not in pending
            ],
        )

"""The pool of pre-allocated waybill numbers: each handed out exactly once.

A number is claimed inside the transaction that records its shipment, so a
crash either keeps both or neither: no number is lost, none is used twice.

The pool's state alone is not trusted to say a number is free: a number that
any shipment carries, live or voided, is never handed out, even where the pool
says 'free' (a database put back from a backup, a lost write, a number typed in
by hand at the bench). Two parcels with one waybill number are worse than a
number left unused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlite_utils

from station.store.batches import write_in_batches
from station.store.db import now_utc

_UNSHIPPED = "NOT EXISTS (SELECT 1 FROM shipments s WHERE s.tracking_no = p.tracking_no)"


def claim_number(db: sqlite_utils.Database, carrier: str) -> str | None:
    """Take the next free number for a carrier that no shipment carries. Call inside
    a write transaction."""
    row = db.execute(
        f"""UPDATE tracking_pool SET state = 'used', used_at = ?
            WHERE tracking_no = (SELECT p.tracking_no FROM tracking_pool p
                                 WHERE p.carrier = ? AND p.state = 'free' AND {_UNSHIPPED}
                                 ORDER BY p.tracking_no LIMIT 1)
            RETURNING tracking_no""",
        (now_utc(), carrier),
    ).fetchone()
    return row[0] if row else None


def free_count(db: sqlite_utils.Database, carrier: str) -> int:
    """Numbers `claim_number` can still hand out for a carrier."""
    return int(
        db.execute(
            "SELECT count(*) FROM tracking_pool p "
            f"WHERE carrier = ? AND state = 'free' AND {_UNSHIPPED}",
            [carrier],
        ).fetchone()[0]
    )


def add_numbers(db: sqlite_utils.Database, carrier: str, numbers: Iterable[str]) -> int:
    """Add numbers to the pool; numbers already known are left as they are. Returns how
    many were new. Written in short transactions (`station.store.batches`), so that a
    bench recording beside a large pool import never waits long; run again, an
    interrupted import adds what is missing."""
    stamp = now_utc()
    rows = [(n.strip().upper(), carrier, stamp) for n in numbers if n.strip()]
    added = 0

    def write(db: sqlite_utils.Database, batch: Sequence[tuple[str, str, str]]) -> None:
        nonlocal added
        added += db.conn.executemany(
            "INSERT OR IGNORE INTO tracking_pool (tracking_no, carrier, imported_at) "
            "VALUES (?, ?, ?)",
            batch,
        ).rowcount

    write_in_batches(db, rows, lambda batch: batch, write)
    return added


def is_used(db: sqlite_utils.Database, tracking_no: str) -> str | None:
    """The order that used a waybill number, if any shipment did: a voided one too,
    as a voided waybill must never be printed again."""
    row = db.execute(
        "SELECT order_no FROM shipments WHERE tracking_no = ? ORDER BY id DESC LIMIT 1",
        [tracking_no],
    ).fetchone()
    return row[0] if row else None


def free_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Free numbers per carrier that has a pool (carriers with none left show 0)."""
    return dict(
        db.execute(
            f"SELECT carrier, sum(state = 'free' AND {_UNSHIPPED}) FROM tracking_pool p "
            "GROUP BY carrier ORDER BY carrier"
        ).fetchall()
    )

"""Waybill numbers handed out by the hub: each to one bench, ever.

`hand_out` marks a block of free numbers as given to a bench in one statement; the
rows it picks are locked and skipped by any concurrent hand-out (SKIP LOCKED), so
two benches asking at once get different numbers and neither waits on the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg


def add(conn: psycopg.Connection, carrier: str, numbers: Iterable[str]) -> int:
    """Add numbers to the hub's pool; numbers it knows are left alone. Returns how many new."""
    rows = [(n.strip().upper(), carrier) for n in numbers if n.strip()]
    with conn.transaction(), conn.cursor() as cur:
        before = _count(cur)
        cur.executemany(
            "INSERT INTO numbers (tracking_no, carrier) VALUES (%s, %s) "
            "ON CONFLICT (tracking_no) DO NOTHING",
            rows,
        )
        return _count(cur) - before


def _count(cur: psycopg.Cursor[Any]) -> int:
    row = cur.execute("SELECT count(*) FROM numbers").fetchone()
    assert row is not None, "count(*) always answers"
    return int(row[0])


def hand_out(conn: psycopg.Connection, carrier: str, bench: str, count: int) -> list[str]:
    """Up to `count` free numbers of a carrier, now given to `bench`, in order."""
    if count <= 0:
        return []
    rows = conn.execute(
        """UPDATE numbers SET bench = %s, given_at = now()
           WHERE tracking_no IN (SELECT tracking_no FROM numbers
                                 WHERE carrier = %s AND bench IS NULL
                                 ORDER BY tracking_no LIMIT %s FOR UPDATE SKIP LOCKED)
           RETURNING tracking_no""",
        [bench, carrier, count],
    ).fetchall()
    return sorted(row[0] for row in rows)


def carriers(conn: psycopg.Connection) -> list[str]:
    """Carriers the hub has numbers for."""
    return [row[0] for row in conn.execute("SELECT DISTINCT carrier FROM numbers ORDER BY 1")]


def free_counts(conn: psycopg.Connection) -> dict[str, int]:
    return dict(
        conn.execute(
            "SELECT carrier, count(*) FILTER (WHERE bench IS NULL) FROM numbers "
            "GROUP BY carrier ORDER BY carrier"
        ).fetchall()
    )

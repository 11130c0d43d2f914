"""What `station hub status` tells of the catalogue and the benches: per kind of
what the hub sets for every bench, how many rows and the latest revision; and how
many benches are online or offline by their heartbeats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

import psycopg

from station.hub.catalogue import TABLES
from station.hub.floor import OFFLINE_AFTER
from station.hub.kinds import Kind


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    rows: int
    revision: int | None
    """The latest revision of the kind; None when the hub holds none yet."""
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class BenchPresence:
    online: list[str]
    offline: list[tuple[str, dt.datetime]]
    """Benches not heard from for OFFLINE_AFTER, with when they last were."""


def catalogue_counts(conn: psycopg.Connection) -> list[KindCount]:
    """Rows of every kind (users: active ones), in the order a bench applies them."""
    counts = []
    for kind in Kind:
        live = "WHERE active" if kind is Kind.USERS else ""
        row = conn.execute(
            f"""SELECT (SELECT count(*) FROM {TABLES[kind]} {live}),
                       max(revision), max(updated_at) FROM {TABLES[kind]}"""
        ).fetchone()
        assert row is not None, "an aggregate answers one row"
        counts.append(KindCount(kind, row[0], row[1], row[2]))
    return counts


def bench_presence(
    conn: psycopg.Connection, offline_after: timedelta = OFFLINE_AFTER
) -> BenchPresence:
    """The benches that sent a heartbeat, online or offline (by the hub's clock)."""
    rows = conn.execute(
        """SELECT bench, last_seen, now() - last_seen <= %s FROM bench_heartbeats
           ORDER BY bench""",
        [offline_after],
    ).fetchall()
    return BenchPresence(
        online=[bench for bench, _, fresh in rows if fresh],
        offline=[(bench, seen) for bench, seen, fresh in rows if not fresh],
    )

"""Claims: which bench packs an order. One row per order (its primary key), so two
benches racing for an order cannot both get it, whatever their timing.

A bench claims an order when it is scanned; the same bench scanning it again keeps
its claim. A claim is released when the bench cancels or holds the order; a
shipped order keeps its claim. A supervisor can take over a stale claim (audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from station.hub.db import order_key


@dataclass(frozen=True)
class Holder:
    bench: str
    packer: str
    since: dt.datetime
    leased: bool = False


@dataclass(frozen=True)
class Claim:
    """The outcome of a claim: `granted`, else who holds the order."""

    order_no: str
    holder: Holder

    def granted_to(self, bench: str) -> bool:
        return self.holder.bench == bench


class NotStale(RuntimeError):
    """A take-over of a claim younger than the stale age."""


class NoClaim(RuntimeError):
    pass


_CLAIM = """WITH mine AS (
    INSERT INTO claims (order_no, bench, packer) VALUES (%(key)s, %(bench)s, %(packer)s)
    ON CONFLICT (order_no) DO NOTHING
    RETURNING bench, packer, claimed_at, leased)
SELECT bench, packer, claimed_at, leased FROM mine
UNION ALL
SELECT bench, packer, claimed_at, leased FROM claims
 WHERE order_no = %(key)s AND NOT EXISTS (SELECT 1 FROM mine)"""


def claim(conn: psycopg.Connection, order_no: str, bench: str, packer: str) -> Claim:
    """Claim an order for a bench, or learn who holds it, in one round trip: the
    insert waits on a concurrent insert of the same order, and the holder comes back
    from the same statement. Prepared on the connection (the benches reuse theirs).

    A claim held already writes nothing (DO NOTHING, not a no-op update, which would
    lock the row and so wait for a WAL flush at commit): a refusal costs no disk
    write. The same bench scanning its order again under another packer updates
    the packer, a second statement. The statement's snapshot predates a holder that
    committed while the insert waited on it: then it answers nothing, and a second
    look (a new snapshot) finds the holder.
    """
    key = order_key(order_no)
    row = conn.execute(
        _CLAIM, {"key": key, "bench": bench, "packer": packer}, prepare=True
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT bench, packer, claimed_at, leased FROM claims WHERE order_no = %s", [key]
        ).fetchone()
        assert row is not None  # claims are deleted only by their own bench or a take-over
    found = Holder(*row)
    if found.bench == bench and found.packer != packer:
        conn.execute(
            "UPDATE claims SET packer = %s WHERE order_no = %s AND bench = %s", [packer, key, bench]
        )
        found = Holder(bench, packer, found.since, found.leased)
    return Claim(key, found)


def release(conn: psycopg.Connection, order_no: str, bench: str) -> bool:
    """Give an order back (cancel, hold): only the holding bench can. True if released."""
    done = conn.execute(
        "DELETE FROM claims WHERE order_no = %s AND bench = %s", [order_key(order_no), bench]
    )
    return done.rowcount == 1


def holder(conn: psycopg.Connection, order_no: str) -> Holder | None:
    row = conn.execute(
        "SELECT bench, packer, claimed_at, leased FROM claims WHERE order_no = %s",
        [order_key(order_no)],
    ).fetchone()
    return Holder(*row) if row else None


def take_over(
    conn: psycopg.Connection,
    order_no: str,
    bench: str,
    supervisor: str,
    reason: str,
    stale_after: dt.timedelta,
) -> Holder:
    """Move a stale claim to `bench`, audited with the supervisor and the old holder.
    Returns the old holder. Refuses a claim younger than `stale_after`."""
    key = order_key(order_no)
    with conn.transaction():
        row = conn.execute(
            "SELECT bench, packer, claimed_at, leased, now() FROM claims "
            "WHERE order_no = %s FOR UPDATE",
            [key],
        ).fetchone()
        if row is None:
            raise NoClaim(f"no bench holds order {key}")
        old, now = Holder(*row[:4]), row[4]
        if now - old.since < stale_after:
            raise NotStale(
                f"order {key} was claimed by {old.bench} ({old.packer or 'no packer'}) "
                f"only {int((now - old.since).total_seconds() // 60)} min ago"
            )
        conn.execute(
            "UPDATE claims SET bench = %s, packer = '', claimed_at = now(), leased = false "
            "WHERE order_no = %s",
            [bench, key],
        )
        conn.execute(
            "INSERT INTO audit (actor, action, order_no, bench, detail) "
            "VALUES (%s, 'claim_takeover', %s, %s, %s)",
            [
                supervisor,
                key,
                bench,
                f"from {old.bench} ({old.packer or '-'}, since {old.since.isoformat()}): {reason}",
            ],
        )
    return old


def held_by(conn: psycopg.Connection, bench: str) -> list[tuple[str, bool, dt.datetime]]:
    """Every order a bench holds: (order_no, leased, since)."""
    return [
        (row[0], row[1], row[2])
        for row in conn.execute(
            "SELECT order_no, leased, claimed_at FROM claims WHERE bench = %s ORDER BY order_no",
            [bench],
        )
    ]

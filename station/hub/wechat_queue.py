"""The hub's WeChat upload queue (tables `wechat_inbox`, `wechat_uploads`,
`wechat_state`), as the bench's `deliveries` are its own: one row per record and
target, queued -> sending -> done, queued again later, or attention for a person.

Exactly once with several uploaders: a row is claimed by one uploader session
(`FOR UPDATE SKIP LOCKED`, then `sending` with that session as owner, committed
before any request leaves). Each session holds an advisory lock on its owner
number while it lives; a row left `sending` by an owner whose lock is free (killed,
its connection lost) goes back to the queue in doubt, and WeChat is asked before
it is sent again. Every function is one short statement or transaction on an
autocommit connection: none spans a request to WeChat.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import psycopg

from station.core.events import EventKind
from station.store.outbox import Record

OWNER_LOCK_CLASS = 0x5754_5550  # the first key of every uploader's owner lock ("WTUP")


class UploadState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"
    ATTENTION = "attention"
    DISMISSED = "dismissed"


class ClaimLost(RuntimeError):
    """A row this uploader claimed is no longer its own (its session was lost and
    another uploader took the row back): nothing may be sent for it."""


@dataclass(frozen=True)
class Claimed:
    """A row claimed for sending, with the record the target is given."""

    record: Record
    shipment_id: int
    attempts: int
    in_doubt: bool
    sent_mark: str


@dataclass(frozen=True)
class Finished:
    upload_id: int
    state: UploadState
    note: str = ""
    next_at: dt.datetime | None = None
    in_doubt: bool = False
    reached: bool = False


@dataclass(frozen=True)
class TargetCounts:
    queued: int
    sending: int
    attention: int
    done: int


def take_owner(conn: psycopg.Connection, rng: random.Random | None = None) -> int:
    """A fresh owner number for this session, locked for the session's life."""
    rng = rng or random.SystemRandom()
    while True:
        owner = rng.randint(1, 2**31 - 1)
        row = conn.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [OWNER_LOCK_CLASS, owner]
        ).fetchone()
        if row is not None and row[0]:
            return owner


def recover(conn: psycopg.Connection) -> int:
    """Rows left `sending` by owners that are gone go back to the queue, in doubt.
    An owner is gone when its lock can be taken; it is held while its rows are
    moved, so no new session can take that number meanwhile."""
    moved = 0
    owners = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT owner FROM wechat_uploads WHERE state = %s", [UploadState.SENDING]
        )
    ]
    for owner in owners:
        got = conn.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [OWNER_LOCK_CLASS, owner]
        ).fetchone()
        if got is None or not got[0]:
            continue  # alive (or our own)
        try:
            moved += conn.execute(
                """UPDATE wechat_uploads SET state = %s, in_doubt = true, owner = NULL,
                     updated_at = now(),
                     note = 'interrupted while sending; WeChat is asked before resending'
                   WHERE state = %s AND owner = %s""",
                [UploadState.QUEUED, UploadState.SENDING, owner],
            ).rowcount
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", [OWNER_LOCK_CLASS, owner])
    return moved


def fan_out(
    conn: psycopg.Connection, targets: dict[str, tuple[str, ...]], limit: int = 5000
) -> int:
    """Move up to `limit` inbox entries to one row per target that takes the order's
    source (`targets`: name -> sources, empty for all). Returns entries moved."""
    with conn.transaction():
        taken = conn.execute(
            """DELETE FROM wechat_inbox WHERE id IN
                 (SELECT id FROM wechat_inbox ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
               RETURNING id, shipment_id, event""",
            [limit],
        ).fetchall()
        taken = [(row[1], row[2]) for row in sorted(taken)]
        if not taken:
            return 0
        ids = [row[0] for row in taken]
        for name, sources in targets.items():
            conn.execute(
                """INSERT INTO wechat_uploads (shipment_id, target, event)
                   SELECT t.shipment_id, %s, t.event
                   FROM unnest(%s::bigint[], %s::text[]) WITH ORDINALITY
                        AS t(shipment_id, event, n)
                   JOIN shipments s ON s.id = t.shipment_id
                   WHERE cardinality(%s::text[]) = 0 OR s.payload->>'source' = ANY(%s::text[])
                   ORDER BY t.n
                   ON CONFLICT (shipment_id, target, event) DO NOTHING""",
                [name, ids, [row[1] for row in taken], list(sources), list(sources)],
            )
    return len(taken)


def claim(
    conn: psycopg.Connection, target: str, owner: int, limit: int, settle_seconds: float
) -> list[Claimed]:
    """Claim up to `limit` due rows of the target for `owner`, oldest first.

    Due: queued, past next_at, and, when in doubt, past the settle window since the
    request that may have reached WeChat left. A void waits while its shipment's own
    record is still to be sent, so whether WeChat got that one is known first.
    """
    with conn.transaction():
        rows = conn.execute(
            """WITH picked AS (
                 SELECT u.id FROM wechat_uploads u
                 WHERE u.target = %(target)s AND u.state = 'queued' AND u.next_at <= now()
                   AND (NOT u.in_doubt OR u.sent_at IS NULL
                        OR u.sent_at + make_interval(secs => %(settle)s) <= now())
                   AND NOT (u.event = %(voided)s AND EXISTS (
                        SELECT 1 FROM wechat_uploads r
                        WHERE r.shipment_id = u.shipment_id AND r.target = u.target
                          AND r.event = %(recorded)s AND r.state IN ('queued', 'sending')))
                 ORDER BY u.id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)
               UPDATE wechat_uploads u SET state = 'sending', owner = %(owner)s,
                 attempts = u.attempts + 1, updated_at = now()
               FROM picked WHERE u.id = picked.id
               RETURNING u.id, u.shipment_id, u.attempts, u.in_doubt, u.sent_mark""",
            {
                "target": target,
                "settle": max(settle_seconds, 0.0),
                "voided": EventKind.VOIDED.value,
                "recorded": EventKind.RECORDED.value,
                "limit": limit,
                "owner": owner,
            },
        ).fetchall()
    if not rows:
        return []
    records = _records(conn, [row[0] for row in rows])
    return [
        Claimed(records[row[0]], row[1], row[2], bool(row[3]), row[4] if row[3] else "")
        for row in sorted(rows)
    ]


def _records(conn: psycopg.Connection, ids: Sequence[int]) -> dict[int, Record]:
    """The targets' view of claimed rows: the bench's payload, whether the shipment
    is voided, and the waybills of the order's voided shipments from every bench."""
    rows = conn.execute(
        """SELECT u.id, u.event, s.order_no, s.payload, s.received_at,
                  s.voided_at IS NOT NULL,
                  (SELECT string_agg(upper(v.tracking_no), ' ') FROM shipments v
                   WHERE v.order_no = s.order_no AND v.voided_at IS NOT NULL)
           FROM wechat_uploads u JOIN shipments s ON s.id = u.shipment_id
           WHERE u.id = ANY(%s)""",
        [list(ids)],
    ).fetchall()
    found: dict[int, Record] = {}
    for upload_id, event, order_no, payload, received_at, voided, waybills in rows:
        data: dict[str, Any] = payload if isinstance(payload, dict) else json.loads(payload)
        number = str(data.get("order_no") or order_no)  # the bench's spelling, for WeChat
        found[upload_id] = Record(
            id=upload_id,
            event=event,
            order_no=number,
            idempotency_key=f"ship:{number}:{data.get('tracking_no', '')}",
            payload=data,
            created_at=received_at.isoformat(),
            shipment_voided=bool(voided),
            voided_waybills=frozenset((waybills or "").split()),
        )
    return found


def note_sent(conn: psycopg.Connection, upload_id: int, owner: int, mark: str) -> None:
    """Durably note, before it leaves, that a request that may change WeChat is sent
    for the row, and what a resend must repeat. ClaimLost if the row is not ours."""
    done = conn.execute(
        """UPDATE wechat_uploads SET sent_at = now(), sent_mark = %s, updated_at = now()
           WHERE id = %s AND owner = %s AND state = 'sending'""",
        [mark, upload_id, owner],
    )
    if done.rowcount != 1:
        raise ClaimLost(f"upload {upload_id} is no longer claimed by this uploader")


def reached(conn: psycopg.Connection, target: str, shipment_id: int) -> bool:
    """Did WeChat take the shipment's own record from the target?"""
    row = conn.execute(
        """SELECT reached FROM wechat_uploads
           WHERE shipment_id = %s AND target = %s AND event = %s""",
        [shipment_id, target, EventKind.RECORDED.value],
    ).fetchone()
    return bool(row and row[0])


def finish(
    conn: psycopg.Connection,
    target: str,
    owner: int,
    results: Sequence[Finished],
    values: dict[str, str] | None = None,
) -> int:
    """Record how each claimed row ended, and the target's values, in one
    transaction; rows no longer ours are left alone. Returns rows recorded."""
    recorded = 0
    with conn.transaction():
        for r in results:
            recorded += conn.execute(
                """UPDATE wechat_uploads SET state = %s, note = %s,
                     next_at = COALESCE(%s, next_at), in_doubt = in_doubt OR %s,
                     reached = reached OR %s, owner = NULL, updated_at = now()
                   WHERE id = %s AND owner = %s AND state = 'sending'""",
                [r.state, r.note, r.next_at, r.in_doubt, r.reached, r.upload_id, owner],
            ).rowcount
        save_state(conn, target, values or {})
    return recorded


def close_voids(conn: psycopg.Connection, target: str, order_no: str, note: str) -> int:
    """Voids of an order that waited for a person and no longer need one (the
    order's new waybill replaced the voided one in WeChat)."""
    return conn.execute(
        """UPDATE wechat_uploads u SET state = 'done', note = %s, updated_at = now()
           FROM shipments s
           WHERE s.id = u.shipment_id AND s.order_no = upper(btrim(%s)) AND u.target = %s
             AND u.event = %s AND u.state = 'attention'""",
        [note, order_no, target, EventKind.VOIDED.value],
    ).rowcount


def save_state(conn: psycopg.Connection, target: str, values: dict[str, str]) -> None:
    for key, value in values.items():
        conn.execute(
            """INSERT INTO wechat_state (target, key, value) VALUES (%s, %s, %s)
               ON CONFLICT (target, key) DO UPDATE SET value = excluded.value""",
            [target, key, value],
        )


def get_state(conn: psycopg.Connection, target: str, key: str) -> str | None:
    row = conn.execute(
        "SELECT value FROM wechat_state WHERE target = %s AND key = %s", [target, key]
    ).fetchone()
    return row[0] if row else None


def counts(conn: psycopg.Connection) -> dict[str, TargetCounts]:
    """Rows per target and state, with the inbox not fanned out yet as queued
    under the name '' (it is not any target's yet)."""
    found: dict[str, dict[str, int]] = {}
    for target, state, count in conn.execute(
        "SELECT target, state, count(*) FROM wechat_uploads GROUP BY target, state"
    ):
        found.setdefault(target, {})[state] = count
    inbox = conn.execute("SELECT count(*) FROM wechat_inbox").fetchone()
    if inbox and inbox[0]:
        found.setdefault("", {})[UploadState.QUEUED] = inbox[0]
    return {
        target: TargetCounts(
            by.get(UploadState.QUEUED, 0),
            by.get(UploadState.SENDING, 0),
            by.get(UploadState.ATTENTION, 0),
            by.get(UploadState.DONE, 0),
        )
        for target, by in sorted(found.items())
    }


def attention(conn: psycopg.Connection, limit: int = 200) -> list[tuple[str, str, str, str]]:
    """Rows that need a person: (target, order_no, tracking_no, note)."""
    return conn.execute(
        """SELECT u.target, s.order_no, s.tracking_no, u.note
           FROM wechat_uploads u JOIN shipments s ON s.id = u.shipment_id
           WHERE u.state = 'attention' ORDER BY u.id LIMIT %s""",
        [limit],
    ).fetchall()

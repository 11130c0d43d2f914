"""Per-target delivery state of each upload-queue record.

A record's life for one target: queued -> sending -> done, or back to queued
(with a later `next_at`) after a transient failure, or attention when it cannot
succeed without a person, who retries it or dismisses it with a reason.

`sending` is committed before the request leaves. A record found in `sending`
when an uploader starts was cut off mid-attempt (a crash, a kill): it goes back
to the queue marked `in_doubt`, so a target without idempotency keys asks
upstream what it holds before sending again. Every function here is one short
transaction on the caller's connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from station.core.upload_states import WAITING, DeliveryState
from station.store import outbox
from station.store.db import now_utc, transaction

FAN_OUT_CHUNK = 2000
CURSOR = "cursor"
# Records up to this outbox id existed when a backup was restored: any of them may
# have reached upstream from the database the backup replaced.
RESTORED, IN_DOUBT_THROUGH = "*", "in_doubt_through"


@dataclass(frozen=True)
class Due:
    outbox_id: int
    attempts: int
    in_doubt: bool
    sent_mark: str = ""  # what the in-doubt request carried that a resend repeats


@dataclass(frozen=True)
class Finished:
    """The end of one attempt for one record."""

    outbox_id: int
    state: DeliveryState  # done, queued or attention
    note: str = ""
    next_at: str | None = None
    in_doubt: bool = False


@dataclass(frozen=True)
class Attention:
    target: str
    outbox_id: int
    order_no: str
    tracking_no: str
    attempts: int
    note: str
    updated_at: str


@dataclass(frozen=True)
class Counts:
    queued: int
    in_flight: int
    attention: int
    oldest_queued_at: str | None


def get_state(db: sqlite_utils.Database, target: str, key: str) -> str | None:
    row = db.execute(
        "SELECT value FROM sync_state WHERE target = ? AND key = ?", (target, key)
    ).fetchone()
    return row[0] if row else None


def set_state(db: sqlite_utils.Database, target: str, key: str, value: str) -> None:
    """Set one per-target value. Call inside a transaction."""
    db.execute(
        "INSERT INTO sync_state (target, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT(target, key) DO UPDATE SET value = excluded.value",
        (target, key, value),
    )


def save_state(db: sqlite_utils.Database, target: str, values: dict[str, str]) -> None:
    with transaction(db):
        for key, value in values.items():
            set_state(db, target, key, value)


def fan_out(db: sqlite_utils.Database, target: str, sources: Sequence[str] = ()) -> int:
    """Give the target a delivery row for each outbox record newer than its cursor.

    With `sources`, only records of orders from those sources are the target's.
    Works in chunks so the bench's writes never wait long. Returns rows added.
    """
    added = 0
    while True:
        with transaction(db):
            cursor = int(get_state(db, target, CURSOR) or 0)
            last = db.execute(
                "SELECT max(id) FROM (SELECT id FROM outbox WHERE id > ? ORDER BY id LIMIT ?)",
                (cursor, FAN_OUT_CHUNK),
            ).fetchone()[0]
            if last is None:
                return added
            source_filter = ""
            restored = int(get_state(db, RESTORED, IN_DOUBT_THROUGH) or 0)
            params: list[object] = [target, now_utc(), restored, cursor, last]
            if sources:
                source_filter = (
                    f" AND json_extract(payload, '$.source') IN ({','.join('?' for _ in sources)})"
                )
                params += list(sources)
            added += db.execute(
                f"""INSERT OR IGNORE INTO deliveries
                      (outbox_id, target, next_at, updated_at, in_doubt)
                    SELECT id, ?, created_at, ?, id <= ? FROM outbox
                    WHERE id > ? AND id <= ?{source_filter}""",
                params,
            ).rowcount
            set_state(db, target, CURSOR, str(last))


def recover_in_flight(db: sqlite_utils.Database, target: str) -> int:
    """Attempts cut off by a crash go back to the queue, in doubt. Only the one
    running uploader may call this (it holds the uploader lock)."""
    with transaction(db):
        return db.execute(
            """UPDATE deliveries SET state = ?, in_doubt = 1, updated_at = ?,
                 note = 'interrupted while sending; upstream is checked before resending'
               WHERE target = ? AND state = ?""",
            (DeliveryState.QUEUED, now_utc(), target, DeliveryState.SENDING),
        ).rowcount


def mark_restored(db: sqlite_utils.Database, through: int) -> int:
    """After a restore: every record up to outbox id `through` may already be upstream
    (sent from the replaced database), so each one not known done is in doubt, now
    and when a target first sees it. Call inside a transaction; returns the records
    marked."""
    before = int(get_state(db, RESTORED, IN_DOUBT_THROUGH) or 0)
    set_state(db, RESTORED, IN_DOUBT_THROUGH, str(max(before, through)))
    return db.execute(
        """UPDATE deliveries SET state = ?, in_doubt = 1, updated_at = ?,
             note = 'restored from a backup: upstream is checked before sending'
           WHERE state IN (?, ?) AND outbox_id <= ?""",
        (DeliveryState.QUEUED, now_utc(), *WAITING, through),
    ).rowcount


# When a queued record may be attempted: its next_at, and for one in doubt not before
# its target's settle window has passed since the request that may have reached
# upstream left (a look-up earlier cannot see a request upstream still processes).
_READY_AT = """max(next_at, CASE WHEN in_doubt = 1 AND sent_at IS NOT NULL
                   THEN strftime('%Y-%m-%dT%H:%M:%fZ', sent_at, ?) ELSE '' END)"""


def _settle(seconds: float) -> str:
    return f"+{max(seconds, 0.0):.3f} seconds"


def due(
    db: sqlite_utils.Database, target: str, now: str, limit: int, settle_seconds: float = 0.0
) -> list[Due]:
    rows = db.execute(
        f"""SELECT outbox_id, attempts, in_doubt, sent_mark FROM deliveries
            WHERE target = ? AND state = ? AND next_at <= ? AND {_READY_AT} <= ?
            ORDER BY outbox_id LIMIT ?""",
        (target, DeliveryState.QUEUED, now, _settle(settle_seconds), now, limit),
    ).fetchall()
    return [Due(r[0], r[1], bool(r[2]), r[3] if r[2] else "") for r in rows]


def next_due_at(db: sqlite_utils.Database, target: str, settle_seconds: float = 0.0) -> str | None:
    """When the target's earliest queued record becomes due."""
    due: str | None = db.execute(
        f"SELECT min({_READY_AT}) FROM deliveries WHERE target = ? AND state = ?",
        (_settle(settle_seconds), target, DeliveryState.QUEUED),
    ).fetchone()[0]
    return due


def note_sent(db: sqlite_utils.Database, target: str, outbox_id: int, mark: str) -> None:
    """Durably note, before it leaves, that a request that may change upstream is
    being sent for the record, and what it carries that a resend must repeat."""
    with transaction(db):
        db.execute(
            "UPDATE deliveries SET sent_at = ?, sent_mark = ? WHERE target = ? AND outbox_id = ?",
            (now_utc(), mark, target, outbox_id),
        )


def start(db: sqlite_utils.Database, target: str, ids: Sequence[int]) -> None:
    """Durably note that an attempt is starting, before any request leaves."""
    marks = ",".join("?" for _ in ids)
    stamp = now_utc()
    with transaction(db):
        db.execute(
            f"""UPDATE deliveries SET state = ?, attempts = attempts + 1,
                  started_at = ?, updated_at = ?
                WHERE target = ? AND outbox_id IN ({marks})""",
            [DeliveryState.SENDING, stamp, stamp, target, *ids],
        )


def finish(
    db: sqlite_utils.Database,
    target: str,
    results: Iterable[Finished],
    state: dict[str, str] | None = None,
) -> None:
    """Record how each attempt ended (and the target's values) in one transaction."""
    stamp = now_utc()
    results = list(results)
    with transaction(db):
        db.conn.executemany(
            """UPDATE deliveries SET state = ?, note = ?, next_at = COALESCE(?, next_at),
                 in_doubt = CASE WHEN ? THEN 1 ELSE in_doubt END,
                 finished_at = CASE WHEN ? THEN finished_at ELSE ? END,
                 updated_at = ?
               WHERE target = ? AND outbox_id = ?""",
            [
                (
                    r.state,
                    r.note,
                    r.next_at,
                    r.in_doubt,
                    r.state == DeliveryState.QUEUED,
                    stamp,
                    stamp,
                    target,
                    r.outbox_id,
                )
                for r in results
            ],
        )
        for key, value in (state or {}).items():
            set_state(db, target, key, value)
        outbox.refresh_state(db, [r.outbox_id for r in results])


def retry(db: sqlite_utils.Database, target: str, outbox_id: int) -> bool:
    """A supervisor sends a needs-attention record again (after fixing the cause)."""
    stamp = now_utc()
    with transaction(db):
        changed = db.execute(
            """UPDATE deliveries SET state = ?, next_at = ?, updated_at = ?,
                 note = 'retried by a supervisor'
               WHERE target = ? AND outbox_id = ? AND state = ?""",
            (DeliveryState.QUEUED, stamp, stamp, target, outbox_id, DeliveryState.ATTENTION),
        ).rowcount
        outbox.refresh_state(db, [outbox_id])
    return changed == 1


def dismiss(db: sqlite_utils.Database, target: str, outbox_id: int, by: str, reason: str) -> bool:
    """A supervisor gives up on a record for this target, saying why."""
    if not reason.strip():
        raise ValueError("A dismissal needs a reason.")
    stamp = now_utc()
    with transaction(db):
        changed = db.execute(
            """UPDATE deliveries SET state = ?, dismissed_by = ?, finished_at = ?,
                 updated_at = ?, note = note || ' | dismissed: ' || ?
               WHERE target = ? AND outbox_id = ? AND state = ?""",
            (
                DeliveryState.DISMISSED,
                by,
                stamp,
                stamp,
                reason.strip(),
                target,
                outbox_id,
                DeliveryState.ATTENTION,
            ),
        ).rowcount
        outbox.refresh_state(db, [outbox_id])
    return changed == 1


def reached_upstream(db: sqlite_utils.Database, target: str, shipment_id: object) -> bool:
    """Did the target take the shipment's record before the shipment was voided? (One
    settled after the void was never sent.)"""
    return (
        db.execute(
            """SELECT 1 FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
                 JOIN shipments s ON s.id = o.shipment_id
               WHERE d.target = ? AND o.shipment_id = ? AND o.event = 'shipment.recorded'
                 AND d.state = ? AND d.finished_at < s.voided_at""",
            (target, shipment_id, DeliveryState.DONE),
        ).fetchone()
        is not None
    )


def close_attention(
    db: sqlite_utils.Database, target: str, event: str, order_no: str, note: str
) -> int:
    """Records of an order's `event` that waited for a person and no longer need one."""
    stamp = now_utc()
    with transaction(db):
        ids = [
            row[0]
            for row in db.execute(
                """SELECT d.outbox_id FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
                   WHERE d.target = ? AND d.state = ? AND o.event = ?
                     AND o.order_no = ?""",
                (target, DeliveryState.ATTENTION, event, order_no),
            )
        ]
        db.conn.executemany(
            """UPDATE deliveries SET state = ?, note = ?, finished_at = ?, updated_at = ?
               WHERE target = ? AND outbox_id = ?""",
            [(DeliveryState.DONE, note, stamp, stamp, target, outbox_id) for outbox_id in ids],
        )
        outbox.refresh_state(db, ids)
    return len(ids)


def attention(db: sqlite_utils.Database, target: str | None = None) -> list[Attention]:
    rows = db.execute(
        """SELECT d.target, d.outbox_id, o.order_no,
                  COALESCE(json_extract(o.payload, '$.tracking_no'), ''),
                  d.attempts, d.note, d.updated_at
           FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
           WHERE d.state = :attention AND (:target IS NULL OR d.target = :target)
           ORDER BY d.outbox_id""",
        {"target": target, "attention": DeliveryState.ATTENTION},
    ).fetchall()
    return [Attention(*row) for row in rows]


def counts(db: sqlite_utils.Database, target: str) -> Counts:
    """How the target's records stand; records not yet fanned out count as queued."""
    by_state = {
        state: db.execute(
            "SELECT count(*) FROM deliveries WHERE target = ? AND state = ?", (target, state)
        ).fetchone()[0]
        for state in (*WAITING, DeliveryState.ATTENTION)
    }
    cursor = int(get_state(db, target, CURSOR) or 0)
    unseen, unseen_oldest = db.execute(
        "SELECT count(*), min(created_at) FROM outbox WHERE id > ?", [cursor]
    ).fetchone()
    oldest_id = db.execute(
        """SELECT min(outbox_id) FROM deliveries
           WHERE target = ? AND state IN (?, ?)""",
        [target, *WAITING],
    ).fetchone()[0]
    oldest = unseen_oldest
    if oldest_id is not None:
        oldest = db.execute("SELECT created_at FROM outbox WHERE id = ?", [oldest_id]).fetchone()[0]
    return Counts(
        queued=by_state[DeliveryState.QUEUED] + unseen,
        in_flight=by_state[DeliveryState.SENDING],
        attention=by_state[DeliveryState.ATTENTION],
        oldest_queued_at=oldest,
    )

"""A supervisor's hand on the hub uploader's records that need a person (rows of
`wechat_uploads` in state attention), as `station sync retry|dismiss` is at a bench.

A retried row goes back to the queue *in doubt*: the uploader looks the order up
in WeChat before sending anything, so if an earlier attempt reached WeChat after
all, the single re-ship WeChat allows per order is never spent on it. A dismissed
row is given up for good, with the reason. Both are audited in the hub's `audit`
table, with who did it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from station.hub.wechat_queue import UploadState


@dataclass(frozen=True)
class Waiting:
    """An upload that needs a person."""

    id: int
    target: str
    event: str
    order_no: str
    tracking_no: str
    bench: str
    attempts: int
    updated_at: dt.datetime
    note: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "target": self.target,
            "event": self.event,
            "order_no": self.order_no,
            "tracking_no": self.tracking_no,
            "bench": self.bench,
            "attempts": self.attempts,
            "updated_at": self.updated_at.isoformat(),
            "note": self.note,
        }


def waiting(conn: psycopg.Connection, limit: int = 1000) -> list[Waiting]:
    """The uploads that need a person, oldest first."""
    rows = conn.execute(
        """SELECT u.id, u.target, u.event, s.order_no, s.tracking_no, s.bench,
                  u.attempts, u.updated_at, u.note
           FROM wechat_uploads u JOIN shipments s ON s.id = u.shipment_id
           WHERE u.state = %s ORDER BY u.id LIMIT %s""",
        [UploadState.ATTENTION, limit],
    ).fetchall()
    return [Waiting(*row) for row in rows]


def retry(conn: psycopg.Connection, ids: Sequence[int], actor: str) -> list[int]:
    """Queue the given rows that need attention again, in doubt (looked up in WeChat
    before any resend); audited. Returns the ids retried."""
    with conn.transaction():
        done = conn.execute(
            """UPDATE wechat_uploads SET state = %s, in_doubt = true, owner = NULL,
                 next_at = now(), updated_at = now(),
                 note = 'retried by ' || %s || ' (WeChat is asked before resending)'
               WHERE id = ANY(%s) AND state = %s
               RETURNING id, target, shipment_id""",
            [UploadState.QUEUED, actor, list(ids), UploadState.ATTENTION],
        ).fetchall()
        _audit(conn, actor, "wechat_upload_retry", done, "")
    return sorted(row[0] for row in done)


def dismiss(conn: psycopg.Connection, ids: Sequence[int], actor: str, reason: str) -> list[int]:
    """Give up on the given rows that need attention, saying why; audited. Returns
    the ids dismissed. ValueError without a reason."""
    why = reason.strip()
    if not why:
        raise ValueError("a dismissal needs a reason: give --reason TEXT")
    with conn.transaction():
        done = conn.execute(
            """UPDATE wechat_uploads SET state = %s, owner = NULL, updated_at = now(),
                 note = note || ' | dismissed by ' || %s || ': ' || %s
               WHERE id = ANY(%s) AND state = %s
               RETURNING id, target, shipment_id""",
            [UploadState.DISMISSED, actor, why, list(ids), UploadState.ATTENTION],
        ).fetchall()
        _audit(conn, actor, "wechat_upload_dismiss", done, why)
    return sorted(row[0] for row in done)


def _audit(
    conn: psycopg.Connection,
    actor: str,
    action: str,
    rows: Sequence[tuple[int, str, int]],
    reason: str,
) -> None:
    for upload_id, target, shipment_id in rows:
        detail = f"upload {upload_id} to {target}" + (f": {reason}" if reason else "")
        conn.execute(
            """INSERT INTO audit (actor, action, order_no, bench, detail)
               SELECT %s, %s, order_no, bench, %s FROM shipments WHERE id = %s""",
            [actor, action, detail, shipment_id],
        )

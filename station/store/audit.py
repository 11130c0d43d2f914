"""The audit log: who did which protected action, when, on what, and why.

Rows are only ever inserted; triggers in the schema refuse UPDATE, DELETE and an
INSERT that would replace a row, so nothing in the application can rewrite the
log, and each row carries a keyed hash chained to the one before it
(station.store.audit_chain), so a rewrite behind the triggers' back is found by
`station db check`. Write the row in the same transaction as the action it
describes (`append`), or on its own (`record`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from station.core.permissions import Action, AuditEvent
from station.store import audit_chain
from station.store.crypto import cipher_for
from station.store.db import now_utc, transaction


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    role: str
    action: str
    subject: str
    reason: str
    detail: dict[str, Any]
    station: str


def append(
    db: sqlite_utils.Database,
    action: Action | AuditEvent,
    subject: str,
    *,
    actor: str,
    role: str = "",
    reason: str = "",
    station: str = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """Insert one entry inside the caller's transaction (which holds the write lock,
    so the row chained to is still the newest); returns its id."""
    previous_id, previous_hash = audit_chain.last_hash(db.conn)
    row = (
        previous_id + 1,
        now_utc(),
        actor,
        str(role),
        str(action),
        subject,
        reason,
        json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        station,
    )
    db.execute(
        """INSERT INTO audit (id, at, actor, role, action, subject, reason, detail, station, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (*row, audit_chain.link(cipher_for(db), previous_hash, row)),
    )
    return row[0]


def record(
    db: sqlite_utils.Database, action: Action | AuditEvent, subject: str, **fields: Any
) -> int:
    """`append` in a transaction of its own."""
    with transaction(db):
        return append(db, action, subject, **fields)


def entries(
    db: sqlite_utils.Database, action: Action | AuditEvent | None = None, limit: int = 500
) -> list[AuditEntry]:
    """The newest entries first, optionally of one action."""
    sql = "SELECT id, at, actor, role, action, subject, reason, detail, station FROM audit"
    params: list[Any] = []
    if action is not None:
        sql += " WHERE action = ?"
        params.append(str(action))
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [
        AuditEntry(
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]), row[8]
        )
        for row in db.execute(sql, params)
    ]

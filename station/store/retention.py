"""Retention: recipients' personal data is erased a set time after shipping.

Names, phones, addresses (city and district too) and buyer notes are blanked,
along with what is derived from them (the duplicate fingerprint, import flags,
the masked phone in delivered upload records) and what an upstream knows the
order by (`order_refs`: the payer's WeChat openid, the payment number). The province stays for
anonymous figures; orders, shipments, waybill numbers, weights and scans stay.
Orders never shipped here (open, held, cancelled, refunded) are erased the same
time after their last change: a parcel nobody packed keeps no address forever.

Erased bytes are overwritten (secure_delete) and the WAL is checkpointed, so
the old values do not linger in the database files. Backups made before the
erasure still hold them until rotation deletes them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from station.core.permissions import AuditEvent
from station.core.upload_states import OutboxState
from station.settings import Settings
from station.store import audit
from station.store.db import iso, transaction

log = logging.getLogger(__name__)


_HAS_PERSONAL = (
    "(o.recipient_name != '' OR o.recipient_phone != '' OR o.address != '' "
    "OR o.buyer_note != '' OR o.city != '' OR o.district != '' "
    "OR EXISTS (SELECT 1 FROM order_refs r WHERE r.order_no = o.order_no))"
)
_EXPIRED = f"""
SELECT o.order_no FROM orders o
WHERE {_HAS_PERSONAL} AND (
    (o.status = 'shipped' AND EXISTS (
        SELECT 1 FROM shipments s WHERE s.order_no = o.order_no AND s.voided_at IS NULL
          AND s.recorded_at < :cutoff)
     AND NOT EXISTS (
        SELECT 1 FROM shipments s WHERE s.order_no = o.order_no AND s.voided_at IS NULL
          AND s.recorded_at >= :cutoff))
    OR (o.status IN ('open', 'hold', 'cancelled', 'refunded') AND o.updated_at < :cutoff
        AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_no = o.order_no
                        AND s.voided_at IS NULL))
)
ORDER BY o.order_no
"""
_BLANK = """
UPDATE orders SET recipient_name = '', recipient_phone = '', address = '', city = '',
    district = '', buyer_note = '', dedupe_key = '', phone_last4 = '', name_index = ''
WHERE order_no IN (SELECT value FROM json_each(:orders))
"""
_DROP_FLAGS = "DELETE FROM order_flags WHERE order_no IN (SELECT value FROM json_each(:orders))"
_DROP_REFS = "DELETE FROM order_refs WHERE order_no IN (SELECT value FROM json_each(:orders))"
_BLANK_CONTACT = """
UPDATE outbox SET payload = json_set(payload, '$.receiver_contact', '')
WHERE state = :done AND json_valid(payload) AND json_extract(payload, '$.receiver_contact') != ''
  AND order_no IN (SELECT value FROM json_each(:orders))
"""


@dataclass(frozen=True)
class Purged:
    orders: tuple[str, ...]
    cutoff: str
    dry_run: bool

    @property
    def count(self) -> int:
        return len(self.orders)


def cutoff_for(days: int, now: datetime | None = None) -> str:
    return iso((now or datetime.now(UTC)) - timedelta(days=days))


def purge_personal_data(
    db: sqlite_utils.Database,
    older_than_days: int,
    now: datetime | None = None,
    dry_run: bool = False,
) -> Purged:
    """Erase personal data shipped (or cancelled) more than `older_than_days` ago."""
    if older_than_days <= 0:
        raise ValueError("older_than_days must be positive; 0 means keep forever")
    cutoff = cutoff_for(older_than_days, now)
    expired = tuple(n for (n,) in db.execute(_EXPIRED, {"cutoff": cutoff}))
    if dry_run or not expired:
        return Purged(expired, cutoff, dry_run)
    params = {"orders": json.dumps(expired)}
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        with transaction(db):
            db.execute(_BLANK, params)
            db.execute(_DROP_FLAGS, params)
            db.execute(_DROP_REFS, params)
            db.execute(_BLANK_CONTACT, {**params, "done": OutboxState.DONE})
            audit.append(
                db,
                AuditEvent.PRIVACY_PURGE,
                f"{len(expired)} orders",
                actor="station",
                reason=f"retention: shipped before {cutoff}",
                detail={"orders": len(expired), "cutoff": cutoff},
            )
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        log.info("erased data stays in the WAL until readers finish (checkpoint busy)")
    log.info("erased personal data of %d orders shipped before %s", len(expired), cutoff)
    return Purged(expired, cutoff, dry_run)


def purge_expired(
    db: sqlite_utils.Database, settings: Settings, now: datetime | None = None
) -> Purged | None:
    """What the app runs daily: erase per `privacy.retention_days` (0: never)."""
    days = settings["privacy.retention_days"]
    if days <= 0:
        return None
    return purge_personal_data(db, days, now)

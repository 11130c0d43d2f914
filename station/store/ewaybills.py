"""The e-waybills taken ahead for orders (table `ewaybills`, station.waybills).

A row is written 'requested' with its idempotency key and committed before the
number is asked for; it becomes 'taken' with the number, sort codes and print
data, 'used' inside the transaction that records the shipment, or
'cancel_pending' (a queued cancel) when it must not be printed any more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from station.store.db import iso, now_utc
from station.waybills.model import State, Taken

LIVE = (State.REQUESTED.value, State.TAKEN.value)


@dataclass(frozen=True)
class Row:
    id: int
    order_no: str
    attempt: int
    provider: str
    carrier: str
    service: str
    key: str
    waybill_no: str | None
    state: State
    sort_mark: str
    sort_code: str
    package_center: str
    print_data: dict[str, Any]
    sub_waybills: tuple[str, ...]
    address_digest: str
    note: str
    attempts: int
    attention: str = ""  # why a person must act (a cancel refused for good)
    parcels: int = 1  # asked for: more than one is a multi-parcel e-waybill (子母单)


COLUMNS = """id, order_no, attempt, provider, carrier, service, idempotency_key, waybill_no,
    state, sort_mark, sort_code, package_center, print_data, sub_waybills, address_digest,
    note, attempts, attention, parcels"""


def _row(r: tuple[Any, ...]) -> Row:
    return Row(
        id=r[0],
        order_no=r[1],
        attempt=r[2],
        provider=r[3],
        carrier=r[4],
        service=r[5],
        key=r[6],
        waybill_no=r[7],
        state=State(r[8]),
        sort_mark=r[9],
        sort_code=r[10],
        package_center=r[11],
        print_data=json.loads(r[12]) if r[12] else {},
        sub_waybills=tuple(json.loads(r[13] or "[]")),
        address_digest=r[14],
        note=r[15],
        attempts=r[16],
        attention=r[17],
        parcels=r[18],
    )


def live(db: sqlite_utils.Database, order_no: str) -> Row | None:
    """The order's requested or taken e-waybill, if any."""
    found = db.execute(
        f"SELECT {COLUMNS} FROM ewaybills WHERE order_no = ? AND state IN (?, ?)",
        [order_no, *LIVE],
    ).fetchone()
    return _row(found) if found else None


def rows(db: sqlite_utils.Database, state: State | None = None) -> list[Row]:
    where, params = ("WHERE state = ?", [state.value]) if state else ("", [])
    return [
        _row(r) for r in db.execute(f"SELECT {COLUMNS} FROM ewaybills {where} ORDER BY id", params)
    ]


def by_number(db: sqlite_utils.Database, waybill_no: str) -> Row | None:
    found = db.execute(
        f"SELECT {COLUMNS} FROM ewaybills WHERE waybill_no = ?", [waybill_no.strip()]
    ).fetchone()
    return _row(found) if found else None


def by_key(db: sqlite_utils.Database, provider: str, key: str) -> Row | None:
    found = db.execute(
        f"SELECT {COLUMNS} FROM ewaybills WHERE provider = ? AND idempotency_key = ?",
        [provider, key],
    ).fetchone()
    return _row(found) if found else None


def as_taken(row: Row) -> Taken:
    """A taken row as its provider gave it."""
    assert row.waybill_no is not None, "a taken row has its number"
    return Taken(
        waybill_no=row.waybill_no,
        provider_order_id=row.key,
        sort_mark=row.sort_mark,
        sort_code=row.sort_code,
        package_center=row.package_center,
        print_data=row.print_data,
        sub_waybills=row.sub_waybills,
    )


def next_attempt(db: sqlite_utils.Database, order_no: str) -> int:
    return int(
        db.execute(
            "SELECT coalesce(max(attempt), 0) + 1 FROM ewaybills WHERE order_no = ?", [order_no]
        ).fetchone()[0]
    )


def add_requested(
    db: sqlite_utils.Database,
    order_no: str,
    attempt: int,
    provider: str,
    account: str,
    carrier: str,
    service: str,
    key: str,
    address_digest: str,
    note: str = "",
    parcels: int = 1,
) -> int:
    """A request about to leave. Call inside a transaction."""
    stamp = now_utc()
    row_id = db.execute(
        """INSERT INTO ewaybills (order_no, attempt, provider, account, carrier, service,
             idempotency_key, address_digest, note, parcels, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            order_no,
            attempt,
            provider,
            account,
            carrier,
            service,
            key,
            address_digest,
            note,
            parcels,
            stamp,
            stamp,
        ),
    ).lastrowid
    assert row_id is not None, "an INSERT gives its row's id"
    return row_id


def mark_taken(db: sqlite_utils.Database, row_id: int, taken: Taken) -> None:
    """Call inside a transaction. A row cancelled meanwhile is queued for its cancel."""
    db.execute(
        """UPDATE ewaybills SET waybill_no = ?, sort_mark = ?, sort_code = ?,
             package_center = ?, print_data = ?, sub_waybills = ?, updated_at = ?,
             state = CASE state WHEN 'requested' THEN 'taken' ELSE 'cancel_pending' END
           WHERE id = ? AND state IN ('requested', 'cancel_pending')""",
        (
            taken.waybill_no,
            taken.sort_mark,
            taken.sort_code,
            taken.package_center,
            json.dumps(taken.print_data, ensure_ascii=False) if taken.print_data else "",
            json.dumps(list(taken.sub_waybills)),
            now_utc(),
            row_id,
        ),
    )


def ask_parcels(db: sqlite_utils.Database, row_id: int, parcels: int) -> None:
    """Call inside a transaction: the parcels a taken e-waybill is to grow to, stored
    before the provider is asked, so a kill or a lost answer resumes the addition."""
    db.execute(
        "UPDATE ewaybills SET parcels = ?, updated_at = ? WHERE id = ? AND state = 'taken'",
        (parcels, now_utc(), row_id),
    )


def set_parcels(
    db: sqlite_utils.Database,
    row_id: int,
    sub_waybills: tuple[str, ...],
    print_data: dict[str, Any],
) -> bool:
    """Call inside a transaction: a taken e-waybill's children after parcels were
    added upstream. False when the row is no longer taken (cancelled or printed)."""
    done = db.execute(
        """UPDATE ewaybills SET sub_waybills = ?, print_data = ?, updated_at = ?
           WHERE id = ? AND state = 'taken'""",
        (
            json.dumps(list(sub_waybills)),
            json.dumps(print_data, ensure_ascii=False) if print_data else "",
            now_utc(),
            row_id,
        ),
    )
    return done.rowcount == 1


def set_state(db: sqlite_utils.Database, row_id: int, state: State, note: str = "") -> None:
    db.execute(
        "UPDATE ewaybills SET state = ?, note = ?, updated_at = ? WHERE id = ?",
        (state.value, note, now_utc(), row_id),
    )


def queue_cancel(db: sqlite_utils.Database, row_id: int, reason: str) -> None:
    """Queue the upstream cancel of a live e-waybill (exactly once: only a live row
    moves to cancel_pending). Call inside a transaction."""
    db.execute(
        """UPDATE ewaybills SET state = 'cancel_pending', note = ?, attempts = 0,
             next_at = '', attention = '', updated_at = ?
           WHERE id = ? AND state IN ('requested', 'taken')""",
        (reason, now_utc(), row_id),
    )


def queue_voided(db: sqlite_utils.Database) -> list[str]:
    """Queue the cancel of every used e-waybill whose shipment was voided: a voided
    label is never printed again, and the repacked parcel gets a new number. Returns
    the orders. Call inside a transaction."""
    rows = db.execute(
        """UPDATE ewaybills SET state = 'cancel_pending', note = 'shipment voided',
             attempts = 0, next_at = '', updated_at = ?
           WHERE state = 'used' AND EXISTS (
             SELECT 1 FROM shipments s WHERE s.order_no = ewaybills.order_no
               AND s.tracking_no = ewaybills.waybill_no AND s.voided_at IS NOT NULL)
           RETURNING order_no""",
        (now_utc(),),
    ).fetchall()
    return [r[0] for r in rows]


def cancels_due(db: sqlite_utils.Database, now: str, limit: int = 100) -> list[Row]:
    return [
        _row(r)
        for r in db.execute(
            f"""SELECT {COLUMNS} FROM ewaybills WHERE state = 'cancel_pending' AND next_at <= ?
                AND attention = '' ORDER BY id LIMIT ?""",
            [now, limit],
        )
    ]


def retry_later(db: sqlite_utils.Database, row_id: int, seconds: float, note: str) -> None:
    later = iso(datetime.now(UTC) + timedelta(seconds=seconds))
    db.execute(
        """UPDATE ewaybills SET attempts = attempts + 1, next_at = ?, note = ?, updated_at = ?
           WHERE id = ?""",
        (later, note, now_utc(), row_id),
    )


def give_up_cancel(db: sqlite_utils.Database, row_id: int, why: str) -> None:
    """The carrier refused the cancel for good: no more tries, a person must act
    (`needing_attention`). Call inside a transaction."""
    db.execute(
        """UPDATE ewaybills SET attempts = attempts + 1, attention = ?, note = ?, updated_at = ?
           WHERE id = ?""",
        (why, why, now_utc(), row_id),
    )


def retry_cancel(db: sqlite_utils.Database, row_id: int) -> bool:
    """A person asks to try a given-up cancel again. Call inside a transaction."""
    return (
        db.execute(
            """UPDATE ewaybills SET attention = '', attempts = 0, next_at = '', updated_at = ?
               WHERE id = ? AND state = 'cancel_pending' AND attention != ''""",
            (now_utc(), row_id),
        ).rowcount
        == 1
    )


def needing_attention(db: sqlite_utils.Database) -> list[Row]:
    """E-waybills a person must deal with: cancels the carrier refused for good."""
    return [
        _row(r)
        for r in db.execute(
            f"SELECT {COLUMNS} FROM ewaybills WHERE attention != '' ORDER BY updated_at, id"
        )
    ]


@dataclass(frozen=True)
class PrintNotice:
    """A print of an e-waybill through WeChat's print component, to report (order/print)."""

    id: int
    print_no: int  # the shipment's print count: 1 is the first print, more a reprint
    attempts: int
    waybill: Row

    @property
    def reprint(self) -> bool:
        return self.print_no > 1


def queue_print_notice(db: sqlite_utils.Database, waybill_no: str, print_no: int) -> bool:
    """Queue the notice of the `print_no`th print of an e-waybill (once: the same print
    queued again is ignored); False when the number is no e-waybill. Call inside a
    transaction."""
    return (
        db.execute(
            """INSERT INTO ewaybill_print_notices (ewaybill_id, print_no, created_at)
               SELECT id, ?, ? FROM ewaybills WHERE waybill_no = ?
               ON CONFLICT (ewaybill_id, print_no) DO NOTHING""",
            (print_no, now_utc(), waybill_no.strip()),
        ).rowcount
        == 1
    )


def print_notices_due(db: sqlite_utils.Database, now: str, limit: int = 100) -> list[PrintNotice]:
    found = db.execute(
        """SELECT n.id, n.print_no, n.attempts, n.ewaybill_id FROM ewaybill_print_notices n
           WHERE n.sent_at IS NULL AND n.next_at <= ? ORDER BY n.id LIMIT ?""",
        [now, limit],
    ).fetchall()
    notices = []
    for notice_id, print_no, attempts, ewaybill_id in found:
        row = db.execute(f"SELECT {COLUMNS} FROM ewaybills WHERE id = ?", [ewaybill_id]).fetchone()
        notices.append(PrintNotice(notice_id, print_no, attempts, _row(row)))
    return notices


def print_notice_sent(db: sqlite_utils.Database, notice_id: int) -> None:
    db.execute(
        "UPDATE ewaybill_print_notices SET sent_at = ?, note = '' WHERE id = ?",
        (now_utc(), notice_id),
    )


def print_notice_later(
    db: sqlite_utils.Database, notice_id: int, seconds: float, note: str
) -> None:
    later = iso(datetime.now(UTC) + timedelta(seconds=seconds))
    db.execute(
        """UPDATE ewaybill_print_notices SET attempts = attempts + 1, next_at = ?, note = ?
           WHERE id = ?""",
        (later, note, notice_id),
    )


def print_notices_waiting(db: sqlite_utils.Database) -> int:
    return int(
        db.execute("SELECT count(*) FROM ewaybill_print_notices WHERE sent_at IS NULL").fetchone()[
            0
        ]
    )


def claim_for_shipment(
    db: sqlite_utils.Database, order_no: str, carrier: str, service: str
) -> Row | None:
    """At the bench, inside the transaction that records the shipment: the order's
    taken e-waybill for this carrier and service, now 'used'. A taken one for another
    carrier or service is queued for cancel instead (weighing changed the route), and
    None is returned, as when the order has none."""
    row = live(db, order_no)
    if row is None or row.state is not State.TAKEN:
        return None
    if row.carrier != carrier or (row.service or "") != (service or ""):
        queue_cancel(db, row.id, f"route changed to {carrier} {service}".strip())
        return None
    set_state(db, row.id, State.USED)
    return row


def counts(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    """Rows per provider and state."""
    found: dict[str, dict[str, int]] = {}
    for provider, state, n in db.execute(
        "SELECT provider, state, count(*) FROM ewaybills GROUP BY provider, state ORDER BY 1, 2"
    ):
        found.setdefault(provider, {})[state] = n
    return found


def save_balances(db: sqlite_utils.Database, balances: list[Any]) -> None:
    """Call inside a transaction."""
    stamp = now_utc()
    db.conn.executemany(
        """INSERT INTO ewaybill_accounts (provider, account, carrier, available, checked_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider, account, carrier) DO UPDATE SET
           available = excluded.available, checked_at = excluded.checked_at""",
        [(b.provider, b.account, b.carrier, b.available, stamp) for b in balances],
    )


def balances(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return [
        {"provider": p, "account": a, "carrier": c, "available": n, "checked_at": t}
        for p, a, c, n, t in db.execute(
            "SELECT provider, account, carrier, available, checked_at FROM ewaybill_accounts "
            "ORDER BY provider, carrier, account"
        )
    ]

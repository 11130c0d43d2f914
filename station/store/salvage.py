"""After a restore: what the replaced database holds beyond the backup, brought back.

A backup is older than the database it replaces. Without this, a restore silently
forgets the parcels packed since the backup: their orders could be packed again,
their pool numbers handed out again, and their uploads sent to WeChat again (a
second upload of a shipped order spends its single re-ship).

The replaced file is read with SQLite only, read-only, table by table in key
order. A damaged page costs the rows on it, not the rest: when a scan fails, the
next readable key is found by probing past the failure, and the scan goes on from
there. Only what changed after the backup's newest stamp (or has a higher id than
anything in the backup) is read, so a million-order database is not held in memory.

What can be read is merged into the staged backup before it is installed, in one
transaction, under the schema's own constraints (a row that breaks one is left
out and reported):
- orders changed since the backup, their shipments (with scan events and
  overrides): a restored order stays shipped, so the bench refuses it with the
  full record;
- upload-queue records and how far each target got with them: what a target took
  stays done and is never sent again;
- the waybill pool: every number used or voided in the replaced file, or named by
  any shipment, queue record or scan read from it, is used in the restored one;
- e-waybills taken, used or queued for cancel since the backup (table `ewaybills`,
  matched by provider and idempotency key): a number taken after the backup is
  never asked for again, printed as what it is, and a queued cancel is still sent;
  with them the WeChat print notices queued or sent since (`ewaybill_print_notices`):
  none is forgotten, none sent again;
- audit entries, order references (payer openid...), per-target sync values (a
  WeChat upload_time only grows).

Then two rules protect what could not be read:
- an order the replaced file shows shipped after the backup (by its shipment, its
  queue record, its scans or its status) that has no live shipment after the merge
  is put on hold with the reason `hold_shipped_after_backup` until a supervisor has
  checked it upstream (`station orders release`);
- every upload record of the restored database not known done is marked in doubt
  (and so is each one a target sees for the first time, up to the newest record
  at the restore), so a WeChat target looks the order up before sending anything.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from station.core.events import EventKind
from station.core.model import OrderStatus
from station.core.permissions import Action, AuditEvent
from station.core.problem_texts import Text
from station.core.upload_states import WAITING, DeliveryState
from station.store import deliveries, outbox
from station.store.audit import append as audit_append
from station.store.db import now_utc, transaction
from station.store.orders import set_status

HOLD_KEY = "hold_shipped_after_backup"
_MIN_KEY = -(2**63)
_MAX_STEP = 2**62

# Where the backup's newest moment is read from: every stamp a change writes.
_STAMPS = (
    ("shipments", "recorded_at"),
    ("shipments", "voided_at"),
    ("shipments", "printed_at"),
    ("orders", "updated_at"),
    ("outbox", "created_at"),
    ("deliveries", "updated_at"),
    ("tracking_pool", "imported_at"),
    ("tracking_pool", "used_at"),
    ("audit", "at"),
    ("order_refs", "updated_at"),
    ("scan_events", "at"),
    ("ewaybills", "updated_at"),
)


@dataclass(frozen=True)
class LateShipment:
    """A shipment the replaced database holds and the backup does not."""

    order_no: str
    tracking_no: str
    carrier: str
    recorded_at: str
    voided_at: str | None
    restored: bool


@dataclass
class Report:
    """What the restore found beyond the backup and what became of it."""

    backup_newest: str | None = None
    readable: bool = True
    problems: list[str] = field(default_factory=list)  # damaged parts that were skipped
    shipments: list[LateShipment] = field(default_factory=list)
    held: dict[str, str] = field(default_factory=dict)  # order_no -> tracking number or ''
    restored: dict[str, int] = field(default_factory=dict)  # table -> rows brought back
    pool_marked: int = 0
    in_doubt: int = 0

    @property
    def complete(self) -> bool:
        """Nothing the replaced file knew of is left for a person to check."""
        return self.readable and not self.held


class _Reader:
    """Rows of the replaced file, skipping damaged pages instead of stopping."""

    def __init__(self, conn: sqlite3.Connection, problems: list[str]):
        self.conn = conn
        self.problems = problems

    def columns(self, table: str) -> list[str]:
        try:
            return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError as exc:
            self.problems.append(f"{table}: cannot be read ({exc})")
            return []

    def rows(
        self,
        table: str,
        columns: Sequence[str],
        where: str = "1",
        params: Sequence[Any] = (),
        key: str = "rowid",
    ) -> Iterator[dict[str, Any]]:
        """Rows matching `where`, in order of the integer `key`, past damage."""
        listed = ", ".join(columns)
        # NOT INDEXED: a damaged secondary index must not hide the table's rows.
        sql = (
            f"SELECT {key}, {listed} FROM {table} NOT INDEXED "
            f"WHERE ({where}) AND {key} > ? ORDER BY {key}"
        )
        low, failed_at = _MIN_KEY, None
        while True:
            try:
                for row in self.conn.execute(sql, (*params, low)):
                    low = row[0]
                    yield dict(zip(columns, row[1:], strict=True))
                return
            except sqlite3.DatabaseError as exc:
                if failed_at == low:
                    low += 1  # the row right after `low` itself is unreadable: skip it
                failed_at = low
                resume = self._next_key(table, key, where, params, low)
                self.problems.append(
                    f"{table}: rows after {key} {low if low != _MIN_KEY else '(start)'} "
                    f"could not be read ({exc})"
                    + (f"; resumed at {resume}" if resume is not None else "")
                )
                if resume is None:
                    return
                low = resume - 1
                failed_at = low

    def _next_key(
        self, table: str, key: str, where: str, params: Sequence[Any], low: int
    ) -> int | None:
        """The first key after `low` from which the table reads again, or None."""
        sql = (
            f"SELECT {key} FROM {table} NOT INDEXED "
            f"WHERE ({where}) AND {key} >= ? ORDER BY {key} LIMIT 1"
        )

        def probe(start: int) -> tuple[bool, int | None]:
            try:
                row = self.conn.execute(sql, (*params, start)).fetchone()
            except sqlite3.DatabaseError:
                return False, None
            return True, (row[0] if row else None)

        step, bad = 1, low
        while step < _MAX_STEP:
            ok, found = probe(low + step)
            if ok:
                good = low + step
                while good - bad > 1:  # narrow down to the end of the damage
                    middle = (bad + good) // 2
                    ok_middle, found_middle = probe(middle)
                    if ok_middle:
                        good, found = middle, found_middle
                    else:
                        bad = middle
                return found
            bad, step = low + step, step * 2
        return None


def salvage_into(
    staging: Path, replaced: Path, backup_name: str, station: str = "", actor: str = "restore"
) -> Report:
    """Merge what `replaced` holds beyond the backup staged at `staging` into it."""
    report = Report()
    with closing(_open_staging(staging)) as conn:
        db = sqlite_utils.Database(conn)
        report.backup_newest = _newest_stamp(db)
        try:
            source = sqlite3.connect(f"{Path(replaced).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            report.readable = False
            report.problems.append(f"the replaced database cannot be opened ({exc})")
            source = None
        with transaction(db):
            if source is not None:
                with closing(source):
                    try:
                        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    except sqlite3.DatabaseError as exc:
                        report.readable = False
                        report.problems.append(f"the replaced database cannot be read ({exc})")
                    else:
                        _Merge(db, _Reader(source, report.problems), report).run()
            tables = set(db.table_names())
            if {"deliveries", "sync_state"} <= tables:
                through = db.execute("SELECT max(id) FROM outbox").fetchone()[0] or 0
                report.in_doubt = deliveries.mark_restored(db, through)
            if "audit" in tables:
                _audit_restore(db, report, backup_name, station, actor)
    return report


def _audit_restore(
    db: sqlite_utils.Database, report: Report, backup_name: str, station: str, actor: str
) -> None:
    audit_append(
        db,
        AuditEvent.DB_RESTORE,
        backup_name,
        actor=actor,
        station=station,
        reason="database restored from a backup",
        detail={
            "backup_newest": report.backup_newest,
            "late_shipments": len(report.shipments),
            "restored": report.restored,
            "held": sorted(report.held),
            "pool_marked": report.pool_marked,
            "in_doubt": report.in_doubt,
            "problems": report.problems[:20],
        },
    )


def _open_staging(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _newest_stamp(db: sqlite_utils.Database) -> str | None:
    tables = set(db.table_names())
    stamps = []
    for table, column in _STAMPS:
        if table in tables and column in db[table].columns_dict:
            value = db.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
            if value:
                stamps.append(value)
    return max(stamps) if stamps else None


class _Merge:
    """One merge of the replaced file's late rows into the staged backup (inside the
    caller's transaction)."""

    def __init__(self, db: sqlite_utils.Database, reader: _Reader, report: Report):
        self.db = db
        self.read = reader
        self.report = report
        self.since = report.backup_newest or ""
        self.tables = set(db.table_names())
        # orders the replaced file shows shipped after the backup, with what it says of
        # the shipment (a shipment row read whole is in report.shipments instead)
        self.evidence: dict[str, LateShipment] = {}
        self.numbers: set[str] = set()  # waybill numbers it shows printed or uploaded
        # shipment rows read whole (id -> order): their traces elsewhere add nothing
        self.read_shipments: dict[int, str] = {}
        self.shipped_orders: list[dict[str, Any]] = []  # orders it shows shipped

    def run(self) -> None:
        self._orders()
        self._shipments()
        for table in ("scan_events", "overrides"):
            self._children(table)
        self._outbox()
        self._deliveries()
        self._sync_state()
        self._order_refs()
        self._pool()
        self._ewaybills()
        self._print_notices()
        self._audit()
        self._hold_unrestored()

    # -- helpers -------------------------------------------------------------------

    def _common(self, table: str) -> list[str]:
        """Columns both files have for `table` (none when either lacks it)."""
        if table not in self.tables:
            return []
        mine = set(self.db[table].columns_dict)
        return [c for c in self.read.columns(table) if c in mine]

    def _max_id(self, table: str, column: str = "id") -> int:
        found = self.db.execute(f"SELECT coalesce(max({column}), 0) FROM {table}").fetchone()
        return int(found[0])

    def _insert(self, table: str, row: dict[str, Any]) -> bool:
        """Insert one row; False when a constraint of the schema refuses it."""
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        try:
            self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        except sqlite3.IntegrityError as exc:
            self.report.problems.append(f"{table}: a row was not brought back ({exc})")
            return False
        return True

    def _count(self, table: str, added: int) -> None:
        if added:
            self.report.restored[table] = self.report.restored.get(table, 0) + added

    def _exists(self, table: str, column: str, value: Any) -> bool:
        return (
            self.db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", [value]).fetchone()
            is not None
        )

    def _witness(
        self, order_no: str, tracking: str = "", carrier: str = "", when: str = ""
    ) -> None:
        """Note a trace of a shipment of `order_no` after the backup; the fullest wins."""
        known = self.evidence.get(order_no)
        if known is None or (tracking and not known.tracking_no):
            self.evidence[order_no] = LateShipment(order_no, tracking, carrier, when, None, False)

    def _live_shipment(self, order_no: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM shipments WHERE order_no = ? AND voided_at IS NULL", [order_no]
            ).fetchone()
            is not None
        )

    # -- tables --------------------------------------------------------------------

    def _orders(self) -> None:
        columns = self._common("orders")
        if "updated_at" not in columns:
            return
        lines = self._common("order_lines")
        added = 0
        shipped: list[dict[str, Any]] = []
        for row in self.read.rows("orders", columns, "updated_at >= ?", [self.since]):
            if row.get("status") == OrderStatus.SHIPPED:
                shipped.append(row)
            mine = self.db.execute(
                "SELECT updated_at FROM orders WHERE order_no = ?", [row["order_no"]]
            ).fetchone()
            if mine is None:
                added += self._insert("orders", row)
            elif row["updated_at"] > mine[0]:
                changes = {k: v for k, v in row.items() if k not in ("order_no", "created_at")}
                self.db.execute(
                    f"UPDATE orders SET {', '.join(f'{k} = ?' for k in changes)} "
                    "WHERE order_no = ?",
                    [*changes.values(), row["order_no"]],
                )
                added += 1
            else:
                continue
            if lines:
                self._order_lines(row["order_no"], lines)
        self._count("orders", added)
        self.shipped_orders = shipped

    def _order_lines(self, order_no: str, columns: list[str]) -> None:
        try:
            found = [
                dict(zip(columns, r, strict=True))
                for r in self.read.conn.execute(
                    f"SELECT {', '.join(columns)} FROM order_lines WHERE order_no = ?", [order_no]
                )
            ]
        except sqlite3.DatabaseError as exc:
            self.report.problems.append(f"order_lines of {order_no}: cannot be read ({exc})")
            return
        if found:
            self.db.execute("DELETE FROM order_lines WHERE order_no = ?", [order_no])
            for line in found:
                self._insert("order_lines", line)

    def _shipments(self) -> None:
        columns = self._common("shipments")
        if not {"id", "order_no", "tracking_no", "recorded_at"} <= set(columns):
            return
        newest = self._max_id("shipments")
        added = 0
        since_backup = "id > ? OR coalesce(voided_at, '') >= ? OR coalesce(printed_at, '') >= ?"
        for row in self.read.rows(
            "shipments", columns, since_backup, [newest, self.since, self.since]
        ):
            tracking = str(row["tracking_no"]).upper()
            self.numbers.add(tracking)
            self.read_shipments[row["id"]] = row["order_no"]
            if row["id"] <= newest and self._exists("shipments", "id", row["id"]):
                self._update_shipment(row)
                continue
            restored = self._shipment(row)
            added += restored
            late = LateShipment(
                row["order_no"],
                tracking,
                str(row.get("carrier", "")),
                row["recorded_at"],
                row.get("voided_at"),
                restored,
            )
            self.report.shipments.append(late)
            if row.get("voided_at") is None and not restored:
                self.evidence[row["order_no"]] = late
        self._count("shipments", added)
        known = set(self.read_shipments.values())
        for row in self.shipped_orders:
            if row["order_no"] not in known:
                self._witness(row["order_no"], when=row["updated_at"])

    def _shipment(self, row: dict[str, Any]) -> bool:
        if not self._exists("orders", "order_no", row["order_no"]):
            self.report.problems.append(
                f"shipment {row['tracking_no']} of order {row['order_no']}: the order itself "
                "could not be read"
            )
            return False
        if row.get("voided_at") is None and self._live_shipment(row["order_no"]):
            self.report.problems.append(
                f"shipment {row['tracking_no']}: order {row['order_no']} already has a live "
                "shipment in the backup"
            )
            return False
        if self._exists("shipments", "id", row["id"]):
            row = {k: v for k, v in row.items() if k != "id"}
        return self._insert("shipments", row)

    def _update_shipment(self, row: dict[str, Any]) -> None:
        """A shipment both hold: the replaced file's void and print marks are newer."""
        changes = {
            k: row[k]
            for k in (
                "voided_at",
                "voided_by",
                "void_reason",
                "label_status",
                "label_error",
                "print_count",
                "printed_at",
            )
            if k in row
        }
        self.db.execute(
            f"UPDATE shipments SET {', '.join(f'{k} = ?' for k in changes)} "
            "WHERE id = ? AND tracking_no = ?",
            [*changes.values(), row["id"], row["tracking_no"]],
        )

    def _children(self, table: str) -> None:
        """Scan events and overrides of the shipments brought back."""
        columns = self._common(table)
        if "id" not in columns:
            return
        added = 0
        for row in self.read.rows(table, columns, "id > ?", [self._max_id(table)]):
            shipment = row.get("shipment_id")
            if shipment is not None and row.get("order_no") and shipment not in self.read_shipments:
                self._witness(row["order_no"], when=str(row.get("at", "")))
            if shipment is not None and not self._exists("shipments", "id", shipment):
                continue
            added += self._insert(table, row)
        self._count(table, added)

    def _outbox(self) -> None:
        columns = self._common("outbox")
        if not {"id", "idempotency_key", "payload"} <= set(columns):
            return
        added = 0
        for row in self.read.rows("outbox", columns, "id > ?", [self._max_id("outbox")]):
            payload = _json(row["payload"])
            tracking = str(payload.get("tracking_no", "")).upper()
            if tracking:
                self.numbers.add(tracking)
            if row.get("event") == EventKind.RECORDED and payload.get("shipment_id") not in (
                self.read_shipments
            ):
                self._witness(
                    row["order_no"],
                    tracking,
                    str(payload.get("carrier", "")),
                    str(payload.get("shipped_at") or row.get("created_at", "")),
                )
            shipment = row.get("shipment_id")
            if shipment is not None and not self._exists("shipments", "id", shipment):
                continue
            if self._exists("outbox", "idempotency_key", row["idempotency_key"]):
                continue
            added += self._insert("outbox", row)
        self._count("outbox", added)

    def _deliveries(self) -> None:
        columns = self._common("deliveries")
        if not {"target", "outbox_id", "state"} <= set(columns):
            return
        try:
            targets = [
                t for (t,) in self.read.conn.execute("SELECT DISTINCT target FROM sync_state")
            ]
        except sqlite3.DatabaseError as exc:
            self.report.problems.append(f"sync_state: cannot be read ({exc})")
            targets = [t for (t,) in self.db.execute("SELECT DISTINCT target FROM deliveries")]
        newest = self._max_id("outbox")
        changed: list[int] = []
        for target in targets:
            rows = self.read.rows(
                "deliveries",
                columns,
                "target = ? AND (updated_at >= ? OR outbox_id > ?)",
                [target, self.since, newest],
                key="outbox_id",
            )
            for row in rows:
                if self._delivery(row):
                    changed.append(row["outbox_id"])
        outbox.refresh_state(self.db, changed)
        self._count("deliveries", len(changed))

    def _delivery(self, row: dict[str, Any]) -> bool:
        """Take the replaced file's progress for one record at one target when it is
        further along; a record cut off mid-send comes back queued, in doubt."""
        if not self._same_record(row["outbox_id"]):
            return False
        if row["state"] == DeliveryState.SENDING:
            row = {**row, "state": DeliveryState.QUEUED, "in_doubt": 1}
        mine = self.db.execute(
            "SELECT state FROM deliveries WHERE target = ? AND outbox_id = ?",
            (row["target"], row["outbox_id"]),
        ).fetchone()
        if mine is None:
            return self._insert("deliveries", row)
        if mine[0] not in WAITING or row["state"] == DeliveryState.QUEUED:
            return False
        changes = {k: v for k, v in row.items() if k not in ("target", "outbox_id")}
        self.db.execute(
            f"UPDATE deliveries SET {', '.join(f'{k} = ?' for k in changes)} "
            "WHERE target = ? AND outbox_id = ?",
            [*changes.values(), row["target"], row["outbox_id"]],
        )
        return True

    def _same_record(self, outbox_id: int) -> bool:
        """Does the outbox row of this id hold the same record in both files?"""
        mine = self.db.execute(
            "SELECT idempotency_key FROM outbox WHERE id = ?", [outbox_id]
        ).fetchone()
        if mine is None:
            return False
        try:
            theirs = self.read.conn.execute(
                "SELECT idempotency_key FROM outbox WHERE id = ?", [outbox_id]
            ).fetchone()
        except sqlite3.DatabaseError:
            return False
        return theirs is not None and theirs[0] == mine[0]

    def _sync_state(self) -> None:
        if "sync_state" not in self.tables:
            return
        try:
            rows = self.read.conn.execute("SELECT target, key, value FROM sync_state").fetchall()
        except sqlite3.DatabaseError as exc:
            self.report.problems.append(f"sync_state: cannot be read ({exc})")
            return
        for target, key, value in rows:
            mine = deliveries.get_state(self.db, target, key)
            if key == deliveries.CURSOR:
                continue  # the restored queue fans out from its own cursor
            if mine is not None and key == "upload_time" and mine >= value:
                continue  # WeChat wants every upload_time later than the last
            deliveries.set_state(self.db, target, key, value)

    def _order_refs(self) -> None:
        columns = self._common("order_refs")
        if "updated_at" not in columns:
            return
        added = 0
        for row in self.read.rows("order_refs", columns, "updated_at >= ?", [self.since]):
            mine = self.db.execute(
                "SELECT updated_at FROM order_refs WHERE order_no = ?", [row["order_no"]]
            ).fetchone()
            if mine is not None and mine[0] >= row["updated_at"]:
                continue
            self.db.execute("DELETE FROM order_refs WHERE order_no = ?", [row["order_no"]])
            added += self._insert("order_refs", row)
        self._count("order_refs", added)

    def _pool(self) -> None:
        columns = self._common("tracking_pool")
        marked = 0
        if {"tracking_no", "state"} <= set(columns):
            late = "imported_at >= ? OR coalesce(used_at, '') >= ?"
            for row in self.read.rows("tracking_pool", columns, late, [self.since, self.since]):
                shipment = row.get("shipment_id")
                if shipment is not None and not self._exists("shipments", "id", shipment):
                    row = {**row, "shipment_id": None}
                mine = self.db.execute(
                    "SELECT state FROM tracking_pool WHERE tracking_no = ?", [row["tracking_no"]]
                ).fetchone()
                if mine is None:
                    if self._insert("tracking_pool", row) and row["state"] != "free":
                        marked += 1
                elif mine[0] == "free" and row["state"] != "free":
                    self.db.execute(
                        "UPDATE tracking_pool SET state = ?, used_at = ?, shipment_id = ? "
                        "WHERE tracking_no = ?",
                        (
                            row["state"],
                            row.get("used_at"),
                            row.get("shipment_id"),
                            row["tracking_no"],
                        ),
                    )
                    marked += 1
        stamp = now_utc()
        for number in sorted(self.numbers | {e.tracking_no for e in self.evidence.values()} - {""}):
            marked += self.db.execute(
                "UPDATE tracking_pool SET state = 'used', used_at = coalesce(used_at, ?) "
                "WHERE tracking_no = ? AND state = 'free'",
                (stamp, number),
            ).rowcount
        self.report.pool_marked = marked

    def _ewaybills(self) -> None:
        """E-waybill rows changed since the backup, in id order (a cancel queued for an
        order's first number comes before its second number is inserted). A row the
        backup holds under the same provider and key takes the replaced file's state;
        one it lacks is inserted (under a new id when the backup used its id)."""
        columns = self._common("ewaybills")
        if not {"provider", "idempotency_key", "updated_at"} <= set(columns):
            return
        added = 0
        late = "updated_at >= ? OR id > ?"
        for row in self.read.rows(
            "ewaybills", columns, late, [self.since, self._max_id("ewaybills")]
        ):
            mine = self.db.execute(
                "SELECT id, updated_at FROM ewaybills WHERE provider = ? AND idempotency_key = ?",
                [row["provider"], row["idempotency_key"]],
            ).fetchone()
            if mine is None:
                if self._exists("ewaybills", "id", row["id"]):
                    row = {k: v for k, v in row.items() if k != "id"}
                added += self._insert("ewaybills", row)
            elif row["updated_at"] > mine[1]:
                changes = {k: v for k, v in row.items() if k != "id"}
                try:
                    self.db.execute(
                        f"UPDATE ewaybills SET {', '.join(f'{k} = ?' for k in changes)} "
                        "WHERE id = ?",
                        [*changes.values(), mine[0]],
                    )
                except sqlite3.IntegrityError as exc:
                    self.report.problems.append(f"ewaybills: a row was not brought back ({exc})")
                    continue
                added += 1
        self._count("ewaybills", added)

    def _print_notices(self) -> None:
        columns = self._common("ewaybill_print_notices")
        if not {"ewaybill_id", "print_no", "sent_at"} <= set(columns):
            return
        added = 0
        late = "id > ? OR sent_at >= ?"
        newest = self._max_id("ewaybill_print_notices")
        for row in self.read.rows("ewaybill_print_notices", columns, late, [newest, self.since]):
            ewaybill = self._restored_ewaybill(row["ewaybill_id"])
            if ewaybill is None:
                self.report.problems.append(
                    f"ewaybill_print_notices: the e-waybill of notice {row['id']} is not here"
                )
                continue
            row = {k: v for k, v in row.items() if k != "id"} | {"ewaybill_id": ewaybill}
            mine = self.db.execute(
                "SELECT sent_at FROM ewaybill_print_notices WHERE ewaybill_id = ? AND print_no = ?",
                [ewaybill, row["print_no"]],
            ).fetchone()
            if mine is None:
                added += self._insert("ewaybill_print_notices", row)
            elif mine[0] is None and row["sent_at"]:
                self.db.execute(
                    "UPDATE ewaybill_print_notices SET sent_at = ? "
                    "WHERE ewaybill_id = ? AND print_no = ?",
                    [row["sent_at"], ewaybill, row["print_no"]],
                )
                added += 1
        self._count("ewaybill_print_notices", added)

    def _restored_ewaybill(self, replaced_id: int) -> int | None:
        """The restored id of the replaced file's e-waybill `replaced_id` (the same
        provider and key; ids can differ when a late row was inserted under a new id)."""
        try:
            found = self.read.conn.execute(
                "SELECT provider, idempotency_key FROM ewaybills WHERE id = ?", [replaced_id]
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if found is None:
            return None
        mine = self.db.execute(
            "SELECT id FROM ewaybills WHERE provider = ? AND idempotency_key = ?", list(found)
        ).fetchone()
        return mine[0] if mine else None

    def _audit(self) -> None:
        columns = self._common("audit")
        if "id" not in columns:
            return
        added = 0
        for row in self.read.rows("audit", columns, "id > ?", [self._max_id("audit")]):
            added += self._insert("audit", row)
        self._count("audit", added)

    def _hold_unrestored(self) -> None:
        """Orders shipped after the backup whose shipment is not in the restored file:
        held until a supervisor has checked them upstream."""
        listed = {s.order_no for s in self.report.shipments}
        for order_no, late in sorted(self.evidence.items()):
            if self._live_shipment(order_no):
                continue
            if order_no not in listed:
                self.report.shipments.append(late)
            if not self._exists("orders", "order_no", order_no):
                self._placeholder(order_no)
            reason = Text.of(HOLD_KEY, tracking_no=late.tracking_no or "?", since=self.since or "?")
            set_status(self.db, order_no, OrderStatus.HOLD, reason)
            self.report.held[order_no] = late.tracking_no

    def _placeholder(self, order_no: str) -> None:
        """An order known only from its shipment's traces: a row to hold it by, so a
        later import of it from the shop finds it held instead of packing it anew."""
        stamp = now_utc()
        self.db.execute(
            "INSERT INTO orders (order_no, status, recipient_name, created_at, updated_at) "
            "VALUES (?, 'hold', '', ?, ?)",
            (order_no, stamp, stamp),
        )


def release_restore_hold(
    db: sqlite_utils.Database, order_no: str, views: Sequence[Any], actor: str, role: str
) -> None:
    """A supervisor checked an order held after a restore: open it for packing, audited
    with what upstream showed."""
    with transaction(db):
        set_status(db, order_no, OrderStatus.OPEN, None)
        audit_append(
            db,
            Action.RELEASE,
            order_no,
            actor=actor,
            role=role,
            reason="checked upstream after a restore",
            detail={
                "upstream": [
                    {"target": v.target, "to_ship": v.to_ship, "note": v.note} for v in views
                ],
            },
        )


def _json(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}

"""The one order checker: every order that reaches the bench comes through here.

Orders from a file (`station orders import`, the import dialog) and orders pulled
from WeChat Shop (`station.sync.shop_orders`) are `ImportedOrder`s checked by
`plan_orders` and written by `apply_plan` (or both at once by `check_and_store`),
so each gets the same flags: address (missing parts, misspelt places, words such
as 部队), phone, suspected duplicate and duplicate payment.

The plan decides, per order: new, update (unshipped), or untouched (shipped);
its normalised address and flags; and alerts for orders upstream cancelled or
refunded after they shipped or had their label printed.

Applying writes the plan in batches of whole orders, one short transaction each
(`station.store.batches`), so that a bench recording beside a long import never
waits past its busy timeout. What stays all or nothing is each order: its row,
its lines and its flags are in one transaction, so the bench never sees an order
without its lines or flags. A killed or failed import keeps the batches already
committed; importing the same file again finishes it (each batch is idempotent:
upserts, lines and flags replaced, alerts once). A staged import with one final
switch was not chosen: the switch would write the same rows and indexes into the
live tables in one transaction, and that write is what held the lock.

Each batch looks at its orders again inside its transaction: an order the bench
shipped since the plan is left untouched, and a hold put at the bench is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import sqlite_utils

from station.core.address import DEFAULT_CHECK_WORDS, ParsedAddress, parse_addresses
from station.core.model import OrderStatus
from station.core.phone import phone_problem
from station.core.problem_texts import Text, stored
from station.importers.gc_pause import gc_paused
from station.importers.orders import ImportedOrder, OrderPreview
from station.importers.problems import RowProblem
from station.store import flags as flag_store
from station.store import orders as order_store
from station.store.batches import write_in_batches
from station.store.crypto import cipher_for
from station.store.db import transaction
from station.store.flags import Flag, flag
from station.store.orders import IMPORT_COLUMNS

# The status columns of an import row; they come before the personal columns, so
# they keep their place in a sealed row.
_STATUS = slice(IMPORT_COLUMNS.index("status"), IMPORT_COLUMNS.index("hold_params") + 1)
assert _STATUS.stop <= IMPORT_COLUMNS.index("recipient_name")

DUPLICATE_WINDOW = dt.timedelta(hours=24)


class ImportAction(StrEnum):
    """What an import does with one order of the file."""

    NEW = "new"
    UPDATE = "update"
    SHIPPED = "shipped"  # already shipped: left as it is
    REJECTED = "rejected"


class PlannedOrder(NamedTuple):
    order: ImportedOrder
    address: ParsedAddress
    action: ImportAction
    status: OrderStatus
    hold_reason: str
    dedupe_key: str
    # The hold reason's key and parameters (station.core.problem_texts.stored).
    hold_key: str = ""
    hold_params: str = "{}"


@dataclass
class ImportPlan:
    preview: OrderPreview
    source: str
    orders: list[PlannedOrder] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    alerts: list[Flag] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    planned_at: str = ""
    seen: tuple[object, int] | None = field(default=None, repr=False, compare=False)
    """The connection that planned and its `PRAGMA data_version` before planning: while
    it is unchanged, no other connection has written since, and the plan still holds."""

    def count(self, action: ImportAction) -> int:
        return sum(1 for p in self.orders if p.action == action)

    @property
    def rejected_rows(self) -> int:
        return self.preview.rejected_rows + sum(len(p.order.source_lines) for p in self._rejected())

    def _rejected(self) -> list[PlannedOrder]:
        return [p for p in self.orders if p.action is ImportAction.REJECTED]

    def flags_of(self, order_no: str) -> list[Flag]:
        return [f for f in self.flags if f.order_no == order_no]

    @property
    def flagged(self) -> int:
        """How many of this import's orders are flagged (a duplicate payment also
        flags the stored order it pairs with: that one is not counted here)."""
        mine = {
            p.order.order_no.upper()
            for p in self.orders
            if p.action in (ImportAction.NEW, ImportAction.UPDATE)
        }
        return len({f.order_no.upper() for f in self.flags} & mine)


@dataclass(frozen=True)
class ImportSummary:
    imported: int
    updated: int
    unchanged_shipped: int
    rejected_rows: int
    flagged: int
    alerts: int
    problems: tuple[RowProblem, ...]


@gc_paused
def plan_orders(
    db: sqlite_utils.Database,
    preview: OrderPreview,
    source: str,
    check_words: Sequence[str] = DEFAULT_CHECK_WORDS,
) -> ImportPlan:
    """What importing would do; reads the database, writes nothing."""
    plan = ImportPlan(preview, source, problems=list(preview.problems))
    plan.seen = (db.conn, _data_version(db))
    plan.planned_at = _iso(dt.datetime.now(dt.UTC))
    orders = preview.orders
    addresses = parse_addresses([o.address for o in orders], check_words)
    known = order_store.existing_orders(db, [o.order_no for o in orders])
    owners = order_store.pick_code_owners(db, [o.pick_code for o in orders if o.pick_code])
    cipher = cipher_for(db)
    for order, address in zip(orders, addresses, strict=True):
        existing = known.get(order.order_no.upper())
        owner = owners.get((order.pick_code or "").upper())
        if owner is not None and owner.upper() != order.order_no.upper():
            plan.problems.append(
                RowProblem.of(
                    order.source_lines[0], "pick_code", Text.of("pick_code_taken", order_no=owner)
                )
            )
            action = ImportAction.REJECTED
        elif existing is None:
            action = ImportAction.NEW
        elif existing.shipped:
            action = ImportAction.SHIPPED
        else:
            action = ImportAction.UPDATE
        status, (reason, key, params) = _status(order, existing)
        fingerprint = order_store.dedupe_key(
            cipher,
            order.recipient_name,
            order.phone,
            order.address.text,
            ((line.sku, line.quantity) for line in order.lines),
        )
        plan.orders.append(
            PlannedOrder(order, address, action, status, reason, fingerprint, key, params)
        )
        if existing is not None and existing.shipped:
            _alert_if_withdrawn(plan, order, existing)
    live = [p for p in plan.orders if p.action in (ImportAction.NEW, ImportAction.UPDATE)]
    plan.flags += [
        flag(p.order.order_no, flag_store.ADDRESS, Text.of("flag_address", problem=problem))
        for p in live
        for problem in p.address.problems
    ]
    plan.flags += [
        flag(p.order.order_no, flag_store.PHONE, Text.of("flag_phone", problem=problem))
        for p in live
        if (problem := phone_problem(p.order.phone)) is not None
    ]
    plan.flags += _duplicate_orders(db, live)
    plan.flags += _duplicate_payments(db, live)
    plan.problems.sort(key=lambda p: p.line)
    return plan


@dataclass
class _Progress:
    """How far an import's batches got, and whether another connection wrote since the
    plan (from then on every batch looks at its orders again)."""

    seen: tuple[object, int] | None
    stale: bool = False
    new: int = 0
    updated: int = 0
    shipped_meanwhile: int = 0


@gc_paused
def apply_plan(db: sqlite_utils.Database, plan: ImportPlan) -> ImportSummary:
    """Write the plan in short transactions of whole orders (see the module docstring)."""
    live = [p for p in plan.orders if p.action in (ImportAction.NEW, ImportAction.UPDATE)]
    flags: dict[str, list[Flag]] = {}
    for f in plan.flags:
        flags.setdefault(f.order_no.upper(), []).append(f)
    progress = _Progress(plan.seen)

    def prepare(batch: Sequence[PlannedOrder]) -> list[tuple[PlannedOrder, tuple[object, ...]]]:
        rows = [_row(p, plan.source, plan.planned_at) for p in batch]
        return list(zip(batch, order_store.sealed_rows(db, rows), strict=True))

    def write(
        db: sqlite_utils.Database, batch: list[tuple[PlannedOrder, tuple[object, ...]]]
    ) -> None:
        _write_batch(db, batch, flags, progress)

    write_in_batches(db, live, prepare, write)
    with transaction(db):
        # What the batches left: flags of stored orders paired with imported ones.
        flag_store.add_flags(db, [f for left in flags.values() for f in left])
        for alert in plan.alerts:
            flag_store.add_alert(db, alert.order_no, alert.kind, alert.detail, alert.text)
    return ImportSummary(
        imported=progress.new,
        updated=progress.updated,
        unchanged_shipped=plan.count(ImportAction.SHIPPED) + progress.shipped_meanwhile,
        rejected_rows=plan.rejected_rows,
        flagged=plan.flagged,
        alerts=len(plan.alerts),
        problems=tuple(plan.problems),
    )


def _write_batch(
    db: sqlite_utils.Database,
    batch: list[tuple[PlannedOrder, tuple[object, ...]]],
    flags: dict[str, list[Flag]],
    progress: _Progress,
) -> None:
    """One batch of orders, inside its transaction. When another connection has written
    since the plan, its orders are looked at again: one shipped meanwhile is left
    untouched, a hold put meanwhile is kept, and lines and flags are replaced for all
    (an order planned new may have been stored meanwhile)."""
    if not progress.stale and progress.seen != (db.conn, _data_version(db)):
        progress.stale = True
    now: dict[str, order_store.ExistingOrder] = {}
    if progress.stale:
        now = order_store.held_or_shipped(db, [p.order.order_no for p, _ in batch])
    rows, lines, replaced, batch_flags = [], [], [], []
    for p, row in batch:
        key = p.order.order_no.upper()
        own_flags = flags.pop(key, [])
        existing = now.get(key)
        if existing is not None and existing.shipped:
            progress.shipped_meanwhile += 1
            continue
        if existing is not None:
            status, hold = _status(p.order, existing)
            row = (*row[: _STATUS.start], status.value, *hold, *row[_STATUS.stop :])
        rows.append(row)
        lines += [
            (p.order.order_no, number, line.sku, line.name, line.quantity)
            for number, line in enumerate(p.order.lines, start=1)
        ]
        if p.action is ImportAction.NEW:
            progress.new += 1
        else:
            progress.updated += 1
        if progress.stale or p.action is ImportAction.UPDATE:
            replaced.append(p.order.order_no)
        batch_flags += own_flags
    order_store.upsert_orders(db, rows, lines, replaced)
    flag_store.replace_flags(db, replaced, batch_flags)


def _data_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def check_and_store(
    db: sqlite_utils.Database,
    orders: Sequence[ImportedOrder],
    source: str,
    check_words: Sequence[str] = DEFAULT_CHECK_WORDS,
) -> ImportSummary:
    """Check orders and store them in one go: the path of orders that come one by one
    (pulled from WeChat Shop) rather than as a file to preview."""
    preview = OrderPreview(orders=list(orders), total_rows=len(orders))
    return apply_plan(db, plan_orders(db, preview, source, check_words))


def _status(
    order: ImportedOrder, existing: order_store.ExistingOrder | None
) -> tuple[OrderStatus, tuple[str, str, str]]:
    """Upstream's status, except that a hold put at the bench stays until upstream
    withdraws the order (cancelled or refunded); with the hold reason's English, key
    and parameters."""
    held = existing is not None and existing.status is OrderStatus.HOLD
    if held and existing is not None and order.status is OrderStatus.OPEN:
        return existing.status, (existing.hold_reason, existing.hold_key, existing.hold_params)
    reason = order.hold_reason
    if not reason:
        return order.status, ("", "", "{}")
    return order.status, (str(reason), *stored(reason if isinstance(reason, Text) else None))


def _alert_if_withdrawn(
    plan: ImportPlan, order: ImportedOrder, existing: order_store.ExistingOrder
) -> None:
    if order.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        return
    key = "alert_withdrawn_label_printed" if existing.label_printed else "alert_withdrawn_shipped"
    status = order.upstream_status or Text.of(f"upstream_{order.status.value}")
    plan.alerts.append(
        flag(
            order.order_no,
            order.status.value + "_after_ship",
            Text.of(key, status=status, tracking_no=existing.tracking_no or "-"),
        )
    )


def _moment(order: ImportedOrder, fallback: str) -> dt.datetime:
    return dt.datetime.fromisoformat((order.ordered_at or fallback).replace("Z", "+00:00"))


def _duplicate_orders(db: sqlite_utils.Database, live: list[PlannedOrder]) -> list[Flag]:
    """Same recipient, address and items within 24 h: both orders get a flag."""
    if not live:
        return []
    now = _iso(dt.datetime.now(dt.UTC))
    moments = {p.order.order_no: _moment(p.order, now) for p in live}
    since = min(moments.values()) - DUPLICATE_WINDOW
    by_key: dict[str, list[tuple[str, dt.datetime, bool]]] = {}
    importing = {p.order.order_no.upper() for p in live}
    for order_no, key, at, status in order_store.recent_fingerprints(db, _iso(since)):
        if order_no.upper() not in importing:
            stored = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
            by_key.setdefault(key, []).append((order_no, stored, status != "shipped"))
    for p in live:
        by_key.setdefault(p.dedupe_key, []).append(
            (p.order.order_no, moments[p.order.order_no], True)
        )
    flags = []
    for group in by_key.values():
        if len(group) < 2:
            continue
        for order_no, moment, may_flag in group:
            twins = [
                o for o, t, _ in group if o != order_no and abs(t - moment) <= DUPLICATE_WINDOW
            ]
            if may_flag and twins:
                flags.append(
                    flag(
                        order_no,
                        flag_store.DUPLICATE_ORDER,
                        Text.of("flag_duplicate_order", orders=", ".join(twins)),
                    )
                )
    return flags


def _duplicate_payments(db: sqlite_utils.Database, live: list[PlannedOrder]) -> list[Flag]:
    """One payment number on two orders: the buyer may have paid twice, or one is a copy.
    Every unshipped order of the pair is flagged, stored ones too."""
    payers: dict[str, dict[str, bool]] = {}
    for p in live:
        if p.order.payment_no:
            payers.setdefault(p.order.payment_no, {})[p.order.order_no.upper()] = True
    names = {p.order.order_no.upper(): p.order.order_no for p in live}
    for order_no, payment_no, status in order_store.orders_with_payment(db, list(payers)):
        key = order_no.upper()
        if key not in payers[payment_no]:
            payers[payment_no][key] = status != OrderStatus.SHIPPED
            names[key] = order_no
    return [
        flag(
            names[key],
            flag_store.DUPLICATE_PAYMENT,
            Text.of(
                "flag_duplicate_payment",
                payment_no=payment_no,
                orders=", ".join(sorted(names[k] for k in orders if k != key)),
            ),
        )
        for payment_no, orders in payers.items()
        if len(orders) > 1
        for key, may_flag in orders.items()
        if may_flag
    ]


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _row(p: PlannedOrder, source: str, planned_at: str) -> tuple[object, ...]:
    o, a = p.order, p.address
    return (
        o.order_no,
        o.pick_code,
        p.status.value,
        p.hold_reason,
        p.hold_key,
        p.hold_params,
        source,
        o.recipient_name,
        o.phone,
        a.corrected or o.address.text,
        a.province,
        a.city,
        a.district,
        o.buyer_note,
        o.carrier,
        o.service,
        o.order_value_fen,
        o.ordered_at or planned_at,
        o.payment_no,
        p.dedupe_key,
        o.upstream_status,
    )

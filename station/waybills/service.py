"""Taking e-waybills ahead (prefetch), cancelling them, and watching balances.

Prefetch: for each open order without a live e-waybill, predict its carrier (the
order's own, else the routing rules at its expected weight), build the request and
take a number from the first provider that serves it. The request's key is
committed ('requested') before the number is asked for; a requested row found
later (a timeout, a kill) is looked up before anything is asked again, and asked
again only under the same key, so a parcel never gets two numbers.

Reconcile: a live e-waybill whose order is no longer open (held, cancelled,
refunded) or whose address changed is queued for cancel ('cancel_pending'); the
cancel worker carries the queue out with retries and backoff. A cancel the provider
refuses (parcel already picked up, number unknown to the carrier...) is tried
CANCEL_REFUSALS times in all, then left for a person ('attention': `station waybill
status`, the dashboard's Exceptions tab); one that cannot reach the provider is
retried for as long as it takes.

With the warehouse hub (a `Coordinator`), an order's e-waybill is reserved at the hub
before its number is asked for, so two benches never take two numbers for one order:
a bench that finds the order reserved by another copies its number (once taken)
instead. A number cancelled here is released at the hub; a copied one released by
its bench (cancelled there) is dropped here. Without the hub's word (unreachable) no
number is taken.

Print notices: each print of a WeChat Shop e-waybill through the print component is
queued in the shipment's database (`ewaybill_print_notices`) and reported with
order/print by the same worker, once, whenever the network allows.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from station.core.model import Contact, Order, OrderStatus
from station.core.problem_texts import Text
from station.core.routing import NoActiveCarrier, Router, RulesError
from station.settings import Settings
from station.store import catalogue
from station.store import ewaybills as store
from station.store import orders as order_store
from station.store.db import now_utc, transaction
from station.sync.backoff import full_jitter
from station.waybills.coordination import HUB_NOTE, Coordinator, CoordinatorOffline, Shared
from station.waybills.model import (
    Address,
    AddsParcels,
    AlreadyExists,
    Balance,
    Goods,
    Provider,
    Refusal,
    Refused,
    State,
    Taken,
    Unavailable,
    WaybillRequest,
)
from station.waybills.wechat import MULTI_PARCEL

log = logging.getLogger("station.waybills")
SHOP_SOURCE = "wechat-shop"
BATCH = 50  # requests whose keys are committed together
CANCEL_REFUSALS = 5  # refused cancels before one is left for a person


@dataclass
class Summary:
    taken: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # order -> why (the order is held)
    pending: dict[str, str] = field(default_factory=dict)  # order -> why it waits
    no_provider: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # numbers copied from another bench


def address_digest(order: Order) -> str:
    r = order.recipient
    text = "\x1f".join((r.name, r.phone, r.province, r.city, r.district, r.address))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _address(contact: Contact) -> Address:
    return Address(
        name=contact.name,
        mobile=contact.phone,
        province=contact.province,
        city=contact.city,
        county=contact.district,
        address=contact.address,
    )


def sender_of(settings: Settings) -> Address:
    return Address(
        name=settings["sender.name"],
        mobile=settings["sender.phone"],
        province="",
        city="",
        county="",
        address=settings["sender.address"],
    )


def request_for(
    order: Order, carrier: str, service: str, attempt: int, sender: Address, parcels: int = 1
) -> WaybillRequest:
    """The request for an order. A WeChat Shop order's receiver is the (masked) one the
    shop gave; nothing is decrypted."""
    return WaybillRequest(
        order_no=order.order_no,
        attempt=attempt,
        carrier=carrier,
        service=service,
        sender=_address(order.sender) if order.sender is not None else sender,
        receiver=_address(order.recipient),
        goods=tuple(Goods(line.name, line.quantity) for line in order.lines),
        shop_order_id=order.order_no if order.source == SHOP_SOURCE else "",
        insured_fen=order.order_value_fen if service == "insured" else 0,
        parcels=parcels,
    )


class Prefetcher:
    """Takes, looks up and cancels e-waybills for a database. The providers run in
    parallel (one thread each, each within its own rate limit); the database is used
    by one thread at a time."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        providers: Sequence[Provider],
        folder: Path | None = None,
        coordinator: Coordinator | None = None,
    ):
        self.db = db
        self.settings = settings
        self.providers = list(providers)
        self.by_name = {p.name: p for p in self.providers}
        self.sender = sender_of(settings)
        self.folder = folder
        self.coordinator = coordinator
        self._db_lock = threading.Lock()
        self._hub_lock = threading.Lock()

    def close(self) -> None:
        for provider in self.providers:
            provider.close()
        if self.coordinator is not None:
            self.coordinator.close()

    # -- choosing --------------------------------------------------------------------

    def _carrier_for(self, order: Order, router: Router) -> tuple[str, str] | None:
        """The carrier and service the bench will route the parcel to, decided the same
        way (the order's own carrier, else the rules) at its expected weight."""
        expected = sum((line.unit_weight_g or 0) * line.quantity for line in order.lines)
        grams = expected + self.settings["weight.packaging_grams"]
        parcel = catalogue.parcel_for(self.db, order, max(grams, 1))
        try:
            decision = router.for_order(order.carrier, order.service, parcel)
        except NoActiveCarrier as exc:
            log.warning("order %s: no carrier to take an e-waybill for: %s", order.order_no, exc)
            return None
        return decision.carrier, order.service or decision.service

    def _provider_for(self, request: WaybillRequest) -> Provider | None:
        return next((p for p in self.providers if p.serves(request)), None)

    def candidates(self, order_nos: Sequence[str] | None, limit: int | None) -> list[str]:
        """Open orders without a live e-waybill or a shipment, oldest first."""
        if order_nos:
            return list(order_nos)
        sql = """SELECT o.order_no FROM orders o
                 WHERE o.status = 'open'
                   AND NOT EXISTS (SELECT 1 FROM ewaybills e WHERE e.order_no = o.order_no
                                   AND e.state IN ('requested', 'taken', 'used'))
                   AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_no = o.order_no
                                   AND s.voided_at IS NULL)
                 ORDER BY o.created_at, o.order_no"""
        params: list[object] = []
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [r[0] for r in self.db.execute(sql, params)]

    # -- prefetch --------------------------------------------------------------------

    def prefetch(
        self, order_nos: Sequence[str] | None = None, limit: int | None = None, parcels: int = 1
    ) -> Summary:
        """Take e-waybills for open orders (`order_nos`, else the oldest `limit`);
        `parcels` above 1 takes multi-parcel ones (子母单: a mother and children) where a
        provider issues them."""
        summary = Summary()
        summary.cancelled = self.reconcile()
        self.resume(summary)
        self.resume_additions(summary)
        self.sync_hub()
        if limit is None and not order_nos:
            limit = self.settings["ewaybill.prefetch_limit"] or None
        try:
            router = catalogue.load_router(self.db, self.folder, self.settings)
        except RulesError as exc:
            log.error("routing rules unusable, e-waybills taken by the fallback: %s", exc)
            router = catalogue.fallback_router(self.db, self.settings)
        work: dict[str, list[WaybillRequest]] = {}
        digests: dict[str, str] = {}
        for order_no in self.candidates(order_nos, limit):
            order = order_store.find_order(self.db, order_no)
            if order is None or order.status is not OrderStatus.OPEN or order.shipped:
                summary.pending[order_no] = "not an open order"
                continue
            live = store.live(self.db, order_no)
            if live is not None and self._can_add(live, parcels):
                self.add_parcels(live, parcels, summary)
                continue
            if live is not None:
                if parcels > 1 and len(live.sub_waybills) + 1 != parcels:
                    summary.pending[order_no] = (
                        f"it has e-waybill {live.waybill_no or live.key} for "
                        f"{len(live.sub_waybills) + 1} parcel(s): cancel it first "
                        "(station waybill cancel NO), then take it again with --parcels"
                    )
                continue
            chosen = self._carrier_for(order, router)
            if chosen is None:
                summary.no_provider.append(order_no)
                continue
            attempt = store.next_attempt(self.db, order_no)
            request = request_for(order, chosen[0], chosen[1], attempt, self.sender, parcels)
            provider = self._provider_for(request)
            if provider is None and parcels > 1:
                summary.pending[order_no] = (
                    f"no provider here issues multi-parcel (子母单) e-waybills for "
                    f"{request.carrier}: SF (丰桥) does, and WeChat Shop for a shop order "
                    f"with {', '.join(sorted(MULTI_PARCEL))}: route it to one of those"
                )
                continue
            if provider is None:
                summary.no_provider.append(order_no)
                continue
            work.setdefault(provider.name, []).append(request)
            digests[order_no] = address_digest(order)
        with ThreadPoolExecutor(max_workers=max(1, len(work))) as pool:
            for name, requests in work.items():
                pool.submit(self._run_provider, self.by_name[name], requests, digests, summary)
        return summary

    def _can_add(self, row: store.Row, parcels: int) -> bool:
        """Whether a taken e-waybill can grow to `parcels` upstream (WeChat Shop's
        order/addsuborder) rather than be cancelled and taken again."""
        provider: object = self.by_name.get(row.provider)
        return (
            row.state is State.TAKEN
            and row.waybill_no is not None
            and parcels > len(row.sub_waybills) + 1
            and isinstance(provider, AddsParcels)
            and provider.adds_parcels(row.carrier)
        )

    def resume_additions(self, summary: Summary) -> None:
        """Parcels asked for a taken e-waybill but not yet seen added (a kill or a
        lost answer in between): looked up, and added only if still missing."""
        for row in store.rows(self.db, State.TAKEN):
            if self._can_add(row, row.parcels):
                self.add_parcels(row, row.parcels, summary)

    def add_parcels(self, row: store.Row, parcels: int, summary: Summary) -> None:
        """Grow a taken e-waybill to `parcels` (子母单). The target is stored first;
        upstream is looked up before anything is added, so a retry after a lost answer
        or a kill adds only what is still missing. JD renumbers every parcel on each
        addition: the whole set read back replaces the children, and any label printed
        before is stale."""
        provider = self.by_name[row.provider]
        adder: object = provider
        assert isinstance(adder, AddsParcels) and row.waybill_no is not None
        order = order_store.find_order(self.db, row.order_no)
        if order is None:
            summary.pending[row.order_no] = "order gone"
            return
        request = request_for(order, row.carrier, row.service, row.attempt, self.sender, parcels)
        with self._db_lock, transaction(self.db):
            store.ask_parcels(self.db, row.id, parcels)
        try:
            found = provider.look_up(row.key, request)
            have = len(found.sub_waybills) + 1 if found is not None else 0
            added: dict[str, Any] = {}
            if found is not None and have < parcels:
                added = adder.add_parcels(row.key, row.waybill_no, row.carrier, parcels - have)
                found = provider.look_up(row.key, request)
        except (Refused, Unavailable) as exc:
            summary.pending[row.order_no] = f"adding parcels: {exc}"
            return
        if found is None or len(found.sub_waybills) + 1 < parcels:
            summary.pending[row.order_no] = (
                f"WeChat does not show the {parcels} parcels of {row.waybill_no} yet: "
                "run the prefetch again"
            )
            return
        children = dict(row.print_data.get("childPrintInfo") or {}) | added
        stale = ("childPrintInfo", "parcelNumber")  # JD renumbers the mother's parcel too
        print_data = {k: v for k, v in row.print_data.items() if k not in stale}
        print_data |= {k: v for k, v in found.print_data.items() if k == "parcelNumber"}
        kept = {n: children[n] for n in found.sub_waybills if n in children}
        if kept:
            print_data["childPrintInfo"] = kept
        with self._db_lock, transaction(self.db):
            if store.set_parcels(self.db, row.id, found.sub_waybills, print_data):
                summary.taken.append(row.order_no)

    def _run_provider(
        self,
        provider: Provider,
        requests: list[WaybillRequest],
        digests: dict[str, str],
        summary: Summary,
    ) -> None:
        """Requests in batches: every key of a batch is committed (one transaction)
        before its first number is asked for, and the numbers taken are committed
        together after the batch. A kill in between leaves them 'requested': looked up
        at the next run, never asked again under a new key."""
        for first in range(0, len(requests), BATCH):
            batch = requests[first : first + BATCH]
            keyed = [(r, k) for r in batch if (k := self._key(provider, r, summary)) is not None]
            if self.coordinator is not None:
                keyed = self._reserve(provider, keyed, digests, summary)
            rows = self._add_requested(provider, keyed, digests, summary)
            taken = []
            for request, key, row_id in rows:
                try:
                    found = self._take(provider, request, row_id, key, summary)
                except Exception:
                    log.exception("order %s: taking an e-waybill failed", request.order_no)
                    summary.pending[request.order_no] = "unexpected error (see the log)"
                    continue
                if found is not None:
                    taken.append((request.order_no, row_id, found))
            with self._db_lock, transaction(self.db):
                for _, row_id, found in taken:
                    store.mark_taken(self.db, row_id, found)
            summary.taken.extend(order_no for order_no, _, _ in taken)
            if self.coordinator is not None:
                self._publish([(order_no, found) for order_no, _, found in taken])

    def _key(self, provider: Provider, request: WaybillRequest, summary: Summary) -> str | None:
        try:
            return provider.key(request)
        except Refused as exc:
            self._refused(None, request.order_no, provider.name, exc, summary)
        except Unavailable as exc:
            summary.pending[request.order_no] = exc.reason
        return None

    def _add_requested(
        self,
        provider: Provider,
        keyed: list[tuple[WaybillRequest, str]],
        digests: dict[str, str],
        summary: Summary,
    ) -> list[tuple[WaybillRequest, str, int]]:
        """The requests' keys, committed before any number is asked for. The database
        refuses a second live row for an order (another bench or process got there
        first): that order is left to it."""
        rows = []
        with self._db_lock, transaction(self.db):
            for request, key in keyed:
                try:
                    row_id = store.add_requested(
                        self.db,
                        request.order_no,
                        request.attempt,
                        provider.name,
                        self._account(provider, request.carrier),
                        request.carrier,
                        request.service,
                        key,
                        digests[request.order_no],
                        note=HUB_NOTE if self.coordinator is not None else "",
                        parcels=request.parcels,
                    )
                except sqlite3.IntegrityError:
                    summary.pending[request.order_no] = "another process is taking its e-waybill"
                    continue
                rows.append((request, key, row_id))
        return rows

    # -- the warehouse hub ---------------------------------------------------------

    def _reserve(
        self,
        provider: Provider,
        keyed: list[tuple[WaybillRequest, str]],
        digests: dict[str, str],
        summary: Summary,
    ) -> list[tuple[WaybillRequest, str]]:
        """The requests this bench may take a number for, each under the key the hub
        holds for it (a reservation of ours left by a crash keeps its first key). An
        order another bench took a number for gets that number copied; one another
        bench is taking waits; without the hub nothing is taken."""
        assert self.coordinator is not None
        mine = []
        for request, key in keyed:
            try:
                with self._hub_lock:
                    shared = self.coordinator.reserve(
                        request.order_no,
                        provider.name,
                        request.carrier,
                        request.service,
                        request.attempt,
                        key,
                    )
            except CoordinatorOffline as exc:
                summary.pending[request.order_no] = f"{exc}: no e-waybill without the hub's word"
                continue
            if shared.bench == self.coordinator.bench and shared.waybill_no is None:
                mine.append((replace(request, attempt=shared.attempt), shared.key))
            elif shared.waybill_no is not None:
                self._copy(request.order_no, shared, digests[request.order_no], summary)
            else:
                summary.pending[request.order_no] = (
                    f"bench {shared.bench} is taking its e-waybill (hub)"
                )
        return mine

    def _copy(self, order_no: str, shared: Shared, digest: str, summary: Summary) -> None:
        """Another bench's number for this order, stored here as taken ahead."""
        with self._db_lock, transaction(self.db):
            if store.by_key(self.db, shared.provider, shared.key) is not None:
                return
            try:
                row_id = store.add_requested(
                    self.db,
                    order_no,
                    store.next_attempt(self.db, order_no),
                    shared.provider,
                    "",
                    shared.carrier,
                    shared.service,
                    shared.key,
                    digest,
                    note=f"{HUB_NOTE}: taken by {shared.bench}",
                )
            except sqlite3.IntegrityError:
                summary.pending[order_no] = "another process is taking its e-waybill"
                return
            store.mark_taken(self.db, row_id, shared.taken())
        summary.shared.append(order_no)

    def _publish(self, taken: list[tuple[str, Taken]]) -> None:
        """Tell the hub the numbers taken; one the hub cannot hear of now is told at the
        next pass (`sync_hub`)."""
        assert self.coordinator is not None
        for order_no, found in taken:
            try:
                with self._hub_lock:
                    self.coordinator.publish(order_no, found.provider_order_id, found)
            except CoordinatorOffline as exc:
                log.warning("e-waybill of %s not told to the hub yet: %s", order_no, exc)
                return

    def sync_hub(self) -> None:
        """Catch the hub up: release the numbers cancelled or refused here, publish the
        numbers taken while it could not hear, and drop the copies of numbers their
        bench released (it cancelled them upstream)."""
        if self.coordinator is None:
            return
        gone = [
            r.key for r in store.rows(self.db, State.CANCELLED) + store.rows(self.db, State.REFUSED)
        ]
        try:
            with self._hub_lock:
                self.coordinator.release(gone)
                waiting = self.coordinator.unpublished()
            for order_no, key in waiting:
                row = store.live(self.db, order_no)
                if row is not None and row.key == key and row.waybill_no:
                    with self._hub_lock:
                        self.coordinator.publish(order_no, key, store.as_taken(row))
            copies = [r for r in store.rows(self.db, State.TAKEN) if r.note.startswith(HUB_NOTE)]
            with self._hub_lock:
                still = self.coordinator.held([r.key for r in copies])
        except CoordinatorOffline as exc:
            log.warning("e-waybills not reconciled with the hub: %s", exc)
            return
        with transaction(self.db):
            for row in copies:
                if row.key not in still:
                    store.set_state(self.db, row.id, State.CANCELLED, "cancelled at another bench")

    def _account(self, provider: Provider, carrier: str) -> str:
        accounts = getattr(getattr(provider, "config", None), "accounts", {})
        account = accounts.get(carrier, {})
        return account.get("acct_id") or account.get("customer_name") or ""

    def _take(
        self,
        provider: Provider,
        request: WaybillRequest,
        row_id: int,
        key: str,
        summary: Summary,
        look_first: bool = False,
    ) -> Taken | None:
        """The number under `key` (looked up first after a lost answer), or None when
        it waits or was refused (the refusal already recorded)."""
        try:
            taken = provider.look_up(key, request) if look_first else None
            if taken is None:
                try:
                    taken = provider.take(request, key)
                except AlreadyExists as exc:
                    taken = provider.look_up(key, request)
                    if taken is None:
                        summary.pending[request.order_no] = (
                            f"{exc}; its number is not visible yet: looked up again next time"
                        )
        except Refused as exc:
            self._refused(row_id, request.order_no, provider.name, exc, summary)
            return None
        except Unavailable as exc:
            summary.pending[request.order_no] = exc.reason
            return None
        return taken

    def _refused(
        self, row_id: int | None, order_no: str, provider: str, exc: Refused, summary: Summary
    ) -> None:
        """The provider refused: the order is held before anyone packs it. Refused
        credentials are the station's problem, not the order's: it only waits."""
        if exc.kind is Refusal.CREDENTIALS:
            summary.pending[order_no] = str(exc)
            return
        summary.refused[order_no] = str(exc)
        log.warning("order %s: e-waybill refused by %s: %s", order_no, provider, exc)
        reason = Text.of("ewaybill_refused", provider=provider, reason=str(exc))
        with self._db_lock, transaction(self.db):
            if row_id is not None:
                store.set_state(self.db, row_id, State.REFUSED, str(exc))
            order_store.set_status(self.db, order_no, OrderStatus.HOLD, reason)

    def resume(self, summary: Summary) -> None:
        """Requested rows left by a timeout or a kill: looked up, then asked again under
        the same key only when upstream holds nothing."""
        for row in store.rows(self.db, State.REQUESTED):
            provider = self.by_name.get(row.provider)
            order = order_store.find_order(self.db, row.order_no)
            if provider is None or order is None:
                summary.pending[row.order_no] = f"provider {row.provider} not configured"
                continue
            request = request_for(
                order, row.carrier, row.service, row.attempt, self.sender, row.parcels
            )
            taken = self._take(provider, request, row.id, row.key, summary, look_first=True)
            if taken is not None:
                with transaction(self.db):
                    store.mark_taken(self.db, row.id, taken)
                summary.taken.append(row.order_no)

    # -- cancels ---------------------------------------------------------------------

    def reconcile(self) -> list[str]:
        """Queue the cancel of every live e-waybill whose order may not use it any more,
        and of every used one whose shipment was voided."""
        with transaction(self.db):
            queued = store.queue_voided(self.db)
        for row in store.rows(self.db, State.TAKEN) + store.rows(self.db, State.REQUESTED):
            order = order_store.find_order(self.db, row.order_no)
            why = ""
            if order is None:
                why = "order gone"
            elif order.status is not OrderStatus.OPEN and order.status is not OrderStatus.SHIPPED:
                why = f"order {order.status.value}"
            elif order.status is OrderStatus.SHIPPED:
                shipped = order.shipped
                if shipped is not None and shipped.tracking_no.upper() != (row.waybill_no or ""):
                    why = "order shipped under another waybill"
            elif row.address_digest and address_digest(order) != row.address_digest:
                why = "address changed"
            if why:
                with transaction(self.db):
                    store.queue_cancel(self.db, row.id, why)
                queued.append(row.order_no)
        return queued

    def run_cancels(self, base: float = 2.0, cap: float = 600.0) -> dict[str, str]:
        """Carry out the queued cancels that are due; what happened to each number."""
        done: dict[str, str] = {}
        for row in store.cancels_due(self.db, now_utc()):
            provider = self.by_name.get(row.provider)
            label = row.waybill_no or row.key
            if provider is None:
                done[label] = f"provider {row.provider} not configured: still queued"
                continue
            try:
                number = row.waybill_no
                if number is None:
                    order = order_store.find_order(self.db, row.order_no)
                    found = (
                        provider.look_up(
                            row.key,
                            request_for(
                                order,
                                row.carrier,
                                row.service,
                                row.attempt,
                                self.sender,
                                row.parcels,
                            ),
                        )
                        if order is not None
                        else None
                    )
                    number = found.waybill_no if found else None
                if number is not None:
                    provider.cancel(row.key, number, row.carrier)
            except Refused as exc:
                done[label] = self._cancel_refused(row, exc, base, cap)
                continue
            except Unavailable as exc:
                with transaction(self.db):
                    store.retry_later(
                        self.db, row.id, full_jitter(row.attempts, base, cap), f"cancel: {exc}"
                    )
                done[label] = f"will retry: {exc}"
                continue
            with transaction(self.db):
                store.set_state(self.db, row.id, State.CANCELLED, row.note)
            done[label] = "cancelled"
            self._release(row.key)
        return done

    def _release(self, key: str) -> None:
        """A cancelled number's order may be reserved again at the hub (told at the next
        pass when the hub cannot hear now)."""
        if self.coordinator is None:
            return
        try:
            with self._hub_lock:
                self.coordinator.release([key])
        except CoordinatorOffline as exc:
            log.warning("cancelled e-waybill not released at the hub yet: %s", exc)

    def _cancel_refused(self, row: store.Row, exc: Refused, base: float, cap: float) -> str:
        """Retry a refused cancel a few times (a refusal can be a passing state upstream),
        then leave it to a person."""
        why = f"cancel refused: {exc}"
        with transaction(self.db):
            if row.attempts + 1 >= CANCEL_REFUSALS:
                store.give_up_cancel(self.db, row.id, why)
            else:
                store.retry_later(self.db, row.id, full_jitter(row.attempts, base, cap), why)
        if row.attempts + 1 >= CANCEL_REFUSALS:
            log.error(
                "e-waybill %s of order %s: %s; needs a person", row.waybill_no, row.order_no, why
            )
            return f"needs a person: {why}"
        return f"will retry: {why}"

    def run_print_notices(self, base: float = 2.0, cap: float = 600.0) -> dict[str, str]:
        """Tell WeChat of the prints through its print component (order/print), each
        once; a notice that cannot be sent now waits for the next pass."""
        done: dict[str, str] = {}
        for notice in store.print_notices_due(self.db, now_utc()):
            row = notice.waybill
            label = f"{row.waybill_no} print {notice.print_no}"
            notify = getattr(self.by_name.get(row.provider), "notify_printed", None)
            if notify is None:
                done[label] = f"provider {row.provider} cannot be told: still queued"
                continue
            try:
                notify(row.key, row.waybill_no, row.carrier, notice.reprint)
            except (Unavailable, Refused) as exc:
                with transaction(self.db):
                    store.print_notice_later(
                        self.db, notice.id, full_jitter(notice.attempts, base, cap), str(exc)
                    )
                done[label] = f"will retry: {exc}"
                continue
            with transaction(self.db):
                store.print_notice_sent(self.db, notice.id)
            done[label] = "sent"
        return done

    def cancel_number(self, waybill_no: str) -> bool:
        """Queue one number's cancel; False when it is not a live e-waybill here."""
        row = store.by_number(self.db, waybill_no)
        if row is not None and row.attention:
            with transaction(self.db):
                return store.retry_cancel(self.db, row.id)
        if row is None or row.state not in (State.TAKEN, State.REQUESTED):
            return False
        with transaction(self.db):
            store.queue_cancel(self.db, row.id, "cancelled by command")
        return True

    # -- balances --------------------------------------------------------------------

    def balances(self) -> tuple[list[Balance], dict[str, str]]:
        """Every provider's balances (saved), and the providers that could not say."""
        found: list[Balance] = []
        problems: dict[str, str] = {}
        for provider in self.providers:
            try:
                found.extend(provider.balances())
            except (Unavailable, Refused) as exc:
                problems[provider.name] = str(exc)
        with transaction(self.db):
            store.save_balances(self.db, found)
        return found, problems


def low_balances(balances: Iterable[Balance], threshold: int) -> list[Balance]:
    """Accounts whose stock of numbers is below `threshold` (the supervisor is warned)."""
    return [b for b in balances if b.available is not None and b.available < threshold]

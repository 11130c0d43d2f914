"""The packing bench: turns scans and scale readings into recorded, labelled parcels.

Qt-free, so the desktop app, the tests and the benchmarks drive the very same
flow. It runs on one thread (the GUI thread in the app); the only slow work,
printing, goes to the injected `Runner`, whose callbacks come back here.

Order of work after the weight passes: claim the waybill number, record the
shipment and its upload row (one transaction), then print. A failed print
leaves the shipment recorded with its label marked not printed, and the
REPRINT command prints it when the printer is back.

A write the disk or a busy database refuses (disk full, read-only, locked past
the busy timeout) is told in plain words, never raised as a bug. A recording
refused that way is rolled back whole: the parcel stays weighed, no label is
printed, and the bench records it again by itself every `RECORD_RETRY_S` (on
the scale's next reading), at the next fresh weight after REWEIGH, or when a
pre-printed waybill is scanned.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import sqlite_utils

from printers import PrinterError, Waybill
from station.app.reprint import Reprint
from station.core.carriers import Carrier, carrier_name, looks_like_tracking
from station.core.commands import Command, is_command, parse_command
from station.core.messages import Outcome, Tone, outcome
from station.core.model import Order, OrderStatus
from station.core.permissions import Action, Role, User
from station.core.problem_texts import Shown, Text
from station.core.reading import Reading, ScaleLink
from station.core.routing import (
    Decision,
    NoActiveCarrier,
    Router,
    RulesError,
    cost_share,
    percent,
)
from station.core.session import OverrideKind, PackingSession, Phase, ScanKind
from station.core.times import local_time
from station.core.weighing import WeightGate, WeightRule
from station.hub.port import ClaimVerdict, HubPort, NoHub
from station.labels import parcels_of, printed_ewaybill, send_all, waybill_for
from station.runner import Runner, SyncRunner
from station.settings import Settings
from station.store import audit, catalogue, pool, shipments, wechat_carriers
from station.store import flags as flag_store
from station.store import orders as order_store
from station.store.db import transaction
from station.store.errors import StorageError, storage_error
from station.store.integrity import is_damage
from station.store.users import PinLocked, check_pin
from station.store.wal_watch import WalWatch
from station.waybills.port import NoWaybills, WaybillPort

log = logging.getLogger("station.bench")

T = TypeVar("T")

RECORD_RETRY_S = 3.0
"""Seconds between tries to record a parcel whose recording the disk refused."""
UNPRINTED_SHOWN = 5
"""How many order numbers the start-up notice of unprinted labels names."""


class LabelPrinter(Protocol):
    def render(self, waybill: Waybill) -> Any: ...
    def send(self, job: Any) -> Any: ...


class BenchListener(Protocol):
    def bench_changed(self) -> None: ...
    def bench_feedback(self, result: Outcome) -> None: ...
    def bench_override_requested(self, kind: OverrideKind) -> None: ...
    def bench_label_printed(self, shipment_id: int, waybill: Waybill, result: Any) -> None: ...


class _NoListener:
    def bench_changed(self) -> None:
        pass

    def bench_feedback(self, result: Outcome) -> None:
        pass

    def bench_override_requested(self, kind: OverrideKind) -> None:
        pass

    def bench_label_printed(self, shipment_id: int, waybill: Waybill, result: Any) -> None:
        pass


@dataclass(frozen=True)
class LastShipment:
    shipment_id: int
    order: Order
    carrier: str
    tracking_no: str
    weight_g: int


def clean_scan(raw: str) -> str:
    """A scan without its suffix, surrounding blanks or stray control characters."""
    return "".join(ch for ch in raw if ch.isprintable()).strip()


class Bench:
    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        printer: LabelPrinter,
        runner: Runner | None = None,
        listener: BenchListener | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        waybills: WaybillPort | None = None,
        hub: HubPort | None = None,
    ):
        self.db = db
        self.waybills: WaybillPort = waybills or NoWaybills()
        """E-waybills taken ahead (station.waybills), used before the pool."""
        self.settings = settings
        self.printer = printer
        self.runner = runner or SyncRunner()
        self.reprints = Reprint(db, settings, printer, self.runner)
        self.listener: BenchListener = listener or _NoListener()
        self.clock = clock
        self.wall = wall
        self.hub: HubPort = hub or NoHub()
        self._offline_pending: str | None = None
        """An order refused because the hub is unreachable and this bench does not
        hold it: what a supervisor's OVERRIDE would allow."""
        self.rule = _weight_rule(settings)
        self.gate = WeightGate(
            min_grams=settings["weight.min_grams"],
            max_age_s=settings["weight.max_age_seconds"],
        )
        self.station = settings["station.name"]
        self.packer = settings["station.packer"]
        self.session: PackingSession | None = None
        self.last: LastShipment | None = None
        self._unprinted_up_to = shipments.newest_id(db)
        """Shipments up to this id were recorded before this bench started: those of them
        never printed (a crash between recording and printing, a failed print) are listed
        at the start and printed by REPRINT, oldest first."""
        self.message: Outcome = self._unprinted_notice() or outcome(Tone.INFO, "ready")
        self._pending_print: tuple[LastShipment, bool] | None = None
        self._retry_at: float | None = None
        """When to try again to record the open session's parcel, after a refused write."""
        self._router: Router | None = None
        self.routed: Decision | None = None
        """Routing's decision for the open order: from the expected weight as soon as the
        order is scanned, replaced by the weighed parcel's. None before either."""
        self.carriers: dict[str, Carrier] = {}
        """The carrier catalogue, active or not, by code: names on the label, the
        screen and the buyer notice. Read again when an order starts."""
        self.active: dict[str, Carrier] = {}
        """The active carriers: the waybill patterns a stray scan is checked against."""
        self.halted: Outcome | None = None
        """Why the bench takes no more parcels (its records might not be kept), or
        None. Every scan is answered with it until the station is restarted."""
        self._wal = WalWatch(db)
        self._load_catalogue()

    def carrier_name(self, code: str) -> str:
        """A carrier's Chinese name from the catalogue; the code when it is unknown."""
        return carrier_name(code, self.carriers)

    def set_listener(self, listener: BenchListener | None) -> None:
        """Who hears about the bench's results (the window); None: nobody."""
        self.listener = listener or _NoListener()

    def use_settings(self, settings: Settings) -> None:
        """Settings saved while the bench runs (a dialog's): the weight rule and the
        scale's thresholds apply from the next order, everything else read from the
        settings at once. The signed-in packer stays."""
        self.settings = settings
        self.rule = _weight_rule(settings)
        self.gate.min_grams = settings["weight.min_grams"]
        self.gate.max_age_s = settings["weight.max_age_seconds"]
        self.station = settings["station.name"]

    # -- inputs -------------------------------------------------------------

    def scan(self, raw: str) -> Outcome:
        """One scan from any scanner, wherever it came from."""
        code = clean_scan(raw)
        if self.halted is not None or self._store_lost():
            assert self.halted is not None
            return self._tell(self.halted)
        return self._tell(self._saving(lambda: self._scanned(code)))

    def _scanned(self, code: str) -> Outcome:
        if not code:
            return outcome(Tone.WARN, "scan_empty")
        if is_command(code):
            return self._command(code)
        if self.session is None:
            return self._start(code)
        return self._in_session(self.session, code)

    def reading(self, reading: Reading) -> None:
        """A reading from the scale (delivered on the bench's thread)."""
        self.gate.observe(reading)
        result = None if self.halted is not None else self._saving(self._weigh_or_retry)
        if result is None or result == self.message:
            self.listener.bench_changed()
        else:
            self._tell(result)

    def _weigh_or_retry(self) -> Outcome | None:
        """Weigh in the weigh phase; record again a parcel whose recording failed, when due."""
        session = self.session
        if session is None:
            return None
        if session.phase is Phase.WEIGH:
            return self._try_weigh(session)
        if session.phase is Phase.WEIGHT_MISMATCH:
            return self._weighed_again(session)
        due = self._retry_at
        if session.phase is Phase.TRACKING and due is not None and self.clock() >= due:
            return self._record_again(session)
        return None

    def _saving(self, act: Callable[[], T]) -> T | Outcome:
        """Run one input. A write the disk or a busy database refused was rolled back
        whole: say so in plain words, as an error of the environment, not a bug.
        Damage or a disk I/O error stops the bench instead."""
        try:
            return act()
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and _fatal(exc) is not None:
                return self._store_failed(exc)
            refused = storage_error(exc)
            if refused is None:
                raise
            log.warning("a bench write was refused: %s", exc)
            return outcome(Tone.ERROR, f"save_{refused.problem.value}")

    def halt(self, result: Outcome) -> Outcome:
        """Take no more parcels: what the bench records might not be kept (the app
        calls this when housekeeping finds the database damaged). The open order is
        dropped unrecorded; every scan is answered with `result` until a restart."""
        return self._tell(self._stop(result))

    def _stop(self, result: Outcome) -> Outcome:
        if self.halted is None:
            log.critical("the bench stops taking parcels: %s", result.message.english())
        self.halted = result
        self.session = None
        self._pending_print = None
        return result

    def _store_lost(self) -> bool:
        """The WAL this connection writes to was deleted or replaced under it: what
        it records now would be gone at the next start. Stops the bench."""
        if self.halted is None and self._wal.lost():
            self._stop(outcome(Tone.ERROR, "store_journal_lost"))
        return self.halted is not None

    def _store_failed(self, exc: sqlite3.DatabaseError) -> Outcome:
        """A disk I/O error or damage while reading or writing stops the bench. Other
        database errors (busy, full) are not judged here: raised as they were."""
        key = _fatal(exc)
        if key is None:
            raise exc
        log.error("database error at the bench", exc_info=exc)
        return self._stop(outcome(Tone.ERROR, key))

    def scale_link(self, link: ScaleLink, detail: str = "") -> None:
        was_connected = self.gate.connected
        self.gate.link_changed(link)
        if was_connected and not self.gate.connected and self.session is not None:
            self._tell(outcome(Tone.ERROR, "scale_down"))
        else:
            self.listener.bench_changed()

    def override(self, pin: str, reason: str) -> Outcome:
        """A supervisor's PIN and reason for the pending override."""
        return self._tell(self._saving(lambda: self._override(pin, reason)))

    def _override(self, pin: str, reason: str) -> Outcome:
        session = self.session
        if session is None and self._offline_pending is not None:
            return self._override_offline(self._offline_pending, pin, reason)
        overridable = (Phase.CONFIRM, Phase.VERIFY, Phase.WEIGHT_MISMATCH)
        if session is None or session.phase not in overridable:
            return outcome(Tone.WARN, "override_nothing")
        user = self._supervisor(pin)
        if isinstance(user, Outcome):
            return user
        now = self.wall()
        if session.phase is Phase.CONFIRM:
            session.confirm_flags(now, user.name, reason)
            self._audit_override(session, user)
            result = outcome(
                Tone.OK,
                "flags_confirmed_by",
                order_no=session.order.order_no,
                supervisor=user.name,
                reason=reason,
            )
            return self._weigh_if_due(session, result)
        if session.phase is Phase.VERIFY:
            result = session.override_line(now, user.name, reason)
            self._audit_override(session, user)
            return self._weigh_if_due(session, result)
        result = session.override_weight(now, user.name, reason)
        self._audit_override(session, user)
        return self._after_weight(session) or result

    def _weigh_if_due(self, session: PackingSession, result: Outcome) -> Outcome:
        """After an override moved the session on: weigh at once if it now waits for
        the weight (the phase is read afresh, after the override changed it)."""
        if session.phase is Phase.WEIGH:
            return self._try_weigh(session) or result
        return result

    def override_pin_refusal(self, pin: str) -> Outcome | None:
        """A PIN checked as soon as it is typed, before any reason is asked for:
        the refusal (told now), or None when it is a supervisor's."""
        user = self._supervisor(pin)
        return self._tell(user) if isinstance(user, Outcome) else None

    def _supervisor(self, pin: str) -> User | Outcome:
        """The supervisor whose PIN this is, or why not."""
        try:
            user = check_pin(self.db, pin, Role.SUPERVISOR)
        except PinLocked as locked:
            until = f"{locked.until.astimezone():%H:%M}"
            return outcome(Tone.ERROR, "pin_locked", until=until)
        return outcome(Tone.ERROR, "override_denied") if user is None else user

    def _audit_override(self, session: PackingSession, user: User) -> None:
        done = session.overrides[-1]
        audit.record(
            self.db,
            Action.OVERRIDE,
            f"{session.order.order_no} {done.kind} {done.subject}",
            actor=user.name,
            role=user.role,
            reason=done.reason,
            station=self.station,
        )

    def _override_offline(self, order_no: str, pin: str, reason: str) -> Outcome:
        """A supervisor lets this bench pack, offline, an order it does not hold."""
        user = self._supervisor(pin)
        if isinstance(user, Outcome):
            return user
        audit.record(
            self.db,
            Action.OVERRIDE,
            f"{order_no} hub_offline",
            actor=user.name,
            role=user.role,
            reason=reason,
            station=self.station,
        )
        self.hub.allow_offline(order_no, user.name)
        return self._start(order_no)

    def override_cancelled(self) -> Outcome:
        """The supervisor dialog was closed without a PIN: say so, change nothing."""
        return self._tell(outcome(Tone.INFO, "override_cancelled"))

    # -- the flow -------------------------------------------------------------

    def _start(self, code: str) -> Outcome:
        self._offline_pending = None
        self._load_catalogue()
        alerts = flag_store.open_alerts(self.db)
        if alerts:
            alert = alerts[0]
            detail = Shown([(alert.detail, alert.text)])
            return outcome(Tone.ERROR, "alert_intercept", order_no=alert.order_no, detail=detail)
        order = order_store.find_order(self.db, code)
        if order is None:
            if order_store.find_product(self.db, code) is not None:
                return outcome(Tone.ERROR, "scan_is_product", code=code)
            if looks_like_tracking(code, self.active.values()):
                return outcome(Tone.ERROR, "scan_is_tracking", code=code)
            return outcome(Tone.ERROR, "order_unknown", code=code)
        refusal = _refusal(order) or self._claim(order)
        if refusal is not None:
            return refusal
        session = PackingSession(order, self.rule, started_at=self.wall())
        self.session = session
        self._router = self._load_router()
        self.routed = self._route(order, session.expected_grams or 0)
        refusal = self._not_for_wechat(order, self.routed)
        if refusal is not None:
            self.session, self.routed = None, None
            return refusal
        if session.phase is Phase.CONFIRM:
            flags = Shown(order.flag_parts)
            return outcome(Tone.WARN, "order_flagged", order_no=order.order_no, flags=flags)
        if session.phase is Phase.WEIGH:
            return self._try_weigh(session) or outcome(Tone.INFO, "weigh_waiting")
        return outcome(Tone.OK, "order_started", order_no=order.order_no)

    def _claim(self, order: Order) -> Outcome | None:
        """Claim the order at the hub (no hub: always granted); the refusal if another
        bench holds it, or if the hub is unreachable and this bench does not hold it."""
        answer = self.hub.claim(order.order_no, self.packer)
        if answer.may_pack:
            return None
        if answer.verdict is ClaimVerdict.HELD_ELSEWHERE:
            since = f"{answer.since.astimezone():%m-%d %H:%M}" if answer.since else "?"
            return outcome(
                Tone.ERROR,
                "order_claimed_elsewhere",
                order_no=order.order_no,
                bench=answer.bench,
                packer=answer.packer or "-",
                since=since,
            )
        self._offline_pending = order.order_no
        return outcome(Tone.ERROR, "hub_offline_not_held", order_no=order.order_no)

    def _in_session(self, session: PackingSession, code: str) -> Outcome:
        now = self.wall()
        if session.phase is Phase.TRACKING:
            return self._tracking_scanned(session, code)
        in_order = any(line.matches(code) for line in session.order.lines)
        if not in_order:
            other = order_store.find_order(self.db, code)
            if other is not None and other.order_no != session.order.order_no:
                busy = outcome(Tone.ERROR, "order_busy", order_no=session.order.order_no)
                return session.note_refusal(now, ScanKind.ORDER, code, busy)
        if session.phase is Phase.WEIGHT_MISMATCH:
            return session.note_refusal(
                now, ScanKind.ITEM, code, outcome(Tone.ERROR, "override_needed")
            )
        product = None if in_order else order_store.find_product(self.db, code)
        known = in_order or product is not None
        name = product.name if product is not None else ""
        result = session.scan_item(code, now, known_product=known, product_name=name)
        if result.tone is Tone.DONE:
            return self._try_weigh(session) or result
        return result

    def _weighed_again(self, session: PackingSession) -> Outcome | None:
        """After a refused weight, a fresh stable weight once the scale went back to
        zero (the parcel taken off and put back) is a re-weigh."""
        if self.gate.take(self.clock()) is None:
            return None
        session.reweigh(self.wall())
        return self._try_weigh(session)

    def _try_weigh(self, session: PackingSession) -> Outcome | None:
        """In the weigh phase: weigh with the scale's fresh stable reading, if it has one."""
        grams = self.gate.take(self.clock())
        if grams is None:
            return None if self.gate.connected else outcome(Tone.ERROR, "scale_down")
        result = session.weigh(grams, self.wall())
        if session.phase is Phase.WEIGHT_MISMATCH:
            self.gate.require_empty()
            return result
        return self._after_weight(session) or result

    def _after_weight(self, session: PackingSession) -> Outcome | None:
        """Weight accepted: pick the carrier and waybill number, then record."""
        refusal = self._assign_carrier(session)
        if refusal is not None:
            return refusal
        assert session.carrier is not None
        order_no, carrier, service = (
            session.order.order_no,
            session.carrier.code,
            session.order.service,
        )
        if self.waybills.ready(self.db, order_no, carrier, service):
            return self._record(
                session,
                from_pool=True,
                claim=lambda db: self.waybills.claim(db, order_no, carrier, service),
            )
        if pool.free_count(self.db, session.carrier.code) > 0:
            return self._record(session, from_pool=True)
        return outcome(Tone.WARN, "tracking_needed", carrier=session.carrier.name_zh)

    def _assign_carrier(self, session: PackingSession) -> Outcome | None:
        """The order's own carrier when it names an active one, else the routing rules';
        either way priced from the rate tables for the record. Routing only ever names
        an active carrier; when there is none, the refusal to show."""
        order = session.order
        assert session.weight is not None
        if self._router is None:  # no carrier was active at the last try: look again
            self._load_catalogue()
            self._router = self._load_router()
        router = self._router
        parcel = catalogue.parcel_for(self.db, order, session.weight.grams)
        try:
            decision = router.for_order(order.carrier, order.service, parcel)
        except NoActiveCarrier as exc:
            log.error("order %s cannot ship: %s", order.order_no, exc)
            self._router = None  # read the catalogue again at the next weight
            self.routed = None
            self.gate.require_fresh()
            return session.no_carrier(self.wall())
        log.info("order %s routed: %s", order.order_no, decision.explanation)
        if decision.alert:
            log.warning("order %s: %s", order.order_no, decision.alert)
        refusal = self._not_for_wechat(order, decision)
        if refusal is not None:  # the weight chose another carrier than the scan did
            self.routed = None
            self.gate.require_fresh()
            return session.no_carrier(self.wall(), refusal)
        self.routed = decision
        session.assign_carrier(
            router.carriers[decision.carrier], decision.service, decision.cost_fen
        )
        return None

    def _route(self, order: Order, grams: int) -> Decision | None:
        """What routing chooses for the order at this weight; None when no carrier can
        take it (the weighed parcel then says so)."""
        assert self._router is not None
        parcel = catalogue.parcel_for(self.db, order, grams)
        try:
            return self._router.for_order(order.carrier, order.service, parcel)
        except NoActiveCarrier:
            return None

    def _not_for_wechat(self, order: Order, decision: Decision | None) -> Outcome | None:
        """A carrier that a WeChat target uploading this order does not list: refused
        before packing (and again at the weight, before any label), since WeChat would
        refuse the upload after the parcel left."""
        if decision is None:
            return None
        code = decision.carrier
        target = wechat_carriers.refusing_target(self.db, code, order.source)
        if target is None:
            return None
        log.error(
            "order %s: carrier %s is not in %s's WeChat carrier list", order.order_no, code, target
        )
        return outcome(
            Tone.ERROR,
            "carrier_not_wechat",
            order_no=order.order_no,
            carrier=self.carrier_name(code),
            code=code,
            target=target,
        )

    def _load_catalogue(self) -> None:
        entries = catalogue.entries(self.db)
        self.carriers = {code: entry.carrier for code, entry in entries.items()}
        self.active = {code: entry.carrier for code, entry in entries.items() if entry.active}

    def _load_router(self) -> Router:
        """Rules, rates and carriers as they are when an order starts (edits apply to the
        next order). Broken rules: a router without rules (the order's own carrier, else
        the default one if active, else the cheapest active one), and an error logged."""
        folder = self.settings.path.parent if self.settings.path is not None else None
        try:
            return catalogue.load_router(self.db, folder, self.settings)
        except RulesError as exc:
            log.error("routing rules unusable: %s", exc)
            return catalogue.fallback_router(self.db, self.settings)

    def _tracking_scanned(self, session: PackingSession, code: str) -> Outcome:
        refusal = session.scan_tracking(code, self.wall())
        if refusal is not None:
            return refusal
        holder = pool.is_used(self.db, session.tracking_no)
        if holder is not None:
            used = outcome(Tone.ERROR, "tracking_used", code=code, order_no=holder)
            return session.refuse_tracking(self.wall(), code, used)
        return self._record(session, from_pool=False)

    def _record(
        self,
        session: PackingSession,
        from_pool: bool,
        claim: Callable[[sqlite_utils.Database], str | None] | None = None,
    ) -> Outcome:
        self._retry_at = None
        if self._store_lost():
            assert self.halted is not None
            return self.halted
        try:
            recorded = shipments.record_shipment(
                self.db, session, self.packer, self.station, from_pool=from_pool, claim=claim
            )
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.DatabaseError) and _fatal(exc) is not None:
                return self._store_failed(exc)
            refused = storage_error(exc)
            if refused is None:
                raise
            return self._record_refused(session, refused, exc)
        except shipments.PoolEmpty:
            assert session.carrier is not None
            return outcome(Tone.WARN, "pool_empty", carrier=session.carrier.name_zh)
        except shipments.AlreadyShipped:
            self.session = None
            fresh = order_store.find_order(self.db, session.order.order_no)
            assert fresh is not None and fresh.shipped is not None
            return _refusal(fresh) or outcome(Tone.ERROR, "order_unknown", code="")
        if self._store_lost():  # recorded into a deleted WAL: print no label for it
            log.critical("shipment %s may not be kept: not printed", recorded.shipment_id)
            assert self.halted is not None
            return self.halted
        self.gate.recorded(recorded.weight_g)
        self.session = None
        self.last = LastShipment(
            recorded.shipment_id,
            session.order,
            recorded.carrier,
            recorded.tracking_no,
            recorded.weight_g,
        )
        self._pending_print = (self.last, False)
        facts = {
            "order_no": recorded.order_no,
            "carrier": session.carrier.name_zh if session.carrier else recorded.carrier,
            "tracking_no": recorded.tracking_no,
            "grams": recorded.weight_g,
        }
        self.routed = None
        share = cost_share(session.shipping_cost_fen, session.order.order_value_fen)
        limit = self.settings["routing.cost_alert_percent"]
        if share is not None and share > limit:
            # The packer hears of it here, the supervisor in the dashboard's exceptions.
            return outcome(
                Tone.WARN,
                "recorded_cost_alert",
                share=percent(share, limit),
                limit=f"{limit:g}%",
                **facts,
            )
        if from_pool and claim is None:
            left = pool.free_count(self.db, recorded.carrier)
            if left < self.settings["pool.low_warning"]:
                return outcome(Tone.WARN, "recorded_pool_low", left=left, **facts)
        return outcome(Tone.DONE, "recorded", **facts)

    def _record_refused(
        self, session: PackingSession, refused: StorageError, exc: BaseException
    ) -> Outcome:
        """The recording was rolled back: nothing is printed, the parcel stays weighed
        and is recorded again later (see the module's docstring)."""
        log.warning("order %s not recorded: %s", session.order.order_no, exc)
        self._retry_at = self.clock() + RECORD_RETRY_S
        key = f"record_{refused.problem.value}"
        return session.record_failed(
            self.wall(), outcome(Tone.ERROR, key, order_no=session.order.order_no)
        )

    def _record_again(self, session: PackingSession) -> Outcome:
        """Try again to record a weighed parcel whose recording was refused: with the
        waybill scanned for it, else as after its weight (a pool number or a scan)."""
        self._retry_at = None
        if session.record_again():
            return self._record(session, from_pool=False)
        return self._after_weight(session) or outcome(Tone.INFO, "weigh_waiting")

    # -- printing -------------------------------------------------------------

    def _print(self, last: LastShipment, reprint: bool) -> None:
        """Print the shipment's label: for a multi-parcel e-waybill (子母单) one per
        parcel, mother first; the print counts once all are out."""
        ewaybill = printed_ewaybill(self.db, last.order.order_no, last.tracking_no)
        waybill = waybill_for(
            last.order,
            last.carrier,
            last.tracking_no,
            last.weight_g,
            self.settings,
            reprint,
            carriers=self.carriers,
            ewaybill=ewaybill,
        )
        try:
            jobs = [self.printer.render(label) for label in parcels_of(waybill, ewaybill)]
        except PrinterError as exc:
            self._print_failed(last, exc)
            return
        self.runner.submit(
            lambda: send_all(self.printer, jobs),
            lambda result: self._printed(last, waybill, result, reprint, jobs[0].kind),
            lambda exc: self._print_failed(last, exc),
        )

    def _printed(
        self, last: LastShipment, waybill: Waybill, result: Any, reprint: bool, kind: str = ""
    ) -> None:
        # When the disk refuses to note the print, the label is out all the same and the
        # shipment stays listed as not printed: that errs on the side of printing again.
        # A print through WeChat's print component queues WeChat's notice in the same
        # transaction (sent by the e-waybill worker).
        count = self._saving(
            lambda: shipments.mark_printed(self.db, last.shipment_id, kind == "wxprint")
        )
        self.listener.bench_label_printed(last.shipment_id, waybill, result)
        if reprint and isinstance(count, int):
            self._tell(outcome(Tone.OK, "reprinted", tracking_no=last.tracking_no, count=count - 1))
        else:
            self._tell(outcome(Tone.DONE, "printed", tracking_no=last.tracking_no))

    def _print_failed(self, last: LastShipment, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, PrinterError) else f"unexpected error: {exc!r}."
        if not isinstance(exc, PrinterError):
            log.error("printing shipment %s failed", last.shipment_id, exc_info=exc)
        # When the disk refuses this note too, the label simply stays "pending": it is
        # listed as not printed either way.
        self._saving(lambda: shipments.mark_print_failed(self.db, last.shipment_id, reason))
        self._tell(outcome(Tone.ERROR, "print_failed", tracking_no=last.tracking_no, reason=reason))

    # -- commands -------------------------------------------------------------

    def _command(self, code: str) -> Outcome:
        command = parse_command(code)
        session = self.session
        if command is None:
            return outcome(Tone.ERROR, "command_unknown", code=code)
        if command is Command.CONFIRM:
            return self._confirm(session)
        if command is Command.REPRINT:
            # The label of the parcel at hand first, when it failed; then those never
            # printed before this start.
            if self.last is None or self._was_printed(self.last.shipment_id):
                earlier = self._print_unprinted()
                if earlier is not None:
                    return earlier
            if self.last is None:
                return outcome(Tone.WARN, "nothing_to_reprint")
            last = self.last
            if session is not None:  # its label would go on this order's parcel
                return outcome(
                    Tone.ERROR,
                    "reprint_busy",
                    order_no=session.order.order_no,
                    last_order_no=last.order.order_no,
                )
            reprint = self._was_printed(last.shipment_id)
            if reprint and not self.reprints.packer_may(last.shipment_id, self.packer):
                return outcome(Tone.ERROR, "reprint_needs_supervisor", tracking_no=last.tracking_no)
            self._pending_print = (last, reprint)
            return outcome(Tone.INFO, "ready")
        if session is None and command is Command.OVERRIDE and self._offline_pending:
            self.listener.bench_override_requested(OverrideKind.HUB_OFFLINE)
            return outcome(Tone.WARN, "override_needed")
        if session is None:
            return outcome(Tone.WARN, "nothing_to_cancel")
        now = self.wall()
        session.note_command(now, command.value)
        if command is Command.CANCEL:
            self.session, self.routed = None, None
            self._retry_at = None
            # Putting the parcel aside must work on a full disk too: its scan events
            # are worth keeping, not worth keeping the packer stuck.
            self._saving(
                lambda: shipments.record_abandoned(self.db, session, self.packer, self.station)
            )
            self.hub.release(session.order.order_no)
            return outcome(Tone.WARN, "cancelled", order_no=session.order.order_no)
        if command is Command.HOLD:
            reason = Text.of("hold_at_bench", station=self.station, packer=self.packer)
            with transaction(self.db):
                order_store.set_status(self.db, session.order.order_no, OrderStatus.HOLD, reason)
            shipments.record_abandoned(self.db, session, self.packer, self.station)
            self.session, self.routed = None, None
            self._retry_at = None
            self.hub.release(session.order.order_no)
            return outcome(Tone.WARN, "held", order_no=session.order.order_no)
        if command is Command.REWEIGH:
            if not session.reweigh(now):
                return outcome(Tone.ERROR, "command_not_now", command=command.value)
            self._retry_at = None
            self.gate.require_fresh()
            return outcome(Tone.INFO, "weight_reweigh")
        if command is Command.OVERRIDE:
            if self._needs_supervisor(session):
                return self._ask_supervisor(session)
            kind = {
                Phase.VERIFY: OverrideKind.LINE,
                Phase.WEIGHT_MISMATCH: OverrideKind.WEIGHT,
            }.get(session.phase)
            if kind is None:
                return outcome(Tone.WARN, "override_nothing")
            self.listener.bench_override_requested(kind)
            return outcome(Tone.WARN, "override_needed")
        raise AssertionError(command)

    def _confirm(self, session: PackingSession | None) -> Outcome:
        """CONFIRM: the open order's flags, else the oldest alert nobody acknowledged."""
        now = self.wall()
        if session is not None:
            if self._needs_supervisor(session):
                return self._ask_supervisor(session)
            if not session.confirm_flags(now):
                return outcome(Tone.ERROR, "command_not_now", command=Command.CONFIRM.value)
            if session.phase is Phase.WEIGH:
                return self._try_weigh(session) or outcome(Tone.INFO, "weigh_waiting")
            return outcome(Tone.OK, "flags_confirmed", order_no=session.order.order_no)
        alerts = flag_store.open_alerts(self.db)
        if not alerts:
            return outcome(Tone.WARN, "confirm_nothing")
        flag_store.acknowledge(self.db, alerts[0].id, self.packer, self.station)
        return outcome(
            Tone.OK, "alert_acknowledged", order_no=alerts[0].order_no, packer=self.packer
        )

    def _unprinted_notice(self) -> Outcome | None:
        """At the start: the labels recorded but never printed, if any."""
        if self._unprinted_up_to is None:
            return None
        left = shipments.unprinted(self.db, self._unprinted_up_to)
        if not left:
            return None
        shown = ", ".join(row["order_no"] for row in left[:UNPRINTED_SHOWN])
        orders = shown if len(left) <= UNPRINTED_SHOWN else f"{shown}, …"
        log.warning("%d labels recorded but never printed: %s", len(left), shown)
        return outcome(Tone.WARN, "labels_unprinted", count=len(left), orders=orders)

    def _print_unprinted(self) -> Outcome | None:
        """REPRINT while labels recorded before this start are still unprinted: print
        the oldest (as a first print, not marked 补打)."""
        if self._unprinted_up_to is None:
            return None
        left = shipments.unprinted(self.db, self._unprinted_up_to)
        if not left:
            self._unprinted_up_to = None
            return None
        row = left[0]
        order = order_store.find_order(self.db, row["order_no"])
        assert order is not None, "a shipment always references its order"
        earlier = LastShipment(
            row["id"], order, row["carrier"], row["tracking_no"], row["weight_g"]
        )
        self._pending_print = (earlier, False)
        return outcome(
            Tone.INFO,
            "label_unprinted_next",
            order_no=row["order_no"],
            tracking_no=row["tracking_no"],
            left=len(left) - 1,
        )

    def _needs_supervisor(self, session: PackingSession) -> bool:
        """Flags for a word such as 部队 are a supervisor's to confirm (a setting)."""
        return (
            session.phase is Phase.CONFIRM
            and bool(session.order.check_words)
            and self.settings["address.check_words_need_supervisor"]
        )

    def _ask_supervisor(self, session: PackingSession) -> Outcome:
        self.listener.bench_override_requested(OverrideKind.FLAGS)
        words = ", ".join(dict.fromkeys(session.order.check_words))
        return outcome(
            Tone.WARN, "confirm_needs_supervisor", order_no=session.order.order_no, words=words
        )

    def _was_printed(self, shipment_id: int) -> bool:
        row = shipments.shipment_row(self.db, shipment_id)
        return bool(row and row["print_count"] > 0)

    def _tell(self, result: Outcome) -> Outcome:
        """Show one result, then start any print it asked for (so a fast printer's
        "printed" never arrives before the "recorded" it follows)."""
        self.message = result
        self.listener.bench_feedback(result)
        self.listener.bench_changed()
        pending, self._pending_print = self._pending_print, None
        if pending is not None:
            self._print(*pending)
        return result


_SQLITE_IOERR = 10


def _fatal(exc: sqlite3.DatabaseError) -> str | None:
    """The message key of an error after which the bench must stop (damage, a disk
    I/O error: what it records might not be kept), or None for one it outlives."""
    if is_damage(exc):
        return "store_damaged"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == _SQLITE_IOERR:
        return "store_io_error"
    return None


def _refusal(order: Order) -> Outcome | None:
    """Why an order must not be packed, or None when it may."""
    if order.shipped is not None or order.status is OrderStatus.SHIPPED:
        info = order.shipped
        return outcome(
            Tone.ERROR,
            "order_shipped",
            order_no=order.order_no,
            when=local_time(info.recorded_at) if info else "?",
            packer=info.packer if info else "?",
            station=info.station if info else "?",
            carrier=info.carrier if info else "?",
            tracking_no=info.tracking_no if info else "?",
        )
    reason = Shown([(order.hold_reason or "-", order.hold_text)])
    keys = {
        OrderStatus.HOLD: "order_on_hold",
        OrderStatus.CANCELLED: "order_cancelled",
        OrderStatus.REFUNDED: "order_refunded",
    }
    if order.status in keys:
        return outcome(Tone.ERROR, keys[order.status], order_no=order.order_no, reason=reason)
    return None


def _weight_rule(settings: Settings) -> WeightRule:
    return WeightRule(
        min_grams=settings["weight.min_grams"],
        tolerance_grams=settings["weight.tolerance_grams"],
        tolerance_percent=settings["weight.tolerance_percent"],
        packaging_grams=settings["weight.packaging_grams"],
    )

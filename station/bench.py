"""The packing bench: turns scans and scale readings into recorded, labelled parcels.

Qt-free, so the desktop app, the tests and the benchmarks drive the very same
flow. It runs on one thread (the GUI thread in the app); the only slow work,
printing, goes to the injected `Runner`, whose callbacks come back here.

Order of work after the weight passes: claim the waybill number, record the
shipment and its upload row (one transaction), then print. A failed print
leaves the shipment recorded with its label marked not printed, and the
REPRINT command prints it when the printer is back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import sqlite_utils

from printers import PrinterError, Waybill
from station.core.carriers import Carrier, carrier_name, looks_like_tracking
from station.core.commands import Command, is_command, parse_command
from station.core.messages import Outcome, Tone, outcome
from station.core.model import Order, OrderStatus
from station.core.problem_texts import Shown, Text
from station.core.reading import Reading, ScaleLink
from station.core.routing import NoActiveCarrier, Router, RulesError
from station.core.session import PackingSession, Phase, ScanEvent
from station.core.weighing import WeightGate, WeightRule
from station.hub.port import ClaimVerdict, HubPort, NoHub
from station.labels import waybill_for
from station.runner import Runner, SyncRunner
from station.settings import Settings
from station.store import audit, catalogue, pool, search, shipments
from station.store import flags as flag_store
from station.store import orders as order_store
from station.store.db import transaction
from station.store.users import Action, PinLocked, Role, User, check_pin

log = logging.getLogger("station.bench")


class LabelPrinter(Protocol):
    def render(self, waybill: Waybill) -> Any: ...
    def send(self, job: Any) -> Any: ...


class BenchListener(Protocol):
    def bench_changed(self) -> None: ...
    def bench_feedback(self, result: Outcome) -> None: ...
    def bench_override_requested(self, kind: str) -> None: ...
    def bench_label_printed(self, shipment_id: int, waybill: Waybill, result: Any) -> None: ...


class _NoListener:
    def bench_changed(self) -> None:
        pass

    def bench_feedback(self, result: Outcome) -> None:
        pass

    def bench_override_requested(self, kind: str) -> None:
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
        hub: HubPort | None = None,
    ):
        self.db = db
        self.settings = settings
        self.printer = printer
        self.runner = runner or SyncRunner()
        self.listener: BenchListener = listener or _NoListener()
        self.clock = clock
        self.wall = wall
        self.hub: HubPort = hub or NoHub()
        self._offline_pending: str | None = None
        """An order refused because the hub is unreachable and this bench does not
        hold it: what a supervisor's OVERRIDE would allow."""
        self.rule = WeightRule(
            min_grams=settings["weight.min_grams"],
            tolerance_grams=settings["weight.tolerance_grams"],
            tolerance_percent=settings["weight.tolerance_percent"],
            packaging_grams=settings["weight.packaging_grams"],
        )
        self.gate = WeightGate(
            min_grams=settings["weight.min_grams"],
            max_age_s=settings["weight.max_age_seconds"],
        )
        self.station = settings["station.name"]
        self.packer = settings["station.packer"]
        self.session: PackingSession | None = None
        self.last: LastShipment | None = None
        self.message: Outcome = outcome(Tone.INFO, "ready")
        self._pending_print: tuple[LastShipment, bool] | None = None
        self._router: Router | None = None
        self.carriers: dict[str, Carrier] = {}
        """The carrier catalogue, active or not, by code: names on the label, the
        screen and the buyer notice. Read again when an order starts."""
        self.active: dict[str, Carrier] = {}
        """The active carriers: the waybill patterns a stray scan is checked against."""
        self._load_catalogue()

    def carrier_name(self, code: str) -> str:
        """A carrier's Chinese name from the catalogue; the code when it is unknown."""
        return carrier_name(code, self.carriers)

    def set_listener(self, listener: BenchListener | None) -> None:
        """Who hears about the bench's results (the window); None: nobody."""
        self.listener = listener or _NoListener()

    # -- inputs -------------------------------------------------------------

    def scan(self, raw: str) -> Outcome:
        """One scan from any scanner, wherever it came from."""
        code = clean_scan(raw)
        if not code:
            result = outcome(Tone.WARN, "scan_empty")
        elif is_command(code):
            result = self._command(code)
        elif self.session is None:
            result = self._start(code)
        else:
            result = self._in_session(self.session, code)
        return self._tell(result)

    def reading(self, reading: Reading) -> None:
        """A reading from the scale (delivered on the bench's thread)."""
        self.gate.observe(reading)
        session = self.session
        result = None
        if session is not None and session.phase is Phase.WEIGH:
            result = self._try_weigh(session)
        if result is None:
            self.listener.bench_changed()
        else:
            self._tell(result)

    def scale_link(self, link: ScaleLink, detail: str = "") -> None:
        was_connected = self.gate.connected
        self.gate.link_changed(link)
        if was_connected and not self.gate.connected and self.session is not None:
            self._tell(outcome(Tone.ERROR, "scale_down"))
        else:
            self.listener.bench_changed()

    def override(self, pin: str, reason: str) -> Outcome:
        """A supervisor's PIN and reason for the pending override."""
        session = self.session
        if session is None and self._offline_pending is not None:
            return self._tell(self._override_offline(self._offline_pending, pin, reason))
        if session is None or session.phase not in (Phase.VERIFY, Phase.WEIGHT_MISMATCH):
            return self._tell(outcome(Tone.WARN, "override_nothing"))
        try:
            user = check_pin(self.db, pin, Role.SUPERVISOR)
        except PinLocked as locked:
            until = f"{locked.until.astimezone():%H:%M}"
            return self._tell(outcome(Tone.ERROR, "pin_locked", until=until))
        if user is None:
            return self._tell(outcome(Tone.ERROR, "override_denied"))
        now = self.wall()
        if session.phase is Phase.VERIFY:
            result = session.override_line(now, user.name, reason)
            self._audit_override(session, user)
            if session.phase is Phase.WEIGH:
                result = self._try_weigh(session) or result
            return self._tell(result)
        result = session.override_weight(now, user.name, reason)
        self._audit_override(session, user)
        return self._tell(self._after_weight(session) or result)

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
        try:
            user = check_pin(self.db, pin, Role.SUPERVISOR)
        except PinLocked as locked:
            return outcome(Tone.ERROR, "pin_locked", until=f"{locked.until.astimezone():%H:%M}")
        if user is None:
            return outcome(Tone.ERROR, "override_denied")
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
                return session.note_refusal(now, "order", code, busy)
        if session.phase is Phase.WEIGHT_MISMATCH:
            return session.note_refusal(now, "item", code, outcome(Tone.ERROR, "override_needed"))
        known = in_order or order_store.find_product(self.db, code) is not None
        result = session.scan_item(code, now, known_product=known)
        if result.tone is Tone.DONE:
            return self._try_weigh(session) or result
        return result

    def _try_weigh(self, session: PackingSession) -> Outcome | None:
        """In the weigh phase: weigh with the scale's fresh stable reading, if it has one."""
        grams = self.gate.take(self.clock())
        if grams is None:
            return None if self.gate.connected else outcome(Tone.ERROR, "scale_down")
        result = session.weigh(grams, self.wall())
        if session.phase is Phase.WEIGHT_MISMATCH:
            return result
        return self._after_weight(session) or result

    def _after_weight(self, session: PackingSession) -> Outcome | None:
        """Weight accepted: pick the carrier and waybill number, then record."""
        refusal = self._assign_carrier(session)
        if refusal is not None:
            return refusal
        assert session.carrier is not None
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
            self.gate.require_fresh()
            return session.no_carrier(self.wall())
        log.info("order %s routed: %s", order.order_no, decision.explanation)
        if decision.alert:
            log.warning("order %s: %s", order.order_no, decision.alert)
        session.assign_carrier(
            router.carriers[decision.carrier], decision.service, decision.cost_fen
        )
        return None

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
            session.phase = Phase.TRACKING
            used = outcome(Tone.ERROR, "tracking_used", code=code, order_no=holder)
            return session.note_refusal(self.wall(), "tracking", code, used)
        return self._record(session, from_pool=False)

    def _record(self, session: PackingSession, from_pool: bool) -> Outcome:
        try:
            recorded = shipments.record_shipment(
                self.db, session, self.packer, self.station, from_pool=from_pool
            )
        except shipments.PoolEmpty:
            assert session.carrier is not None
            return outcome(Tone.WARN, "pool_empty", carrier=session.carrier.name_zh)
        except shipments.AlreadyShipped:
            self.session = None
            fresh = order_store.find_order(self.db, session.order.order_no)
            assert fresh is not None and fresh.shipped is not None
            return _refusal(fresh) or outcome(Tone.ERROR, "order_unknown", code="")
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
        if from_pool:
            left = pool.free_count(self.db, recorded.carrier)
            if left < self.settings["pool.low_warning"]:
                return outcome(Tone.WARN, "recorded_pool_low", left=left, **facts)
        return outcome(Tone.DONE, "recorded", **facts)

    # -- printing -------------------------------------------------------------

    def _print(self, last: LastShipment, reprint: bool) -> None:
        waybill = waybill_for(
            last.order,
            last.carrier,
            last.tracking_no,
            last.weight_g,
            self.settings,
            reprint,
            carriers=self.carriers,
        )
        try:
            job = self.printer.render(waybill)
        except PrinterError as exc:
            self._print_failed(last, exc)
            return
        self.runner.submit(
            lambda: self.printer.send(job),
            lambda result: self._printed(last, waybill, result, reprint),
            lambda exc: self._print_failed(last, exc),
        )

    def _printed(self, last: LastShipment, waybill: Waybill, result: Any, reprint: bool) -> None:
        count = shipments.mark_printed(self.db, last.shipment_id)
        self.listener.bench_label_printed(last.shipment_id, waybill, result)
        if reprint:
            self._tell(outcome(Tone.OK, "reprinted", tracking_no=last.tracking_no, count=count - 1))
        else:
            self._tell(outcome(Tone.DONE, "printed", tracking_no=last.tracking_no))

    def _print_failed(self, last: LastShipment, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, PrinterError) else f"unexpected error: {exc!r}."
        if not isinstance(exc, PrinterError):
            log.error("printing shipment %s failed", last.shipment_id, exc_info=exc)
        shipments.mark_print_failed(self.db, last.shipment_id, reason)
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
            if self.last is None:
                return outcome(Tone.WARN, "nothing_to_reprint")
            last = self.last
            reprint = self._was_printed(last.shipment_id)
            if reprint and not search.allow_packer_reprint(
                self.db, last.shipment_id, self.packer, self.station
            ):
                return outcome(Tone.ERROR, "reprint_needs_supervisor", tracking_no=last.tracking_no)
            self._pending_print = (last, reprint)
            return outcome(Tone.INFO, "ready")
        if session is None and command is Command.OVERRIDE and self._offline_pending:
            self.listener.bench_override_requested("hub_offline")
            return outcome(Tone.WARN, "override_needed")
        if session is None:
            return outcome(Tone.WARN, "nothing_to_cancel")
        now = self.wall()
        session.events.append(ScanEvent(now, "command", command.value, "ok"))
        if command is Command.CANCEL:
            shipments.record_abandoned(self.db, session, self.packer, self.station)
            self.session = None
            self.hub.release(session.order.order_no)
            return outcome(Tone.WARN, "cancelled", order_no=session.order.order_no)
        if command is Command.HOLD:
            reason = Text.of("hold_at_bench", station=self.station, packer=self.packer)
            with transaction(self.db):
                order_store.set_status(self.db, session.order.order_no, OrderStatus.HOLD, reason)
            shipments.record_abandoned(self.db, session, self.packer, self.station)
            self.session = None
            self.hub.release(session.order.order_no)
            return outcome(Tone.WARN, "held", order_no=session.order.order_no)
        if command is Command.REWEIGH:
            if not session.reweigh(now):
                return outcome(Tone.ERROR, "command_not_now", command=command.value)
            self.gate.require_fresh()
            return outcome(Tone.INFO, "weight_reweigh")
        if command is Command.OVERRIDE:
            kind = {Phase.VERIFY: "line", Phase.WEIGHT_MISMATCH: "weight"}.get(session.phase)
            if kind is None:
                return outcome(Tone.WARN, "override_nothing")
            self.listener.bench_override_requested(kind)
            return outcome(Tone.WARN, "override_needed")
        raise AssertionError(command)

    def _confirm(self, session: PackingSession | None) -> Outcome:
        """CONFIRM: the open order's flags, else the oldest alert nobody acknowledged."""
        now = self.wall()
        if session is not None:
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


def _refusal(order: Order) -> Outcome | None:
    """Why an order must not be packed, or None when it may."""
    if order.shipped is not None or order.status is OrderStatus.SHIPPED:
        info = order.shipped
        return outcome(
            Tone.ERROR,
            "order_shipped",
            order_no=order.order_no,
            when=info.recorded_at if info else "?",
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

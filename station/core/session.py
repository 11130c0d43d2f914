"""The packing session: one order from its scan to a shipment ready to record.

Pure state machine, no I/O: the bench looks orders up, reads the scale and
prints; the session decides what each input means and keeps every scan event.

    VERIFY --all lines complete--> WEIGH --weight in tolerance--> TRACKING? --> READY
                                     |  ^                               ^  (pool number
                                     v  | re-weigh                      |   or scanned
                              WEIGHT_MISMATCH --supervisor override-->  |   waybill)
                                                                        |      |
                                                      recording failed  +------+

An order flagged at import (address, duplicate) starts in CONFIRM: its items are
refused until the packer scans CONFIRM, then it goes on to VERIFY.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from station.core.carriers import Carrier
from station.core.messages import Outcome, Tone, outcome
from station.core.model import Order, OrderLine
from station.core.weighing import WeightCheck, WeightRule, check_weight


class Phase(StrEnum):
    CONFIRM = "confirm"
    VERIFY = "verify"
    WEIGH = "weigh"
    WEIGHT_MISMATCH = "weight_mismatch"
    TRACKING = "tracking"
    READY = "ready"


class ScanKind(StrEnum):
    """What a scan event is about (the `kind` column of scan_events)."""

    ORDER = "order"
    ITEM = "item"
    CONFIRM = "confirm"
    OVERRIDE = "override"
    WEIGHT = "weight"
    COMMAND = "command"
    CARRIER = "carrier"
    TRACKING = "tracking"
    RECORD = "record"


class ScanResult(StrEnum):
    """How a scan event ended (the `result` column of scan_events)."""

    OK = "ok"
    REFUSED = "refused"
    MISMATCH = "mismatch"
    FAILED = "failed"


class OverrideKind(StrEnum):
    """What a supervisor's override allows (the `kind` column of overrides)."""

    LINE = "line"
    """An item not scanned."""
    WEIGHT = "weight"
    """A weight outside the tolerance."""
    FLAGS = "flags"
    """An order flagged at import (its address)."""
    HUB_OFFLINE = "hub_offline"
    """An order this bench does not hold, packed while the hub cannot be asked."""


class TrackingSource(StrEnum):
    """Where the waybill number came from (the `tracking_source` column of shipments)."""

    NONE = ""
    POOL = "pool"
    SCANNED = "scanned"


@dataclass(frozen=True, slots=True)
class ScanEvent:
    at: datetime
    kind: ScanKind
    code: str
    result: ScanResult
    detail: str = ""


@dataclass(frozen=True, slots=True)
class OverrideRecord:
    at: datetime
    kind: OverrideKind
    subject: str
    supervisor: str
    reason: str


@dataclass(frozen=True, slots=True)
class LineProgress:
    line: OrderLine
    scanned: int
    overridden: bool = False

    @property
    def complete(self) -> bool:
        return self.overridden or self.scanned >= self.line.quantity


@dataclass
class PackingSession:
    """One order being packed. Its phase, scan events, overrides and waybill change only
    through its methods: callers read them (the properties) and tell it what happened."""

    order: Order
    rule: WeightRule
    started_at: datetime
    verified_at: datetime | None = field(default=None, init=False)
    weighed_at: datetime | None = field(default=None, init=False)
    weight: WeightCheck | None = field(default=None, init=False)
    shipping_cost_fen: int | None = field(default=None, init=False)
    carrier: Carrier | None = field(default=None, init=False)
    _phase: Phase = field(default=Phase.VERIFY, init=False)
    _events: list[ScanEvent] = field(default_factory=list, init=False)
    _overrides: list[OverrideRecord] = field(default_factory=list, init=False)
    _tracking_no: str = field(default="", init=False)
    _tracking_source: TrackingSource = field(default=TrackingSource.NONE, init=False)
    _scanned: dict[int, int] = field(default_factory=dict, init=False)
    _overridden: set[int] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self._note(self.started_at, ScanKind.ORDER, self.order.order_no)
        if self.order.flags:
            self._phase = Phase.CONFIRM
        elif not self.order.lines:
            self._all_verified(self.started_at)

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def events(self) -> tuple[ScanEvent, ...]:
        return tuple(self._events)

    @property
    def overrides(self) -> tuple[OverrideRecord, ...]:
        return tuple(self._overrides)

    @property
    def tracking_no(self) -> str:
        """The parcel's waybill number: "" until one is attached (a pool number is
        attached only as the shipment is recorded)."""
        return self._tracking_no

    @property
    def tracking_source(self) -> TrackingSource:
        return self._tracking_source

    @property
    def progress(self) -> list[LineProgress]:
        return [
            LineProgress(line, self._scanned.get(line.line_no, 0), line.line_no in self._overridden)
            for line in self.order.lines
        ]

    @property
    def expected_grams(self) -> int | None:
        return self.rule.expected(self.order.items_weight_g())

    def next_incomplete_line(self) -> OrderLine | None:
        return next((p.line for p in self.progress if not p.complete), None)

    def scan_item(
        self, code: str, now: datetime, known_product: bool, product_name: str = ""
    ) -> Outcome:
        """A product code scanned while verifying. `known_product`: is it in the catalogue
        (`product_name`: its name there)."""
        if self.phase is Phase.CONFIRM:
            return self._refuse(
                now, ScanKind.ITEM, code, "confirm_needed", order_no=self.order.order_no
            )
        line = next((line for line in self.order.lines if line.matches(code)), None)
        if line is None and not known_product:
            return self._refuse(now, ScanKind.ITEM, code, "item_unknown", code=code)
        if self.phase is not Phase.VERIFY:
            return self._refuse(now, ScanKind.ITEM, code, "item_not_expected")
        if line is None:
            name = product_name or code
            return self._refuse(now, ScanKind.ITEM, code, "item_not_in_order", code=code, name=name)
        scanned = self._scanned.get(line.line_no, 0)
        if scanned >= line.quantity or line.line_no in self._overridden:
            return self._refuse(
                now, ScanKind.ITEM, code, "item_too_many", name=line.name, quantity=line.quantity
            )
        self._scanned[line.line_no] = scanned + 1
        self._note(now, ScanKind.ITEM, code, detail=line.sku)
        if all(p.complete for p in self.progress):
            self._all_verified(now)
            return outcome(Tone.DONE, "items_complete")
        return outcome(
            Tone.OK, "item_ok", name=line.name, scanned=scanned + 1, quantity=line.quantity
        )

    def confirm_flags(self, now: datetime, supervisor: str = "", reason: str = "") -> bool:
        """The order's flags confirmed: by the packer (CONFIRM scanned) or, for flags
        that need one, by a supervisor's PIN. False when none are open."""
        if self.phase is not Phase.CONFIRM:
            return False
        flags = "; ".join(self.order.flags)
        if supervisor:
            self._overrides.append(
                OverrideRecord(now, OverrideKind.FLAGS, flags, supervisor, reason)
            )
            self._note(now, ScanKind.OVERRIDE, "flags", detail=reason)
        else:
            self._note(now, ScanKind.CONFIRM, "CMD-CONFIRM", detail=flags)
        self._phase = Phase.VERIFY
        if not self.order.lines:
            self._all_verified(now)
        return True

    def override_line(self, now: datetime, supervisor: str, reason: str) -> Outcome:
        """A supervisor confirms the first incomplete line without scanning it."""
        line = self.next_incomplete_line() if self.phase is Phase.VERIFY else None
        if line is None:
            return outcome(Tone.WARN, "override_nothing")
        self._overridden.add(line.line_no)
        self._overrides.append(OverrideRecord(now, OverrideKind.LINE, line.sku, supervisor, reason))
        self._note(now, ScanKind.OVERRIDE, line.sku, detail=reason)
        if all(p.complete for p in self.progress):
            self._all_verified(now)
        return outcome(
            Tone.WARN, "override_line", sku=line.sku, supervisor=supervisor, reason=reason
        )

    def weigh(self, grams: int, now: datetime) -> Outcome:
        """A fresh stable weight arrived while weighing."""
        if self.phase is not Phase.WEIGH:
            raise RuntimeError(f"weigh() in phase {self.phase}")
        check = check_weight(self.rule, grams, self.order.items_weight_g())
        self.weight = check
        result = ScanResult.OK if check.passed else ScanResult.MISMATCH
        self._note(now, ScanKind.WEIGHT, str(grams), result)
        if not check.passed:
            self._phase = Phase.WEIGHT_MISMATCH
            return outcome(
                Tone.ERROR,
                "weight_mismatch",
                grams=grams,
                low=check.low,
                high=check.high,
                expected=check.expected,
            )
        self._weighed(now)
        if check.expected is None:
            return outcome(Tone.WARN, "weight_unchecked", grams=grams)
        return outcome(Tone.OK, "weight_ok", grams=grams, low=check.low, high=check.high)

    def reweigh(self, now: datetime) -> bool:
        if self.phase not in (Phase.WEIGHT_MISMATCH, Phase.WEIGH, Phase.TRACKING):
            return False
        self._note(now, ScanKind.COMMAND, "reweigh")
        self.weight = None
        self._phase = Phase.WEIGH
        return True

    def override_weight(self, now: datetime, supervisor: str, reason: str) -> Outcome:
        if self.phase is not Phase.WEIGHT_MISMATCH or self.weight is None:
            return outcome(Tone.WARN, "override_nothing")
        grams = self.weight.grams
        self._overrides.append(
            OverrideRecord(now, OverrideKind.WEIGHT, str(grams), supervisor, reason)
        )
        self._note(now, ScanKind.OVERRIDE, str(grams), detail=reason)
        self._weighed(now)
        return outcome(
            Tone.WARN, "override_weight", grams=grams, supervisor=supervisor, reason=reason
        )

    def assign_carrier(
        self, carrier: Carrier, service: str = "", cost_fen: int | None = None
    ) -> None:
        """Set the carrier; a routed service fills in an order that names none.
        `cost_fen` is the shipping cost from the rate tables, when known."""
        self.carrier = carrier
        self.shipping_cost_fen = cost_fen
        if service and not self.order.service:
            self.order = replace(self.order, service=service)

    def no_carrier(self, now: datetime, refusal: Outcome | None = None) -> Outcome:
        """No carrier may take the parcel (none active, or `refusal`: the bench's reason
        for the one routing chose): back to weighing, so that the parcel taken off and
        put back on the scale is routed again once the carriers are fixed."""
        self.weight = None
        self.weighed_at = None
        self._phase = Phase.WEIGH
        if refusal is not None:
            return self.note_refusal(now, ScanKind.CARRIER, "", refusal)
        return self._refuse(now, ScanKind.CARRIER, "", "no_active_carrier")

    def record_failed(self, now: datetime, out: Outcome) -> Outcome:
        """Recording was rolled back (disk full, database busy): the parcel stays weighed
        with its carrier, waiting in TRACKING to be recorded again. A pool number taken
        in the rolled-back transaction went back to the pool, so it is forgotten; a
        scanned waybill is kept for the next try. One event per run of equal failures."""
        if self.phase not in (Phase.TRACKING, Phase.READY):
            raise RuntimeError(f"record_failed() in phase {self.phase}")
        if self._tracking_source is TrackingSource.POOL:
            self._forget_tracking()
        self._phase = Phase.TRACKING
        last = self._events[-1]
        if (last.kind, last.result, last.detail) == (
            ScanKind.RECORD,
            ScanResult.FAILED,
            out.message.key,
        ):
            return out
        self._note(now, ScanKind.RECORD, self._tracking_no, ScanResult.FAILED, out.message.key)
        return out

    def record_again(self) -> bool:
        """Back to READY to record again with the waybill scanned before a failed
        recording; False when there is none (a pool number is taken again)."""
        if self._phase is not Phase.TRACKING or self._tracking_source is not TrackingSource.SCANNED:
            return False
        self._phase = Phase.READY
        return True

    def scan_tracking(self, code: str, now: datetime) -> Outcome | None:
        """A pre-printed waybill scanned. Returns a refusal, or None when accepted."""
        assert self.carrier is not None
        if self._phase not in (Phase.TRACKING, Phase.READY):
            raise RuntimeError(f"scan_tracking() in phase {self._phase}")
        if not self.carrier.accepts(code):
            return self._refuse(
                now,
                ScanKind.TRACKING,
                code,
                "tracking_invalid",
                code=code,
                carrier=self.carrier.name_zh,
            )
        self._note(now, ScanKind.TRACKING, code)
        self._tracking_no = code.upper()
        self._tracking_source = TrackingSource.SCANNED
        self._phase = Phase.READY
        return None

    def refuse_tracking(self, now: datetime, code: str, out: Outcome) -> Outcome:
        """The waybill just scanned is refused by the bench (already used by another
        shipment): it is forgotten, and the parcel waits for another one."""
        if self._phase is not Phase.READY or self._tracking_source is not TrackingSource.SCANNED:
            raise RuntimeError(f"refuse_tracking() in phase {self._phase}")
        self._forget_tracking()
        self._phase = Phase.TRACKING
        return self.note_refusal(now, ScanKind.TRACKING, code, out)

    def note_command(self, now: datetime, command: str) -> None:
        """A command scanned for this order (cancel, hold, reweigh...)."""
        self._note(now, ScanKind.COMMAND, command)

    def note_refusal(self, now: datetime, kind: ScanKind, code: str, out: Outcome) -> Outcome:
        """Record a refusal the bench decided (for example a command not allowed now)."""
        self._note(now, kind, code, ScanResult.REFUSED, out.message.key)
        return out

    def _note(
        self,
        now: datetime,
        kind: ScanKind,
        code: str,
        result: ScanResult = ScanResult.OK,
        detail: str = "",
    ) -> None:
        self._events.append(ScanEvent(now, kind, code, result, detail))

    def _forget_tracking(self) -> None:
        self._tracking_no = ""
        self._tracking_source = TrackingSource.NONE

    def _refuse(
        self, now: datetime, kind: ScanKind, scanned: str, key: str, **params: object
    ) -> Outcome:
        return self.note_refusal(now, kind, scanned, outcome(Tone.ERROR, key, **params))

    def _all_verified(self, now: datetime) -> None:
        self.verified_at = now
        self._phase = Phase.WEIGH

    def _weighed(self, now: datetime) -> None:
        self.weighed_at = now
        self._phase = Phase.TRACKING

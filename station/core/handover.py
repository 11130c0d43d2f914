"""Courier handover (交接单): the parcels a courier takes, checked scan by scan.

Pure logic: the store supplies the expected parcels and a lookup for any other
scanned number; this decides what each scan means and what is missing or
unexpected before the courier leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from station.core.messages import Outcome, Tone, outcome


@dataclass(frozen=True, slots=True)
class ShippedParcel:
    """One recorded shipment as a courier sees it."""

    tracking_no: str
    order_no: str
    carrier: str
    weight_g: int
    recorded_at: str
    station: str = ""
    packer: str = ""
    shipment_id: int | None = None
    voided: bool = False


@dataclass(frozen=True, slots=True)
class Manifest:
    """The sheet a courier signs: one carrier's parcels. The carrier's names are the
    catalogue's (empty: the sheet shows the code)."""

    carrier: str
    title: str
    station: str
    parcels: tuple[ShippedParcel, ...]
    carrier_name_zh: str = ""
    carrier_name_en: str = ""
    courier: str = ""
    """The courier's name as typed at the handover (empty: a line to write it on)."""
    shipper: str = ""
    """Who handed the parcels over (empty: a line to write it on)."""

    @property
    def count(self) -> int:
        return len(self.parcels)

    @property
    def total_weight_g(self) -> int:
        return sum(p.weight_g for p in self.parcels)


class Unexpected(StrEnum):
    """Why a parcel scanned into the bag does not belong there."""

    UNKNOWN = "unknown"
    VOIDED = "voided"
    OTHER_CARRIER = "other_carrier"
    NOT_EXPECTED = "not_expected"
    UNRECORDED = "unrecorded"
    """The warehouse hub has no shipment with this waybill number."""
    DOUBLE = "double"
    """Its order has another live shipment at the hub: one order, two parcels."""
    HANDED_OVER = "handed_over"
    """Already handed over, at this dock or another."""


class DockOffline(RuntimeError):
    """The warehouse's record of handovers (the hub) could not be asked."""


@dataclass(frozen=True, slots=True)
class DockCheck:
    """The warehouse's answer to a parcel scanned at the dock: taken into this
    handover (`why` None), or why it must not go."""

    why: Unexpected | None
    parcel: ShippedParcel | None = None
    station: str = ""
    """Where it was handed over already (HANDED_OVER)."""
    at: datetime | None = None
    """When it was handed over already (HANDED_OVER)."""
    others: tuple[str, ...] = ()
    """The other live waybill numbers of its order (DOUBLE)."""


@dataclass(frozen=True, slots=True)
class Stray:
    tracking_no: str
    why: Unexpected
    at: datetime
    parcel: ShippedParcel | None


def normalise(code: str) -> str:
    return code.strip().upper()


class Handover:
    """Parcels going into one courier's bag."""

    def __init__(
        self,
        carrier: str,
        expected: Iterable[ShippedParcel],
        started_at: datetime,
        lookup: Callable[[str], ShippedParcel | None],
    ):
        self.carrier = carrier
        self.started_at = started_at
        self.expected = {normalise(p.tracking_no): p for p in expected}
        self.scanned: dict[str, datetime] = {}
        self.strays: dict[str, Stray] = {}
        self._lookup = lookup

    @property
    def missing(self) -> list[ShippedParcel]:
        return [p for code, p in self.expected.items() if code not in self.scanned]

    @property
    def in_bag(self) -> list[ShippedParcel]:
        return [self.expected[code] for code in self.scanned]

    @property
    def complete(self) -> bool:
        """Every expected parcel in the bag and nothing else."""
        return not self.missing and not self.strays

    def scan(self, code: str, now: datetime) -> Outcome:
        tracking_no = normalise(code)
        if tracking_no in self.scanned or tracking_no in self.strays:
            return outcome(Tone.WARN, "handover_again", tracking_no=tracking_no)
        if tracking_no in self.expected:
            self.scanned[tracking_no] = now
            if not self.missing:
                return outcome(Tone.DONE, "handover_complete", expected=len(self.expected))
            return outcome(
                Tone.OK,
                "handover_ok",
                tracking_no=tracking_no,
                scanned=len(self.scanned),
                expected=len(self.expected),
            )
        parcel = self._lookup(tracking_no)
        why = _why_unexpected(parcel, self.carrier)
        self.strays[tracking_no] = Stray(tracking_no, why, now, parcel)
        params = {"tracking_no": tracking_no}
        if why is Unexpected.OTHER_CARRIER:
            assert parcel is not None
            params["carrier"] = parcel.carrier
        return outcome(Tone.ERROR, f"handover_{why.value}", **params)

    def expect(self, parcel: ShippedParcel) -> None:
        """A parcel the courier should take after all (known to belong only now)."""
        self.expected.setdefault(normalise(parcel.tracking_no), parcel)

    def refuse(self, code: str, check: DockCheck, now: datetime) -> Outcome:
        """A parcel the warehouse refused (`check.why` set): out of the bag, no longer
        expected, and named with the reason."""
        assert check.why is not None
        tracking_no = normalise(code)
        self.scanned.pop(tracking_no, None)
        self.expected.pop(tracking_no, None)
        self.strays[tracking_no] = Stray(tracking_no, check.why, now, check.parcel)
        params: dict[str, object] = {"tracking_no": tracking_no}
        if check.why is Unexpected.OTHER_CARRIER and check.parcel is not None:
            params["carrier"] = check.parcel.carrier
        elif check.why is Unexpected.DOUBLE:
            params["order_no"] = check.parcel.order_no if check.parcel else ""
            params["others"] = ", ".join(check.others)
        elif check.why is Unexpected.HANDED_OVER:
            params["station"] = check.station
            params["when"] = check.at.strftime("%Y-%m-%d %H:%M") if check.at else ""
        return outcome(Tone.ERROR, f"handover_{check.why.value}", **params)

    def seen(self, code: str) -> bool:
        """Already scanned into this bag, or already refused."""
        tracking_no = normalise(code)
        return tracking_no in self.scanned or tracking_no in self.strays

    def take_out(self, code: str) -> bool:
        """A parcel taken back out of the bag (a stray, or one scanned by mistake)."""
        tracking_no = normalise(code)
        found = self.strays.pop(tracking_no, None) or self.scanned.pop(tracking_no, None)
        return found is not None


def _why_unexpected(parcel: ShippedParcel | None, carrier: str) -> Unexpected:
    if parcel is None:
        return Unexpected.UNKNOWN
    if parcel.voided:
        return Unexpected.VOIDED
    if parcel.carrier.upper() != carrier.upper():
        return Unexpected.OTHER_CARRIER
    return Unexpected.NOT_EXPECTED

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

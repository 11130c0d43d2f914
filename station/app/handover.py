"""Handing parcels to a courier: which carrier to offer first, the parcels the
courier should take, recording the handover, and the manifest of what went into
the bag (or of a day, for `station report manifest`).

With a warehouse hub (a `DockPort`), the dock works for the whole warehouse: the
courier is expected to take every bench's parcels, and each scan is checked at the
hub, which refuses a parcel it has no record of, one whose order has a second live
parcel, and one already handed over at any dock, and records the others so that a
parcel leaves once. When the hub cannot be reached the dock says so and checks
against this station's own records, as without a hub; what went into the bag then
is told to the hub when the handover is finished, if it is back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

import sqlite_utils

from station.core.carriers import CARRIERS
from station.core.handover import (
    DockCheck,
    DockOffline,
    Handover,
    Manifest,
    ShippedParcel,
    Unexpected,
    normalise,
)
from station.core.messages import Outcome
from station.store import catalogue
from station.store import handover as store

_T = TypeVar("_T")


def _local_now() -> datetime:
    return datetime.now().astimezone()


class UnknownCarrier(ValueError):
    """No carrier of the catalogue has this code."""


RETRY_OFFLINE_S = 30.0
"""While the hub is unreachable, how long the dock goes by its own records before
asking the hub again (each try can take the hub's timeout)."""


class DockPort(Protocol):
    """The warehouse's record of parcels handed over (the hub). Every call raises
    DockOffline when the hub cannot answer."""

    def pending(self, carrier: str, since: datetime) -> list[ShippedParcel]:
        """Every bench's live parcels of a carrier since `since`, in no bag yet."""
        ...

    def catch_up(self, handed: Sequence[tuple[ShippedParcel, str]]) -> None:
        """Parcels (with their courier) this station handed over while offline."""
        ...

    def take(self, handover: str, tracking_no: str, carrier: str) -> DockCheck:
        """Check a scanned parcel and record it in the bag `handover` if it may go."""
        ...

    def give_back(self, handover: str, tracking_no: str) -> None: ...

    def finish(self, handover: str, courier: str, parcels: Sequence[ShippedParcel]) -> list[str]:
        """Sign the bag with exactly these parcels; those handed over elsewhere meanwhile."""
        ...

    def abandon(self, handover: str) -> None: ...

    def close(self) -> None: ...


def _caught_up(
    dock: DockPort, handed: Sequence[tuple[ShippedParcel, str]], carrier: str, since: datetime
) -> list[ShippedParcel]:
    """The hub told of this station's handovers finished offline, then its pending
    parcels of the carrier (those handovers' parcels no longer among them)."""
    dock.catch_up(handed)
    return dock.pending(carrier.upper(), since)


class Warehouse(StrEnum):
    """What the dock checks scans against."""

    NONE = "none"  # no hub: this station's records, as always
    ONLINE = "online"  # the hub: every bench's parcels and handovers
    OFFLINE = "offline"  # a hub that cannot be reached: this station's records for now


@dataclass(frozen=True)
class CarrierChoice:
    code: str
    name_zh: str
    active: bool
    waiting: int
    """Parcels recorded in the last days that no courier has taken yet."""


class Handovers:
    def __init__(
        self,
        db: sqlite_utils.Database,
        station: str,
        days: int = 3,
        clock: Callable[[], datetime] = _local_now,
        dock: DockPort | None = None,
    ):
        self.db = db
        self.station = station
        self.days = days
        """How many days back a parcel not yet handed over is still expected."""
        self.clock = clock
        self.dock = dock
        self.warehouse = Warehouse.NONE if dock is None else Warehouse.ONLINE
        self.clashes: list[str] = []
        """Parcels of the last finished bag that the hub had seen handed over elsewhere."""
        self._bag = ""
        """The hub's name of the bag being filled (a handover in progress)."""
        self._offline_since: datetime | None = None

    def choices(self) -> list[CarrierChoice]:
        """Every carrier of the catalogue: those whose couriers have the most parcels
        waiting first, then active ones in the usual order (SF, ZTO, YTO ...), added
        ones after."""
        waiting = store.pending_counts(self.db, self.days, self.clock())
        usual = {code: n for n, code in enumerate(CARRIERS)}
        found = [
            CarrierChoice(code, entry.carrier.name_zh, entry.active, waiting.get(code, 0))
            for code, entry in catalogue.entries(self.db).items()
        ]
        return sorted(
            found, key=lambda c: (-c.waiting, not c.active, usual.get(c.code, 99), c.code)
        )

    def start(self, carrier: str) -> Handover:
        """A handover of one carrier's pending parcels (every bench's, with a hub that
        answers); a stray scan is looked up."""
        now = self.clock()
        self._bag, self.clashes = uuid.uuid4().hex, []
        expected = None
        if self.dock is not None:
            first_day = now.date() - timedelta(days=max(self.days, 1) - 1)
            since = datetime.combine(first_day, time.min, tzinfo=now.tzinfo)
            handed = store.handed_over_since(self.db, since)
            expected = self._ask(lambda dock: _caught_up(dock, handed, carrier, since), True)
        return Handover(
            carrier.upper(),
            store.pending_parcels(self.db, carrier, self.days, now)
            if expected is None
            else expected,
            now,
            lambda code: store.find_parcel(self.db, code),
        )

    def scan(self, handover: Handover, code: str, now: datetime) -> Outcome:
        """One parcel scanned into the bag: checked at the hub when there is one and it
        answers, else against this station's records."""
        if self.dock is None or handover.seen(code):
            return handover.scan(code, now)
        tracking_no = normalise(code)
        check = self._ask(lambda dock: dock.take(self._bag, tracking_no, handover.carrier))
        if check is None:  # offline: the hub is told of the bag at the finish
            return handover.scan(tracking_no, now)
        if check.why is Unexpected.UNRECORDED:
            local = store.find_parcel(self.db, tracking_no)
            if local is not None and not local.voided and local.station == self.station:
                # Recorded here a moment ago, not pushed to the hub yet: this station's
                # records vouch for it, and the hub is told at the finish.
                handover.expect(local)
                return handover.scan(tracking_no, now)
        if check.why is not None:
            return handover.refuse(tracking_no, check, now)
        if check.parcel is not None:
            handover.expect(check.parcel)  # older than the days shown, or pushed since the start
        return handover.scan(tracking_no, now)

    def take_out(self, handover: Handover, code: str) -> bool:
        """A parcel taken back out of the bag (given back at the hub too)."""
        taken = handover.take_out(code)
        if taken and self.dock is not None:
            self._ask(lambda dock: dock.give_back(self._bag, normalise(code)))
        return taken

    def finish(self, handover: Handover, signed_by: str, courier: str) -> int:
        """Record the handover as it stands, with every item; returns its id. With a
        hub, the bag is signed there too (`clashes`: parcels it had seen go elsewhere)."""
        handover_id = store.save(self.db, handover, self.station, signed_by, courier.strip())
        if self.dock is not None:
            bag = handover.in_bag
            clashes = self._ask(lambda dock: dock.finish(self._bag, courier.strip(), bag), True)
            self.clashes = clashes or []
        return handover_id

    def abandon(self) -> None:
        """The dock closed without finishing: the bag's parcels may go in another."""
        if self.dock is not None and self._bag:
            self._ask(lambda dock: dock.abandon(self._bag))

    def close(self) -> None:
        if self.dock is not None:
            self.dock.close()

    def _ask(self, question: Callable[[DockPort], _T], force: bool = False) -> _T | None:
        """The hub's answer, or None when it cannot be reached (the dock then goes by
        its own records). Offline, the hub is asked again after RETRY_OFFLINE_S, or
        when `force`d (a start, a finish)."""
        assert self.dock is not None
        now = self.clock()
        if (
            not force
            and self._offline_since is not None
            and (now - self._offline_since).total_seconds() < RETRY_OFFLINE_S
        ):
            return None
        try:
            answer = question(self.dock)
        except DockOffline:
            self.warehouse, self._offline_since = Warehouse.OFFLINE, now
            return None
        self.warehouse, self._offline_since = Warehouse.ONLINE, None
        return answer

    def manifest(self, handover: Handover, courier: str = "", shipper: str = "") -> Manifest:
        """What actually went into the bag, with who took and who gave it."""
        return store.manifest_for_handover(
            self.db, handover, self.station, courier=courier.strip(), shipper=shipper
        )

    def day_manifest(self, carrier: str, day: date | None = None, station: str = "") -> Manifest:
        """One carrier's live parcels of a day (today by default), of one station or all;
        UnknownCarrier when the catalogue has no such carrier."""
        known = catalogue.carriers(self.db, active_only=False)
        if carrier.upper() not in known:
            raise UnknownCarrier(f"unknown carrier {carrier!r}: give one of {', '.join(known)}")
        return store.manifest_for_day(self.db, carrier, day or self.clock().date(), station)

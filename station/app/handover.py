"""Handing parcels to a courier: which carrier to offer first, the parcels the
courier should take, recording the handover, and the manifest of what went into
the bag (or of a day, for `station report manifest`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from station.core.carriers import CARRIERS
from station.core.handover import Handover, Manifest
from station.store import catalogue
from station.store import handover as store


def _local_now() -> datetime:
    return datetime.now().astimezone()


class UnknownCarrier(ValueError):
    """No carrier of the catalogue has this code."""


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
    ):
        self.db = db
        self.station = station
        self.days = days
        """How many days back a parcel not yet handed over is still expected."""
        self.clock = clock

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
        """A handover of one carrier's pending parcels; a stray scan is looked up."""
        now = self.clock()
        return Handover(
            carrier.upper(),
            store.pending_parcels(self.db, carrier, self.days, now),
            now,
            lambda code: store.find_parcel(self.db, code),
        )

    def finish(self, handover: Handover, signed_by: str, courier: str) -> int:
        """Record the handover as it stands, with every item; returns its id."""
        return store.save(self.db, handover, self.station, signed_by, courier.strip())

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

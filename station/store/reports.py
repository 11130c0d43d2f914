"""Figures for the dashboard and the throughput report, per station and per packer.

Every query is a range query on an indexed timestamp, so "today" costs what
today's parcels cost, whatever the size of the database. Timestamps are UTC;
a period is given in local days and turned into UTC bounds.

Definitions:
- a parcel is a live (not voided) shipment recorded in the period; rates are
  per shipment recorded (voided ones included);
- parcels per hour: parcels divided by the clock hours in which any was recorded;
- cycle time: from the order scan (started_at) to the first printed label;
- wrong item scans: scan_events kind 'item' refused as not in the order, unknown or
  one too many (not an item scanned before the order's warnings were confirmed, nor
  one while weighing); weight mismatches: kind 'weight' result 'mismatch' (both
  counted by when they happened);
- reprints: print_count - 1 for each shipment that was printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from station.core.upload_states import OutboxState
from station.store.db import iso

_SHIPMENTS = """
SELECT s.station, s.packer, s.carrier, substr(s.recorded_at, 1, 13), s.voided_at IS NOT NULL,
       s.print_count, (julianday(s.printed_at) - julianday(s.started_at)) * 86400.0,
       s.weight_g, o.order_value_fen, s.shipping_cost_fen
FROM shipments s JOIN orders o ON o.order_no = s.order_no
WHERE s.recorded_at >= ? AND s.recorded_at < ?
"""
_EXCEPTIONS = """
SELECT station, packer, kind, result, detail, count(*) FROM scan_events
WHERE result IN ('refused', 'mismatch') AND at >= ? AND at < ?
GROUP BY station, packer, kind, result, detail
"""
WRONG_ITEM_KEYS = frozenset({"item_not_in_order", "item_unknown", "item_too_many"})
"""The refusals of an item scan (their message keys) that count as a wrong item."""
_OVERRIDES = """
SELECT o.station, COALESCE(s.packer, ''), count(*)
FROM overrides o LEFT JOIN shipments s ON s.id = o.shipment_id
WHERE o.at >= ? AND o.at < ?
GROUP BY 1, 2
"""


@dataclass(frozen=True)
class Period:
    """From the start of one local day to the end of another (end exclusive)."""

    start: datetime
    end: datetime

    @classmethod
    def days(cls, first: date, last: date | None = None) -> Period:
        last = first if last is None else last
        start = datetime.combine(first, time.min).astimezone()
        end = datetime.combine(last + timedelta(days=1), time.min).astimezone()
        return cls(start, end)

    @classmethod
    def today(cls, now: datetime | None = None) -> Period:
        return cls.days((now or datetime.now().astimezone()).date())

    def bounds(self) -> tuple[str, str]:
        """The period as UTC text bounds, comparable with the stored timestamps."""
        return iso(self.start), iso(self.end)

    def hours(self) -> list[datetime]:
        """Start of every hour in the period, local time."""
        first = self.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        count = int((self.end - first).total_seconds() // 3600)
        return [(first + timedelta(hours=n)).astimezone() for n in range(count)]


@dataclass(frozen=True)
class Figures:
    """The figures of one station, one packer, or everyone."""

    name: str
    parcels: int = 0
    voids: int = 0
    reprints: int = 0
    wrong_items: int = 0
    weight_mismatches: int = 0
    overrides: int = 0
    active_hours: int = 0
    cycle_p50_s: float | None = None
    cycle_p95_s: float | None = None

    @property
    def recorded(self) -> int:
        return self.parcels + self.voids

    @property
    def parcels_per_hour(self) -> float:
        return self.parcels / self.active_hours if self.active_hours else 0.0

    def rate(self, count: int) -> float:
        """A count per shipment recorded (0 when none was)."""
        return count / self.recorded if self.recorded else 0.0


@dataclass(frozen=True)
class CarrierFigures:
    carrier: str
    parcels: int
    weight_g: int
    order_value_fen: int
    shipping_cost_fen: int
    priced: int
    """How many of the parcels have a known shipping cost."""
    priced_value_fen: int
    """The order value of those parcels."""

    @property
    def cost_share(self) -> float | None:
        """Shipping cost as a share of the order value, over the priced parcels."""
        return self.shipping_cost_fen / self.priced_value_fen if self.priced_value_fen else None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    total: Figures
    stations: list[Figures]
    packers: list[Figures]
    hourly: list[tuple[datetime, int]]
    carriers: list[CarrierFigures]
    outbox: dict[str, int]


@dataclass
class _Tally:
    parcels: int = 0
    voids: int = 0
    reprints: int = 0
    wrong_items: int = 0
    weight_mismatches: int = 0
    overrides: int = 0
    hours: set[str] = field(default_factory=set)
    cycles: list[float] = field(default_factory=list)

    def shipment(self, hour: str, voided: bool, print_count: int, cycle: float | None) -> None:
        if voided:
            self.voids += 1
            return
        self.parcels += 1
        self.hours.add(hour)
        self.reprints += max(print_count - 1, 0)
        if cycle is not None:
            self.cycles.append(cycle)

    def freeze(self, name: str) -> Figures:
        cycles = sorted(self.cycles)
        return Figures(
            name=name,
            parcels=self.parcels,
            voids=self.voids,
            reprints=self.reprints,
            wrong_items=self.wrong_items,
            weight_mismatches=self.weight_mismatches,
            overrides=self.overrides,
            active_hours=len(self.hours),
            cycle_p50_s=percentile(cycles, 50),
            cycle_p95_s=percentile(cycles, 95),
        )


def percentile(ordered: list[float], pct: float) -> float | None:
    """The pct-th percentile (0-100) of sorted values by nearest rank; None when empty."""
    if not ordered:
        return None
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def dashboard(db: sqlite_utils.Database, period: Period) -> Dashboard:
    start, end = period.bounds()
    total = _Tally()
    stations: dict[str, _Tally] = {}
    packers: dict[str, _Tally] = {}
    per_hour: dict[str, int] = {}
    carriers: dict[str, list[int]] = {}
    for station, packer, carrier, hour, voided, prints, cycle, grams, value, cost in db.execute(
        _SHIPMENTS, (start, end)
    ):
        for tally in (total, _get(stations, station), _get(packers, packer)):
            tally.shipment(hour, voided, prints, cycle)
        if not voided:
            per_hour[hour] = per_hour.get(hour, 0) + 1
            mix = carriers.setdefault(carrier, [0, 0, 0, 0, 0, 0])
            mix[0] += 1
            mix[1] += grams
            mix[2] += value
            if cost is not None:
                mix[3] += cost
                mix[4] += 1
                mix[5] += value
    for station, packer, kind, result, detail, count in db.execute(_EXCEPTIONS, (start, end)):
        for tally in (total, _get(stations, station), _get(packers, packer)):
            if (kind, result) == ("item", "refused") and detail in WRONG_ITEM_KEYS:
                tally.wrong_items += count
            elif (kind, result) == ("weight", "mismatch"):
                tally.weight_mismatches += count
    for station, packer, count in db.execute(_OVERRIDES, (start, end)):
        for tally in (total, _get(stations, station), _get(packers, packer)):
            tally.overrides += count
    return Dashboard(
        period=period,
        total=total.freeze(""),
        stations=_frozen(stations),
        packers=_frozen(packers),
        hourly=[(moment, per_hour.get(_hour_key(moment), 0)) for moment in period.hours()],
        carriers=sorted(
            (CarrierFigures(code, *mix) for code, mix in carriers.items()),
            key=lambda c: (-c.parcels, c.carrier),
        ),
        outbox=outbox_states(db, period),
    )


def outbox_states(db: sqlite_utils.Database, period: Period) -> dict[str, int]:
    """The upload queue: rows waiting and needing attention now, and rows of the period
    already done (all done rows would mean counting the whole history)."""
    start, end = period.bounds()
    count = "SELECT count(*) FROM outbox WHERE state = ?"
    return {
        "queued": db.execute(count, [OutboxState.QUEUED]).fetchone()[0],
        "attention": db.execute(count, [OutboxState.ATTENTION]).fetchone()[0],
        "done": db.execute(
            count + " AND created_at >= ? AND created_at < ?", [OutboxState.DONE, start, end]
        ).fetchone()[0],
    }


def _get(tallies: dict[str, _Tally], name: str) -> _Tally:
    tally = tallies.get(name)
    if tally is None:
        tally = tallies[name] = _Tally()
    return tally


def _frozen(tallies: dict[str, _Tally]) -> list[Figures]:
    return [tallies[name].freeze(name) for name in sorted(tallies)]


def _hour_key(moment: datetime) -> str:
    """The UTC hour as stored timestamps begin: '2026-11-21T09'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")

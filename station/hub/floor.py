"""The warehouse floor as the hub sees it: every bench's state, and the period's
parcels per hour, per packer and per carrier.

Counts come from `shipment_hours`, the hourly roll-up kept by triggers as
shipments arrive, so a refresh reads a few thousand rows for a day however many
millions of shipments the hub holds; a bench's state is its last heartbeat. Ages
are measured on the hub's clock, so a bench with a wrong clock is judged fairly.

Definitions, as at the bench (station.store.reports): a parcel is a live shipment;
parcels per hour divides parcels by the clock hours in which any was recorded;
"this hour" is the current clock hour.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import psycopg

from station.core.handover import Manifest, ShippedParcel
from station.store.db import iso

OFFLINE_AFTER = timedelta(seconds=30)
"""A bench not heard from for this long is offline (it beats every 5 s)."""


class Presence(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(frozen=True)
class BenchState:
    bench: str
    presence: Presence
    last_seen: datetime | None
    """None: the bench pushed shipments but never sent a heartbeat."""
    packer: str
    queue_depth: int
    parcels: int
    """Live parcels recorded at the bench in the report's period."""
    parcels_this_hour: int
    cycle_p50_s: float | None
    exceptions: int


@dataclass(frozen=True)
class Rate:
    """Parcels of one packer, one carrier or the whole floor over a period."""

    name: str
    parcels: int
    active_hours: int
    weight_g: int = 0
    voids: int = 0

    @property
    def parcels_per_hour(self) -> float:
        return self.parcels / self.active_hours if self.active_hours else 0.0


@dataclass(frozen=True)
class FloorReport:
    start: datetime
    end: datetime
    taken_at: datetime
    """The hub's clock when the figures were read."""
    benches: list[BenchState]
    total: Rate
    hourly: list[tuple[datetime, int]]
    """Every hour of the period (local time) with its parcels."""
    packers: list[Rate]
    carriers: list[Rate]

    @property
    def online(self) -> int:
        return sum(b.presence is Presence.ONLINE for b in self.benches)

    @property
    def parcels_this_hour(self) -> int:
        return sum(b.parcels_this_hour for b in self.benches)


_BENCHES = """
WITH this_hour AS (
    SELECT bench, sum(parcels) AS parcels FROM shipment_hours
    WHERE hour = date_trunc('hour', now(), 'UTC') GROUP BY bench
)
SELECT COALESCE(b.bench, t.bench), b.last_seen,
       COALESCE(now() - b.last_seen <= %s, false), COALESCE(b.packer, ''),
       COALESCE(b.queue_depth, 0), COALESCE(t.parcels, 0), b.cycle_p50_s,
       COALESCE(b.exceptions, 0)
FROM bench_heartbeats b FULL JOIN this_hour t ON t.bench = b.bench
ORDER BY 1
"""

# One pass over the period's roll-up rows: per hour; per packer and hour (its
# active hours); per carrier and hour; per bench.
_PERIOD = """
SELECT GROUPING(bench, packer, carrier), hour, bench, packer, carrier,
       sum(parcels), sum(voids), sum(weight_g)
FROM shipment_hours
WHERE hour >= %s AND hour < %s
GROUP BY GROUPING SETS ((hour), (packer, hour), (carrier, hour), (bench))
"""
# GROUPING(bench, packer, carrier): a bit set for each column left out of the set.
_BY_HOUR, _BY_CARRIER, _BY_PACKER, _BY_BENCH = 7, 6, 5, 3


def floor_report(
    conn: psycopg.Connection,
    start: datetime,
    end: datetime,
    hours: list[datetime],
    offline_after: timedelta = OFFLINE_AFTER,
) -> FloorReport:
    """The floor from `start` to `end` (end exclusive, aware datetimes); `hours`: the
    period's hour starts, in the order the chart shows them."""
    with conn.transaction():
        taken = conn.execute("SELECT now()").fetchone()
        states = conn.execute(_BENCHES, [offline_after]).fetchall()
        rows = conn.execute(_PERIOD, [start, end]).fetchall()
    assert taken is not None
    per_hour: dict[datetime, int] = defaultdict(int)
    per_bench: dict[str, int] = {}
    voids = weight = 0
    grouped: dict[int, dict[str, list[tuple[int, int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for grouping, hour, bench, packer, carrier, parcels, voided, grams in rows:
        if grouping == _BY_HOUR:
            per_hour[hour] += int(parcels)
            voids += int(voided)
            weight += int(grams)
        elif grouping == _BY_BENCH:
            per_bench[bench] = int(parcels)
        else:
            name = packer if grouping == _BY_PACKER else carrier
            grouped[grouping][name].append((int(parcels), int(voided), int(grams)))
    benches = [_bench(row, per_bench) for row in states]
    heard = {b.bench for b in benches}
    benches += [
        _silent(bench, parcels) for bench, parcels in per_bench.items() if bench not in heard
    ]
    total = Rate(
        "",
        sum(per_hour.values()),
        sum(1 for count in per_hour.values() if count),
        weight,
        voids,
    )
    return FloorReport(
        start=start,
        end=end,
        taken_at=taken[0],
        benches=sorted(benches, key=lambda b: b.bench),
        total=total,
        hourly=[(moment, per_hour.get(moment, 0)) for moment in hours],
        packers=_rates(grouped[_BY_PACKER]),
        carriers=_rates(grouped[_BY_CARRIER]),
    )


def _bench(row: tuple[Any, ...], per_bench: dict[str, int]) -> BenchState:
    bench, last_seen, fresh, packer, queue, this_hour, cycle, exceptions = row
    return BenchState(
        bench=bench,
        presence=Presence.ONLINE if fresh else Presence.OFFLINE,
        last_seen=last_seen,
        packer=packer,
        queue_depth=int(queue),
        parcels=per_bench.get(bench, 0),
        parcels_this_hour=int(this_hour),
        cycle_p50_s=None if cycle is None else float(cycle),
        exceptions=int(exceptions),
    )


def _silent(bench: str, parcels: int) -> BenchState:
    """A bench that shipped in the period but never sent a heartbeat."""
    return BenchState(bench, Presence.OFFLINE, None, "", 0, parcels, 0, None, 0)


def _rates(by_name: dict[str, list[tuple[int, int, int]]]) -> list[Rate]:
    """Most parcels first; a name with only voids in the period is left out."""
    rates = [
        Rate(
            name,
            sum(p for p, _, _ in hours),
            sum(1 for p, _, _ in hours if p),
            sum(g for _, _, g in hours),
            sum(v for _, v, _ in hours),
        )
        for name, hours in by_name.items()
    ]
    return sorted((r for r in rates if r.parcels), key=lambda r: (-r.parcels, r.name))


def manifest(conn: psycopg.Connection, carrier: str, start: datetime, end: datetime) -> Manifest:
    """One carrier's live parcels recorded in the period at every bench, oldest first."""
    code = carrier.strip().upper()
    rows = conn.execute(
        """SELECT tracking_no, order_no, carrier, weight_g, recorded_at, bench, packer
           FROM shipments
           WHERE recorded_at >= %s AND recorded_at < %s AND carrier = %s
             AND voided_at IS NULL
           ORDER BY recorded_at, id""",
        [start, end, code],
    ).fetchall()
    parcels = tuple(
        ShippedParcel(tracking, order_no, code_, grams, iso(at), bench, packer)
        for tracking, order_no, code_, grams, at, bench, packer in rows
    )
    benches = ", ".join(sorted({p.station for p in parcels}))
    return Manifest(code, f"{start:%Y-%m-%d}", benches, parcels)

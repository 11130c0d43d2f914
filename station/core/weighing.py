"""The weight gate: which scale reading may be recorded for a parcel, and is it right.

Two rules keep parcels from leaving at 0 g or with the previous parcel's weight:
a reading only counts when it is stable, at least `min_grams`, recent, and
*fresh*: after a parcel is recorded (or a re-weigh is asked for) the scale must
first pass through near-zero or change by more than `fresh_delta_grams`. After
a weight was refused, only near-zero counts: the parcel taken off and put back
is a re-weigh, the same parcel nudged or wobbling is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from station.core.reading import Reading, ScaleLink, WeightState


@dataclass(frozen=True, slots=True)
class WeightRule:
    min_grams: int = 20
    tolerance_grams: int = 50
    tolerance_percent: float = 5.0
    packaging_grams: int = 60

    def expected(self, items_grams: int | None) -> int | None:
        return None if items_grams is None else items_grams + self.packaging_grams

    def bounds(self, expected: int) -> tuple[int, int]:
        """Inclusive acceptable range around an expected weight."""
        slack = max(self.tolerance_grams, math.ceil(expected * self.tolerance_percent / 100))
        return max(self.min_grams, expected - slack), expected + slack


@dataclass(frozen=True, slots=True)
class WeightCheck:
    grams: int
    expected: int | None
    low: int | None
    high: int | None

    @property
    def passed(self) -> bool:
        return self.expected is None or self.low <= self.grams <= self.high  # type: ignore[operator]


def check_weight(rule: WeightRule, grams: int, items_grams: int | None) -> WeightCheck:
    expected = rule.expected(items_grams)
    if expected is None:
        return WeightCheck(grams, None, None, None)
    low, high = rule.bounds(expected)
    return WeightCheck(grams, expected, low, high)


class WeightGate:
    """Tracks the scale's readings and hands out only fresh, stable, recent weights."""

    def __init__(self, min_grams: int = 20, fresh_delta_grams: int = 10, max_age_s: float = 3.0):
        self.min_grams = min_grams
        self.fresh_delta_grams = fresh_delta_grams
        self.max_age_s = max_age_s
        self.link = ScaleLink.CONNECTING
        self.latest: Reading | None = None
        self._last_recorded: int | None = None
        self._armed = True
        self._empty_needed = False

    @property
    def connected(self) -> bool:
        return self.link is ScaleLink.CONNECTED

    def observe(self, reading: Reading) -> None:
        self.latest = reading
        self.link = ScaleLink.CONNECTED
        grams = reading.whole_grams
        if grams is None or reading.state is not WeightState.OK:
            return
        if grams < self.min_grams:
            self._armed = True
            self._empty_needed = False
        elif (
            not self._empty_needed
            and self._last_recorded is not None
            and abs(grams - self._last_recorded) > self.fresh_delta_grams
        ):
            self._armed = True

    def link_changed(self, link: ScaleLink) -> None:
        self.link = link
        if link is not ScaleLink.CONNECTED:
            self.latest = None

    def take(self, now: float) -> int | None:
        """The weight to record now, or None if there is no fresh stable reading."""
        reading = self.latest
        if not (self._armed and self.connected and reading is not None):
            return None
        if not reading.stable or reading.state is not WeightState.OK:
            return None
        if now - reading.at > self.max_age_s:
            return None
        grams = reading.whole_grams
        if grams is None or grams < self.min_grams:
            return None
        return grams

    def recorded(self, grams: int) -> None:
        """A parcel was recorded at this weight: the next one must be a fresh reading."""
        self._last_recorded = grams
        self._armed = False

    def require_fresh(self) -> None:
        """Re-weigh: ignore the current reading until the scale changes or empties."""
        if self.latest is not None and self.latest.whole_grams is not None:
            self._last_recorded = self.latest.whole_grams
        self._armed = False
        self._empty_needed = False

    def require_empty(self) -> None:
        """A weight was refused: the next one counts after the scale went back to near
        zero (the parcel taken off and put back), not before."""
        self._armed = False
        self._empty_needed = True

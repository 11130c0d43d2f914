"""Stability for scales that do not say whether the weight has settled.

A weight counts as stable once at least `count` consecutive readings, spread over
at least `duration` seconds, all lie within `band` grams of each other. Any
reading without a weight (overload, motion status) starts the count again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from decimal import Decimal

from station.core.reading import Reading, WeightState


@dataclass(frozen=True, slots=True)
class StabilityRule:
    count: int = 5
    band: Decimal = Decimal(2)
    duration: float = 0.3


class StabilityFilter:
    """Marks each reading stable or not, by `rule`, from the readings before it."""

    def __init__(self, rule: StabilityRule | None = None) -> None:
        self.rule = rule or StabilityRule()
        self._run: deque[Reading] = deque()

    def apply(self, reading: Reading) -> Reading:
        """`reading` with `stable` inferred."""
        if reading.grams is None or reading.state is not WeightState.OK:
            self._run.clear()
            return replace(reading, stable=False)
        self._run.append(reading)
        while not self._within_band():
            self._run.popleft()
        while len(self._run) > self.rule.count and self._spans(self._run[1]):
            self._run.popleft()
        settled = len(self._run) >= self.rule.count and self._spans(self._run[0])
        return replace(reading, stable=settled)

    def _within_band(self) -> bool:
        weights = [r.grams for r in self._run if r.grams is not None]
        return max(weights) - min(weights) <= self.rule.band

    def _spans(self, first: Reading) -> bool:
        """Whether the readings from `first` to the newest cover the rule's duration."""
        return self._run[-1].at - first.at >= self.rule.duration

    def reset(self) -> None:
        self._run.clear()

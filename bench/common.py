"""Shared pieces of the benchmarks: timing, percentiles and the result record."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure, with the issue's target for comparison."""

    issue: int
    name: str
    value: float
    unit: str
    target: str

    def row(self) -> str:
        return f"| #{self.issue} | {self.name} | {self.value:,.3f} {self.unit} | {self.target} |"


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (0-100) by nearest rank."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 5) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls of fn, after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95_ms(samples: list[float]) -> float:
    return percentile(samples, 95)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples)

"""Support for the scale tests (no tests here): a callback recorder, a driver+simulator pair."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from station.core.reading import Reading, ScaleLink
from station.devices.scale import ScaleDriver, ScaleSimulator, StabilityRule, get_protocol

WAIT = 5.0
FAST_RULE = StabilityRule(count=3, band=Decimal(2), duration=0.05)


class Recorder:
    """Collects what a driver reports and lets a test wait for a condition."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.readings: list[Reading] = []
        self.links: list[tuple[ScaleLink, str]] = []

    def on_reading(self, reading: Reading) -> None:
        with self._cond:
            self.readings.append(reading)
            self._cond.notify_all()

    def on_link(self, link: ScaleLink, message: str) -> None:
        with self._cond:
            self.links.append((link, message))
            self._cond.notify_all()

    def mark(self) -> int:
        with self._cond:
            return len(self.readings)

    def wait_reading(
        self, predicate: Callable[[Reading], bool], after: int = 0, timeout: float = WAIT
    ) -> Reading:
        def found() -> Reading | None:
            return next((r for r in self.readings[after:] if predicate(r)), None)

        with self._cond:
            reading = self._cond.wait_for(found, timeout)
        assert reading is not None, f"no such reading; last: {self.readings[-3:]}"
        return reading

    def wait_count(self, count: int, after: int, timeout: float = WAIT) -> list[Reading]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.readings) - after >= count, timeout)
            got = self.readings[after : after + count]
        assert len(got) == count, f"only {len(got)} readings"
        return got

    def wait_link(self, link: ScaleLink, timeout: float = WAIT) -> str:
        with self._cond:
            ok = self._cond.wait_for(
                lambda: bool(self.links) and self.links[-1][0] is link, timeout
            )
            assert ok, f"link never became {link}: {self.links}"
            return self.links[-1][1]


@contextmanager
def bench_scale(
    name: str, grams: Decimal | int = 1234, **driver_options: object
) -> Iterator[tuple[ScaleSimulator, ScaleDriver, Recorder]]:
    """A simulator speaking `name` and a driver reading it, both torn down after."""
    recorder = Recorder()
    options = {
        "silence_timeout": 0.4,
        "poll_interval": 0.02,
        "backoff": (0.02, 0.2),
        "stability": FAST_RULE,
        **driver_options,
    }
    with ScaleSimulator(name, grams, rate=50) as sim:
        driver = ScaleDriver(
            sim.port_path,
            get_protocol(name),
            on_reading=recorder.on_reading,
            on_link=recorder.on_link,
            **options,
        )
        driver.start()
        try:
            yield sim, driver, recorder
        finally:
            driver.stop()

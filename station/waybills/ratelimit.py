"""A client-side rate limiter: calls to one provider spaced to its documented limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """At most `per_minute` calls a minute, evenly spaced (no bursts: a provider that
    counts per second is kept too). Thread-safe; `wait()` before each call."""

    def __init__(
        self,
        per_minute: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if per_minute <= 0:
            raise ValueError("a rate limit must be positive")
        self.gap = 60.0 / per_minute
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()
        self.calls = 0

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next)
            self._next = slot + self.gap
            self.calls += 1
        if slot > now:
            self.sleep(slot - now)

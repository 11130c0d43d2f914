"""The app's `Runner`: one worker thread runs slow jobs; results come back on the GUI thread.

One thread, so the printer connection has a single owner and jobs run in the
order they were submitted. The worker emits a signal of an object living on the
GUI thread, which makes Qt queue the callback into the GUI event loop.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("station.ui.runner")

_Job = tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]


class QtRunner(QObject):
    """Runs jobs on its worker thread; `done` / `failed` run on the thread that made it."""

    _deliver = Signal(object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._busy = 0
        self._lock = threading.Lock()
        self._deliver.connect(self._on_deliver)
        self._thread = threading.Thread(target=self._work, name="runner", daemon=True)
        self._thread.start()

    def submit(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        with self._lock:
            self._busy += 1
        self._jobs.put((fn, done, failed))

    @property
    def idle(self) -> bool:
        """True when no job is queued, running, or waiting for its callback."""
        with self._lock:
            return self._busy == 0

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the queued jobs, then end the worker thread."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, done, failed = job
            try:
                result = fn()
            except Exception as exc:
                self._deliver.emit(failed, exc)
            else:
                self._deliver.emit(done, result)

    def _on_deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        finally:
            with self._lock:
                self._busy -= 1

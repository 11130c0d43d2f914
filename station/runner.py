"""Running slow work (printing) off the bench's thread, results delivered back.

The bench submits `fn` with `done` and `failed` callbacks. The desktop app uses
a runner whose single worker thread owns the printer and whose callbacks arrive
on the GUI thread; tests use `SyncRunner`, which runs everything at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Runner(Protocol):
    def submit(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None: ...


class SyncRunner:
    def submit(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            failed(exc)
        else:
            done(result)

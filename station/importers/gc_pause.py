"""Pausing Python's cyclic garbage collector while an import builds its rows.

An import of 100,000 orders makes millions of small tuples and dicts, none of them
in reference cycles. Each allocation burst triggers the collector, which walks
every live object again: measured, that was half of parsing. The collector
resumes when the last paused section ends; reference counting frees memory as
usual in between.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic collector paused (nested and threaded calls
    are counted: the collector comes back once, after the last one)."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        _enter()
        try:
            return function(*args, **kwargs)
        finally:
            _leave()

    return paused


def is_paused() -> bool:
    """Is an import running with collection paused? (The GUI's collector waits.)"""
    with _lock:
        return _depth > 0


def _enter() -> None:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def _leave() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()

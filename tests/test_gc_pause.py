"""Imports pause the cyclic garbage collector and always bring it back."""

from __future__ import annotations

import gc
import threading

import pytest

from station.importers.gc_pause import gc_paused


@gc_paused
def _inner() -> bool:
    return gc.isenabled()


@gc_paused
def _outer() -> tuple[bool, bool, bool]:
    before = gc.isenabled()
    inner = _inner()
    return before, inner, gc.isenabled()


@gc_paused
def _fails() -> None:
    raise ValueError("bad row")


def test_paused_inside_and_back_after_nested_calls() -> None:
    assert gc.isenabled()
    assert _outer() == (False, False, False)
    assert gc.isenabled()


def test_back_after_an_exception() -> None:
    with pytest.raises(ValueError, match="bad row"):
        _fails()
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        assert _inner() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_back_only_after_the_last_of_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    @gc_paused
    def waits() -> None:
        inside.set()
        release.wait(5)

    worker = threading.Thread(target=waits)
    worker.start()
    inside.wait(5)
    assert _inner() is False
    assert not gc.isenabled(), "the other thread is still importing"
    release.set()
    worker.join(5)
    assert gc.isenabled()

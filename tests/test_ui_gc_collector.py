"""The running station collects garbage cycles on the GUI thread only, and waits
while an import has collection paused."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import pytest

from station.importers import gc_pause
from station.ui.gc_collector import GuiThreadCollector


class Cycle:
    """Half of a reference cycle that notes the thread it dies on."""

    died_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.partner = self

    def __del__(self) -> None:
        Cycle.died_on.append(threading.current_thread().name)


@pytest.fixture
def collector(qtbot):  # type: ignore[no-untyped-def]
    running = GuiThreadCollector(interval_ms=20)
    running.start()
    yield running
    running.stop()


def _garbage_made_on_a_worker(kept: list[object]) -> None:
    def work() -> None:
        Cycle()
        # Enough container allocations to pass every generation's threshold: the
        # automatic collector would run right here, on this thread.
        kept.extend([n] for n in range(200_000))

    worker = threading.Thread(target=work, name="scale-reader")
    worker.start()
    worker.join()


def test_cycles_made_on_a_worker_die_on_the_gui_thread(collector, qtbot) -> None:  # type: ignore[no-untyped-def]
    Cycle.died_on.clear()
    assert not gc.isenabled()
    kept: list[object] = []
    _garbage_made_on_a_worker(kept)
    assert Cycle.died_on == [], "nothing may be collected off the GUI thread"
    qtbot.waitUntil(lambda: Cycle.died_on != [], timeout=5000)
    assert Cycle.died_on == [threading.main_thread().name]
    kept.clear()


def test_no_collection_while_an_import_has_it_paused(collector) -> None:  # type: ignore[no-untyped-def]
    inside, release = threading.Event(), threading.Event()

    @gc_pause.gc_paused
    def importing() -> None:
        inside.set()
        release.wait(5)

    worker = threading.Thread(target=importing)
    worker.start()
    inside.wait(5)
    try:
        junk = [[n] for n in range(50_000)]
        assert collector.collect_if_due() is None
        del junk
    finally:
        release.set()
        worker.join(5)
    assert not gc.isenabled(), "the import leaves the station's own setting alone"
    junk = [[n] for n in range(50_000)]
    assert collector.collect_if_due() is not None
    del junk


def test_stopping_gives_automatic_collection_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    running = GuiThreadCollector()
    running.start()
    running.stop()
    assert gc.isenabled()

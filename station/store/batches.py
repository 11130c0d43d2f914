"""Long writes (imports) in short transactions, so that the bench, waiting for the
write lock, is never kept waiting past its busy timeout.

SQLite lets one writer in at a time and keeps no queue: a writer that finds the
lock taken sleeps in its busy handler and tries again, at most 100 ms apart
(SQLite's default busy handler), until its busy timeout (10 s, `db.connect`). A
600,000-order import in one transaction held the lock longer than that, and a
recording at the bench failed with "database is locked".

Here each transaction is sized to hold the lock for about `HOLD_S` (the batch
size adapts to how long the last one took), and after each commit the lock stays
free for at least `GAP_S`, longer than the busy handler's longest sleep, so every
writer waiting gets its turn. The gap is filled with the next batch's
preparation (the import encrypts its rows there), so it costs little.

Each batch is one transaction: a batch is written whole or not at all. What that
means for an import is the caller's to say (see `station.importers.commit`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import sqlite_utils

from station.store.db import transaction

T = TypeVar("T")
P = TypeVar("P")

HOLD_S = 0.5
"""About how long one batch holds the write lock."""
GAP_S = 0.12
"""How long the lock stays free between batches: longer than the 100 ms a waiting
writer's busy handler sleeps at most between two tries."""
FIRST_BATCH = 2000


@dataclass(frozen=True)
class Pacing:
    hold_s: float = HOLD_S
    gap_s: float = GAP_S
    first: int = FIRST_BATCH


def write_in_batches(
    db: sqlite_utils.Database,
    items: Sequence[T],
    prepare: Callable[[Sequence[T]], P],
    write: Callable[[sqlite_utils.Database, P], object],
    pacing: Pacing = Pacing(),
    clock: Callable[[], float] = time.perf_counter,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Write `items` batch by batch: `prepare(batch)` outside any transaction (work
    that needs no lock), then `write(db, prepared)` in a transaction of its own.
    Returns how many transactions it took."""
    start, size, batches = 0, pacing.first, 0
    committed: float | None = None
    while start < len(items):
        batch = items[start : start + size]
        prepared = prepare(batch)
        if committed is not None:
            rest = pacing.gap_s - (clock() - committed)
            if rest > 0:
                sleep(rest)
        began = clock()
        with transaction(db):
            write(db, prepared)
        committed = clock()
        batches += 1
        start += len(batch)
        size = next_size(size, committed - began, pacing.hold_s)
    return batches


def next_size(size: int, held_s: float, hold_s: float) -> int:
    """The next batch's size, aiming at `hold_s`: shrinks in proportion when the last
    batch held the lock too long, grows at most twofold when it was quick."""
    if held_s <= 0:
        return size * 2
    return max(1, min(size * 2, round(size * hold_s / held_s)))

"""Long writes in short transactions: every item written once, in order, the lock
left free between batches, and batch sizes that follow how long the last one held it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from station.store.batches import Pacing, next_size, write_in_batches


class FakeClock:
    """Time that moves only when told: each write takes `per_item` seconds per row."""

    def __init__(self, per_item: float) -> None:
        self.now = 0.0
        self.per_item = per_item
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_every_item_is_written_once_in_transactions_with_the_lock_free_between(
    db: sqlite_utils.Database,
) -> None:
    db.execute("CREATE TABLE items (n INTEGER PRIMARY KEY)")
    clock = FakeClock(per_item=0.001)
    sizes: list[int] = []

    def write(db: sqlite_utils.Database, batch: Sequence[int]) -> None:
        assert db.conn.in_transaction
        sizes.append(len(batch))
        db.conn.executemany("INSERT INTO items VALUES (?)", [(n,) for n in batch])
        clock.now += clock.per_item * len(batch)

    pacing = Pacing(hold_s=0.25, gap_s=0.12, first=100)
    batches = write_in_batches(
        db, range(5000), lambda b: b, write, pacing, clock=clock, sleep=clock.sleep
    )
    assert [r[0] for r in db.execute("SELECT n FROM items ORDER BY n")] == list(range(5000))
    assert batches == len(sizes) and sum(sizes) == 5000
    assert max(sizes) <= 250  # 0.25 s at 1 ms a row
    assert sizes[:3] == [100, 200, 250]
    assert len(clock.slept) == batches - 1 and all(s == 0.12 for s in clock.slept)
    assert not db.conn.in_transaction


def test_batch_size_shrinks_when_the_lock_was_held_too_long_and_grows_at_most_twofold() -> None:
    assert next_size(1000, held_s=1.0, hold_s=0.25) == 250
    assert next_size(1000, held_s=0.01, hold_s=0.25) == 2000
    assert next_size(1000, held_s=0.2, hold_s=0.25) == 1250
    assert next_size(1, held_s=5.0, hold_s=0.25) == 1

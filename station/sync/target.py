"""What the uploader needs from a sync target."""

from __future__ import annotations

from typing import Protocol

from station.store.outbox import Record
from station.sync.outcome import Outcome


class Target(Protocol):
    name: str
    batch: int  # records per deliver() call
    # An event log (the webhook) gets every record, voids included. WeChat keeps one
    # waybill per order and has no "unship": for it the uploader settles voided
    # shipments itself (station.sync.voids) and deliver() never sees them.
    takes_voids: bool

    def deliver(self, records: list[Record], in_doubt: set[int]) -> list[Outcome]:
        """Send the records; one outcome per record, in order.

        `in_doubt` holds the ids whose earlier attempt may have reached upstream.
        Raises TargetProblem when nothing can be judged (offline, refused, quota).
        """
        ...

    def state(self) -> dict[str, str]:
        """Values to keep across restarts, saved with each batch's results."""
        ...

    def close(self) -> None: ...

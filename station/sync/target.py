"""What the uploader needs from a sync target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from station.store.outbox import Record
from station.sync.outcome import UploadResult


class Sending(Protocol):
    def __call__(self, record_id: int, mark: str) -> None:
        """Durably note, before it leaves, that a request that may change upstream is
        sent for the record now, and what it carries that a resend must repeat."""
        ...


def not_noted(record_id: int, mark: str) -> None:
    """For a deliver() outside the queue (one-off sends, tests): nothing to note."""


class Target(Protocol):
    name: str
    batch: int  # records per deliver() call
    # Seconds after an in-doubt request left before the record is looked up upstream:
    # longer than upstream may take to act on a request whose answer we gave up on.
    # 0 for a target whose resends are harmless (the webhook's idempotency keys).
    settle_seconds: float
    # An event log (the webhook) gets every record, voids included. WeChat keeps one
    # waybill per order and has no "unship": for it the uploader settles voided
    # shipments itself (station.sync.voids) and deliver() never sees them.
    takes_voids: bool

    def deliver(
        self, records: list[Record], in_doubt: Mapping[int, str], sending: Sending = not_noted
    ) -> list[UploadResult]:
        """Send the records; one outcome per record, in order.

        `in_doubt` maps the ids whose earlier attempt may have reached upstream to the
        mark that attempt carried (see Sending; '' when none was noted). A target
        without idempotency keys calls `sending` before each request that may change
        upstream. Raises TargetProblem when nothing can be judged (offline, refused,
        quota).
        """
        ...

    def state(self) -> dict[str, str]:
        """Values to keep across restarts, saved with each batch's results."""
        ...

    def close(self) -> None: ...

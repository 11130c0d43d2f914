"""Where a record of the upload queue stands: for each target (`deliveries.state`)
and over all of them (`outbox.state`). The values are the ones stored (and checked
by the schema), so a state compares equal to its column's text."""

from __future__ import annotations

from enum import StrEnum


class DeliveryState(StrEnum):
    """One record at one target: queued -> sending -> done, back to queued after a
    transient failure, or attention until a person retries or dismisses it."""

    QUEUED = "queued"
    SENDING = "sending"
    """Committed before the request leaves: found so at start, it was cut off."""
    DONE = "done"
    ATTENTION = "attention"
    DISMISSED = "dismissed"


WAITING = (DeliveryState.QUEUED, DeliveryState.SENDING)
"""A delivery not finished yet, nor waiting for a person."""


class OutboxState(StrEnum):
    """A record over all its targets: attention while any needs a person, done once
    every target is done with it (or dismissed it), else queued."""

    QUEUED = "queued"
    DONE = "done"
    ATTENTION = "attention"

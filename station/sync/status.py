"""Where the upload queue stands, per target: for `station sync status` and the
bench's status light. Reads only; cheap enough to poll every few seconds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from station.core.upload_states import OutboxState
from station.store import deliveries
from station.sync.config import TargetConfig
from station.sync.uploader import LAST_ERROR, LAST_ERROR_AT, LAST_SUCCESS, ONLINE


@dataclass(frozen=True)
class TargetStatus:
    name: str
    kind: str
    enabled: bool
    online: bool | None  # None: never tried
    queued: int
    in_flight: int
    needs_attention: int
    oldest_queued_at: str | None
    last_success_at: str | None
    last_error: str
    last_error_at: str | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def target_status(db: sqlite_utils.Database, config: TargetConfig) -> TargetStatus:
    counts = deliveries.counts(db, config.name)
    online = deliveries.get_state(db, config.name, ONLINE)
    return TargetStatus(
        name=config.name,
        kind=config.kind,
        enabled=config.enabled,
        online=None if online is None else online == "1",
        queued=counts.queued,
        in_flight=counts.in_flight,
        needs_attention=counts.attention,
        oldest_queued_at=counts.oldest_queued_at,
        last_success_at=deliveries.get_state(db, config.name, LAST_SUCCESS),
        last_error=deliveries.get_state(db, config.name, LAST_ERROR) or "",
        last_error_at=deliveries.get_state(db, config.name, LAST_ERROR_AT),
    )


def all_status(db: sqlite_utils.Database, configs: list[TargetConfig]) -> list[TargetStatus]:
    return [target_status(db, c) for c in configs if c.enabled]


def summary(statuses: list[TargetStatus]) -> dict[str, Any]:
    """Totals over the targets, as the status light shows them."""
    oldest = [s.oldest_queued_at for s in statuses if s.oldest_queued_at and s.queued]
    successes = [s.last_success_at for s in statuses if s.last_success_at]
    return {
        "online": bool(statuses) and all(s.online is not False for s in statuses),
        "queued": sum(s.queued for s in statuses),
        "in_flight": sum(s.in_flight for s in statuses),
        "needs_attention": sum(s.needs_attention for s in statuses),
        "oldest_queued_at": min(oldest) if oldest else None,
        "last_success_at": max(successes) if successes else None,
    }


def waiting_locally(db: sqlite_utils.Database) -> int:
    """Upload records kept in the local queue, whatever targets there are (with none
    set up, every shipment's record waits here until one is)."""
    return int(
        db.execute("SELECT count(*) FROM outbox WHERE state = ?", [OutboxState.QUEUED]).fetchone()[
            0
        ]
    )

"""Where uploads stand, one story for the status light and its window (F12), the
dashboard's upload line and `station sync status`: the targets of sync.toml and
their queues, or that sync.toml is wrong, or that no target is set up (and how
many records wait locally meanwhile); and the supervisor's retry or dismissal of
a record that needs attention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlite_utils

from station.app.permissions import Signer, signer_for
from station.core.permissions import Action, User
from station.hub.wiring import hub_target, hub_targets
from station.store import audit, deliveries
from station.store.deliveries import Attention
from station.sync.config import SyncConfigError, TargetConfig, bench_targets, load_targets
from station.sync.status import TargetStatus, all_status, summary, waiting_locally

STALE_SECONDS = 3600
"""A record queued longer than this turns the light amber even while online."""

__all__ = ["Attention", "Light", "SyncStatus", "TargetStatus", "UploadStatus"]


class Light(StrEnum):
    OK = "ok"
    WARN = "warn"
    ERROR = "error"
    OFF = "off"


@dataclass(frozen=True)
class UploadStatus:
    targets: list[TargetStatus]
    waiting_locally: int
    """Records in the local upload queue, whatever the targets (all of them with none)."""
    config_error: str = ""
    """Why sync.toml cannot be read; empty when it can (or there is none)."""
    totals: dict[str, Any] = field(default_factory=dict)
    light: Light = Light.OFF

    @property
    def set_up(self) -> bool:
        """Does sync.toml name an enabled target? (A broken one says so itself.)"""
        return bool(self.targets)

    def as_json(self) -> dict[str, Any]:
        facts = {**self.totals, "set_up": self.set_up, "waiting_locally": self.waiting_locally}
        return {**facts, "targets": [s.as_json() for s in self.targets]}


class SyncStatus:
    def __init__(
        self,
        db: sqlite_utils.Database,
        folder: Path,
        station: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        hub_url: str | None = None,
    ):
        """`folder`: the data folder, where sync.toml is; `station`: this bench's
        name, for the audit log; `hub_url`: the bench's hub.url as it runs (None:
        read from the folder's settings file)."""
        self.db = db
        self.folder = folder
        self.station = station
        self.clock = clock
        self.hub_url = hub_url

    def targets(self) -> list[TargetConfig]:
        """The bench's targets: sync.toml's (without the WeChat ones when a hub
        uploads to WeChat) and the hub's. SyncConfigError when sync.toml is wrong."""
        hub = hub_targets(self.folder) if self.hub_url is None else hub_target(self.hub_url)
        return bench_targets(load_targets(self.folder), hub=bool(hub)) + hub

    def status(self) -> UploadStatus:
        waiting = waiting_locally(self.db)
        try:
            targets = all_status(self.db, self.targets())
        except SyncConfigError as exc:
            return UploadStatus([], waiting, config_error=str(exc), light=Light.ERROR)
        totals = summary(targets)
        return UploadStatus(targets, waiting, totals=totals, light=self._light(totals, targets))

    def _light(self, totals: dict[str, Any], targets: list[TargetStatus]) -> Light:
        """Red offline or failing, amber needs attention or a stale queue, green all
        flowing, grey nothing set up."""
        if not targets:
            return Light.OFF
        if not totals["online"] or any(s.last_error for s in targets):
            return Light.ERROR
        oldest = totals["oldest_queued_at"]
        stale = oldest is not None and self._age_s(oldest) > STALE_SECONDS
        return Light.WARN if totals["needs_attention"] or stale else Light.OK

    def _age_s(self, iso_time: str) -> float:
        then = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
        return (self.clock() - then).total_seconds()

    def attention(self) -> list[Attention]:
        """Records a target refused for good, oldest first, for a supervisor to see to."""
        return deliveries.attention(self.db)

    def supervisor(self, pin: str) -> User:
        """The supervisor whose PIN this is; PermissionDenied (or PinLocked) if none."""
        return signer_for(self.db, pin, Action.UPLOADS)

    def retry(self, target: str, outbox_id: int, signer: Signer) -> bool:
        """Send a record again after its cause was fixed (audited); False when it
        does not need attention at that target."""
        done = deliveries.retry(self.db, target, outbox_id)
        if done:
            self._audit(signer, "retry", target, outbox_id)
        return done

    def dismiss(self, target: str, outbox_id: int, signer: Signer, reason: str) -> bool:
        """Give up on a record for one target, saying why (audited); ValueError
        without a reason, False when it does not need attention at that target."""
        done = deliveries.dismiss(self.db, target, outbox_id, signer.name, reason)
        if done:
            self._audit(signer, "dismiss", target, outbox_id, reason.strip())
        return done

    def _audit(
        self, signer: Signer, what: str, target: str, outbox_id: int, reason: str = ""
    ) -> None:
        audit.record(
            self.db,
            Action.UPLOADS,
            f"{what} {target} {outbox_id}",
            actor=signer.name,
            role=signer.role,
            reason=reason,
            station=self.station,
            detail={"target": target, "outbox_id": outbox_id, "what": what},
        )

"""What the bench asks of the warehouse hub, and the hub's status light.

Imports neither psycopg nor Qt: a bench with no hub uses `NoHub`, which grants
every order, and works exactly as a bench always did.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

TARGET_NAME = "hub"  # the hub's name among the upload targets


class ClaimVerdict(StrEnum):
    GRANTED = "granted"  # the hub gave this bench the order (or it already held it)
    HELD_ELSEWHERE = "held_elsewhere"  # another bench holds it: do not pack
    OFFLINE_HELD = "offline_held"  # hub unreachable; this bench holds it (claimed or leased)
    OFFLINE_NOT_HELD = "offline_not_held"  # hub unreachable; only a supervisor may allow it


@dataclass(frozen=True)
class ClaimAnswer:
    verdict: ClaimVerdict
    bench: str = ""
    packer: str = ""
    since: dt.datetime | None = None

    @property
    def may_pack(self) -> bool:
        return self.verdict in (ClaimVerdict.GRANTED, ClaimVerdict.OFFLINE_HELD)


class HubState(StrEnum):
    NONE = "none"  # no hub configured
    UNKNOWN = "unknown"  # configured, not asked yet
    ONLINE = "online"
    OFFLINE = "offline"


class HubStatus:
    """The hub light: online or offline, since when, and why. Thread-safe: the bench
    (claims) and the uploader thread (pushes and pulls) both report to it."""

    def __init__(self, state: HubState = HubState.UNKNOWN):
        self._lock = threading.Lock()
        self._state = state
        self._since = dt.datetime.now(dt.UTC)
        self._reason = ""
        self._last_contact: dt.datetime | None = None

    def online(self) -> None:
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            if self._state is not HubState.ONLINE:
                self._state, self._since = HubState.ONLINE, now
            self._reason = ""
            self._last_contact = now

    def offline(self, reason: str) -> None:
        with self._lock:
            if self._state is not HubState.OFFLINE:
                self._state, self._since = HubState.OFFLINE, dt.datetime.now(dt.UTC)
            self._reason = reason

    def snapshot(self) -> tuple[HubState, dt.datetime, str, dt.datetime | None]:
        """(state, since, reason offline, last contact)."""
        with self._lock:
            return self._state, self._since, self._reason, self._last_contact

    @property
    def state(self) -> HubState:
        with self._lock:
            return self._state


_shared: dict[str, HubStatus] = {}
_shared_lock = threading.Lock()


def status_for(url: str) -> HubStatus:
    """One status per hub URL in this process: the bench and its uploader thread
    report to the same light."""
    with _shared_lock:
        return _shared.setdefault(url, HubStatus())


class HubPort(Protocol):
    status: HubStatus

    def claim(self, order_no: str, packer: str) -> ClaimAnswer:
        """Claim the order for this bench at the scan; never raises for a lost hub."""
        ...

    def release(self, order_no: str) -> None:
        """The order was cancelled or held here: give it back (later if offline)."""
        ...

    def allow_offline(self, order_no: str, supervisor: str) -> None:
        """A supervisor let this bench pack an order it does not hold, offline."""
        ...

    def close(self) -> None: ...


class NoHub:
    """No hub configured: every order may be packed, nothing is told anyone."""

    status = HubStatus(HubState.NONE)

    def claim(self, order_no: str, packer: str) -> ClaimAnswer:
        return ClaimAnswer(ClaimVerdict.GRANTED)

    def release(self, order_no: str) -> None:
        pass

    def allow_offline(self, order_no: str, supervisor: str) -> None:
        pass

    def close(self) -> None:
        pass

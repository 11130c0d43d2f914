"""The figures of a period for the dashboard (F11) and `station report throughput`,
and the exceptions a supervisor should look at: flagged orders left unconfirmed,
and parcels whose shipping cost is too large a share of the order's value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from station.store.exceptions import CostlyShipment, StaleFlagged, costly_shipments, stale_flagged
from station.store.reports import Dashboard, Figures, Period, dashboard

__all__ = ["Dashboard", "Exceptions", "Figures", "Period", "Reports"]


@dataclass(frozen=True)
class Exceptions:
    stale_flagged: list[StaleFlagged]
    """Flagged orders unconfirmed for a day, whatever the period."""
    costly: list[CostlyShipment]
    """The period's parcels whose cost is over `cost_alert_percent` of the order's value."""
    cost_alert_percent: float

    def __len__(self) -> int:
        return len(self.stale_flagged) + len(self.costly)


class Reports:
    def __init__(
        self,
        db: sqlite_utils.Database,
        cost_alert_percent: float = 12.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.db = db
        self.cost_alert_percent = cost_alert_percent
        self.clock = clock

    def dashboard(self, period: Period) -> Dashboard:
        return dashboard(self.db, period)

    def exceptions(self, period: Period) -> Exceptions:
        limit = self.cost_alert_percent
        return Exceptions(
            stale_flagged(self.db, self.clock()),
            costly_shipments(self.db, *period.bounds(), limit),
            limit,
        )

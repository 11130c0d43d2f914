"""The figures of a period for the dashboard (F11) and `station report throughput`,
and the exceptions a supervisor should look at: flagged orders left unconfirmed,
parcels whose shipping cost is too large a share of the order's value, e-waybill
cancels refused for good and e-waybill accounts running low."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from station.store.exceptions import (
    CostlyShipment,
    LowBalance,
    RefusedCancel,
    StaleFlagged,
    costly_shipments,
    low_balances,
    refused_cancels,
    stale_flagged,
)
from station.store.reports import Dashboard, Figures, Period, dashboard

__all__ = ["Dashboard", "Exceptions", "Figures", "Period", "Reports"]


@dataclass(frozen=True)
class Exceptions:
    stale_flagged: list[StaleFlagged]
    """Flagged orders unconfirmed for a day, whatever the period."""
    costly: list[CostlyShipment]
    """The period's parcels whose cost is over `cost_alert_percent` of the order's value."""
    cost_alert_percent: float
    refused_cancels: list[RefusedCancel]
    """E-waybill cancels the carrier refused for good, whatever the period."""
    low_balances: list[LowBalance]
    """E-waybill accounts below the low-balance setting."""

    def __len__(self) -> int:
        return (
            len(self.stale_flagged)
            + len(self.costly)
            + len(self.refused_cancels)
            + len(self.low_balances)
        )


class Reports:
    def __init__(
        self,
        db: sqlite_utils.Database,
        cost_alert_percent: float = 12.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        low_balance: int = 200,
    ):
        self.db = db
        self.cost_alert_percent = cost_alert_percent
        self.low_balance = low_balance
        self.clock = clock

    def dashboard(self, period: Period) -> Dashboard:
        return dashboard(self.db, period)

    def exceptions(self, period: Period) -> Exceptions:
        limit = self.cost_alert_percent
        return Exceptions(
            stale_flagged(self.db, self.clock()),
            costly_shipments(self.db, *period.bounds(), limit),
            limit,
            refused_cancels(self.db),
            low_balances(self.db, self.low_balance),
        )

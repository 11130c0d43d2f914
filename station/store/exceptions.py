"""What a supervisor must look at that no scan at the bench settles: flagged orders
nobody has confirmed for a day, parcels whose shipping cost ran over the share
of the order value the settings allow (`routing.cost_alert_percent`), e-waybill
cancels the carrier refused for good, and e-waybill accounts running low
(`ewaybill.low_balance`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from station.store import ewaybills
from station.store.db import iso

STALE_FLAG_HOURS = 24

_STALE_FLAGGED = """
SELECT o.order_no, o.created_at, group_concat(f.detail, '; ')
FROM orders o JOIN order_flags f ON f.order_no = o.order_no
WHERE o.status = 'open' AND o.created_at < :before
  AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_no = o.order_no
                  AND s.voided_at IS NULL)
GROUP BY o.order_no ORDER BY o.created_at, o.order_no
"""
_COSTLY = """
SELECT s.order_no, s.carrier, s.tracking_no, s.shipping_cost_fen, o.order_value_fen
FROM shipments s JOIN orders o ON o.order_no = s.order_no
WHERE s.voided_at IS NULL AND s.recorded_at >= :start AND s.recorded_at < :end
  AND s.shipping_cost_fen IS NOT NULL AND o.order_value_fen > 0
  AND s.shipping_cost_fen * 100.0 > :percent * o.order_value_fen
ORDER BY s.recorded_at
"""


@dataclass(frozen=True, slots=True)
class StaleFlagged:
    order_no: str
    since: str  # when the order came in (UTC ISO)
    flags: str  # the flags' English details


@dataclass(frozen=True, slots=True)
class CostlyShipment:
    order_no: str
    carrier: str
    tracking_no: str
    cost_fen: int
    order_value_fen: int

    @property
    def share(self) -> float:
        return 100 * self.cost_fen / self.order_value_fen


def stale_flagged(
    db: sqlite_utils.Database, now: datetime, hours: int = STALE_FLAG_HOURS
) -> list[StaleFlagged]:
    """Open orders with flags, unshipped, that came in more than `hours` ago."""
    before = iso(now - timedelta(hours=hours))
    return [StaleFlagged(*row) for row in db.execute(_STALE_FLAGGED, {"before": before})]


def costly_shipments(
    db: sqlite_utils.Database, start: str, end: str, percent: float
) -> list[CostlyShipment]:
    """Live shipments recorded in [start, end) whose cost exceeds `percent` of the
    order's value."""
    params = {"start": start, "end": end, "percent": percent}
    return [CostlyShipment(*row) for row in db.execute(_COSTLY, params)]


@dataclass(frozen=True, slots=True)
class RefusedCancel:
    """An e-waybill whose cancel the carrier refused for good (parcel already picked
    up...): the number may still be billed or in use; someone must settle it with the
    carrier, then retry (`station waybill cancel NO`) or leave it."""

    order_no: str
    waybill_no: str
    provider: str
    reason: str


@dataclass(frozen=True, slots=True)
class LowBalance:
    provider: str
    account: str
    carrier: str
    available: int


def refused_cancels(db: sqlite_utils.Database) -> list[RefusedCancel]:
    return [
        RefusedCancel(r.order_no, r.waybill_no or "", r.provider, r.attention)
        for r in ewaybills.needing_attention(db)
    ]


def low_balances(db: sqlite_utils.Database, threshold: int) -> list[LowBalance]:
    """E-waybill accounts whose last known stock is below `threshold`."""
    return [
        LowBalance(b["provider"], b["account"], b["carrier"], b["available"])
        for b in ewaybills.balances(db)
        if b["available"] is not None and b["available"] < threshold
    ]

"""One target's view of one order, from its look-up (no request that changes anything)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upstream:
    """`to_ship` is True when upstream waits for the order to be shipped and holds
    no waybill, False when it shipped it (or it cannot ship), None when unknown."""

    target: str
    to_ship: bool | None
    waybills: frozenset[str]
    note: str

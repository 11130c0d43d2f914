"""The bench's port to e-waybills taken ahead: offline, database only."""

from __future__ import annotations

from typing import Protocol

import sqlite_utils

from station.store import ewaybills as store
from station.store.db import transaction
from station.store.pool import claim_number
from station.waybills.model import State


class WaybillPort(Protocol):
    def ready(self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str) -> bool:
        """Whether the order has a taken e-waybill for this carrier and service."""
        ...

    def claim(
        self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str
    ) -> str | None:
        """Inside the shipment's transaction: the number to print, now used."""
        ...


class NoWaybills:
    """No e-waybills: numbers come from the pool or a scanned pre-printed label."""

    def ready(self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str) -> bool:
        return False

    def claim(
        self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str
    ) -> str | None:
        return claim_number(db, carrier)


class PrefetchedWaybills:
    """E-waybills from the `ewaybills` table. When weighing routed the parcel to another
    carrier or service than the one taken ahead, that one is queued for cancel (once)
    and the bench falls back to the pool."""

    def ready(self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str) -> bool:
        row = store.live(db, order_no)
        if row is None or row.state is not State.TAKEN:
            return False
        if row.carrier == carrier and (row.service or "") == (service or ""):
            return True
        with transaction(db):
            store.queue_cancel(db, row.id, f"route changed to {carrier} {service}".strip())
        return False

    def claim(
        self, db: sqlite_utils.Database, order_no: str, carrier: str, service: str
    ) -> str | None:
        row = store.claim_for_shipment(db, order_no, carrier, service)
        return row.waybill_no if row is not None else claim_number(db, carrier)

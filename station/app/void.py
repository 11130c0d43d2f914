"""Voiding a recorded shipment: a supervisor's PIN and a reason, then the waybill
number is never used again and the order is either open to be packed anew
(`repack`) or put on hold with the reason.

The transaction itself (shipment, pool number, order, audit entry and the
`shipment.voided` upload row, all or nothing) is the store's `void_shipment`;
this decides who may and with what.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from station.app.permissions import signer_for
from station.core.permissions import Action, User
from station.settings import Settings
from station.store.search import VoidError, void_shipment


class VoidRefused(ValueError):
    """The shipment is not voided: no reason given, unknown, or voided already."""


@dataclass(frozen=True)
class Voided:
    shipment_id: int
    order_no: str
    tracking_no: str
    repack: bool
    """True: the order is open again; False: it stays shipped (on hold, no new parcel)."""


class Void:
    def __init__(self, db: sqlite_utils.Database, settings: Settings):
        self.db = db
        self.station: str = settings["station.name"]

    def supervisor(self, pin: str) -> User:
        """The supervisor whose PIN this is; PermissionDenied (or PinLocked) if none."""
        return signer_for(self.db, pin, Action.VOID)

    def void(self, shipment_id: int, user: User, reason: str, repack: bool) -> Voided:
        """Void the shipment on `user`'s authority; VoidRefused says why not, and
        PermissionDenied when their role may not void."""
        reason = reason.strip()
        if not reason:
            raise VoidRefused("A void needs a reason: say why the parcel is voided.")
        row = self.db.execute(
            "SELECT order_no, tracking_no FROM shipments WHERE id = ?", [shipment_id]
        ).fetchone()
        if row is None:
            raise VoidRefused(f"No shipment {shipment_id}.")
        try:
            void_shipment(self.db, shipment_id, user, reason, self.station, repack=repack)
        except VoidError as exc:
            raise VoidRefused(str(exc)) from exc
        order_no, tracking_no = row
        return Voided(shipment_id, order_no, tracking_no, repack)

"""Printing a recorded shipment's label again: who may, what is audited, and what
is recorded of the print, the same from the bench, the search window and the
`station print label` command.

- The bench's packer may reprint the label of the parcel at hand once (while it
  was printed at most once); that reprint is audited as `reprint_last`.
- Any other reprint needs a supervisor (or a technician at the command line) and
  is audited as `reprint`, naming them and the reason, before it is printed.
- Every print's outcome is recorded on the shipment: printed (and counted) or
  failed with the printer's reason, so a failed reprint shows as one everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import sqlite_utils

from printers import PrinterError
from station.app.permissions import Signer, signer_for
from station.core.permissions import Action
from station.labels import send_all, shipment_waybills
from station.runner import Runner, SyncRunner
from station.settings import Settings
from station.store import audit, shipments
from station.store.users import role_of

log = logging.getLogger("station.app.reprint")


class LabelPrinter(Protocol):
    def render(self, waybill: Any) -> Any: ...
    def send(self, job: Any) -> Any: ...


class ReprintRefused(ValueError):
    """This shipment's label is not printed again: unknown, or voided."""


@dataclass(frozen=True)
class Reprinted:
    """What became of one reprint, once the printer answered."""

    shipment_id: int
    order_no: str
    tracking_no: str
    error: str = ""
    """The printer's reason when it failed; empty when the label is out."""
    count: int = 0
    """How many times the label has now been printed (0 when it failed)."""
    result: Any = None
    """The printer's result (a PDF printer's `path`), when it printed."""

    @property
    def printed(self) -> bool:
        return not self.error


class Reprint:
    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        printer: LabelPrinter,
        runner: Runner | None = None,
    ):
        self.db = db
        self.settings = settings
        self.printer = printer
        self.runner = runner or SyncRunner()
        self.station: str = settings["station.name"]

    def supervisor(self, pin: str) -> Signer:
        """The supervisor whose PIN this is; PermissionDenied (or PinLocked) if none."""
        return signer_for(self.db, pin, Action.REPRINT)

    def packer_may(self, shipment_id: int, packer: str) -> bool:
        """May the bench's packer reprint its last label? Once only: while it was
        printed at most once. When allowed, the reprint is audited."""
        row = self.db.execute(
            "SELECT print_count, tracking_no FROM shipments WHERE id = ?", [shipment_id]
        )
        print_count, tracking_no = row.fetchone()
        if print_count > 1:
            return False
        audit.record(
            self.db,
            Action.REPRINT_LAST,
            tracking_no,
            actor=packer,
            role=role_of(self.db, packer),
            station=self.station,
            detail={"shipment_id": shipment_id, "print_count": print_count},
        )
        return True

    def supervised(
        self,
        shipment_id: int,
        signer: Signer,
        reason: str,
        done: Callable[[Reprinted], None],
    ) -> None:
        """Audit a reprint `signer` allows, then print it on the runner; `done` gets
        the outcome, recorded on the shipment first. ReprintRefused when the shipment
        is unknown or voided. The signer was checked by whoever names them:
        `supervisor(pin)` here, the command line's `--as`/`--technician`."""
        shipment = self._live(shipment_id)
        audit.record(
            self.db,
            Action.REPRINT,
            shipment["tracking_no"],
            actor=signer.name,
            role=signer.role,
            reason=reason,
            station=self.station,
            detail={"shipment_id": shipment_id, "print_count": shipment["print_count"]},
        )
        self.print(shipment, done)

    def print(self, shipment: dict[str, Any], done: Callable[[Reprinted], None]) -> None:
        """Print a recorded shipment's label (marked as a reprint once it was printed),
        every parcel's for a multi-parcel e-waybill, and record the outcome on it."""
        try:
            labels = shipment_waybills(self.db, shipment, self.settings)
            jobs = [self.printer.render(label) for label in labels]
        except PrinterError as exc:
            done(self.failed(shipment, exc))
            return
        self.runner.submit(
            lambda: send_all(self.printer, jobs),
            lambda result: done(self.printed(shipment, result, jobs[0].kind)),
            lambda exc: done(self.failed(shipment, exc)),
        )

    def printed(self, shipment: dict[str, Any], result: Any = None, kind: str = "") -> Reprinted:
        """Record a finished print; one through WeChat's print component (`kind`
        "wxprint") queues WeChat's print notice with it, in one transaction."""
        count = shipments.mark_printed(self.db, shipment["id"], kind == "wxprint")
        return _reprinted(shipment, count=count, result=result)

    def failed(self, shipment: dict[str, Any], exc: BaseException) -> Reprinted:
        if isinstance(exc, PrinterError):
            reason = exc.message
        else:
            reason = f"unexpected error: {exc!r}."
            log.error("reprinting shipment %s failed", shipment["id"], exc_info=exc)
        shipments.mark_print_failed(self.db, shipment["id"], reason)
        return _reprinted(shipment, error=reason)

    def _live(self, shipment_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM shipments WHERE id = ?", [shipment_id]))
        if not rows:
            raise ReprintRefused(f"No shipment {shipment_id}.")
        shipment = rows[0]
        if shipment["voided_at"] is not None:
            raise ReprintRefused(
                f"Shipment {shipment['tracking_no']} was voided on {shipment['voided_at']}: "
                "its label is not printed again."
            )
        return shipment


def _reprinted(shipment: dict[str, Any], **fields: Any) -> Reprinted:
    return Reprinted(shipment["id"], shipment["order_no"], shipment["tracking_no"], **fields)

"""Bringing orders, products, carriers, rates and waybill numbers into the station:
the same from the import dialog (Ctrl+I) and from `station orders import`,
`station products import`, `station carriers import`, `station route
--import-rates` (`station carriers rates import`) and `station pool import`.

- Orders are planned against the database as it is (nothing written), then
  planned again and written when committed, in short transactions of whole
  orders: a bench records beside a long import. With a hub (`hub.url`), the
  orders go to the hub as well, as `station hub import` sends them, so that every
  bench sees them; a hub that cannot be reached is said in the result, and the
  orders stay imported here.
- Carriers, rates and waybill numbers change what every parcel gets: the signer
  (a supervisor's PIN, or the command line's `--as`/`--technician`) is audited.
  A rates file with one bad row loads nothing.
- Disk-full, read-only and I/O errors during a write come out as `StorageError`
  (with its `StorageProblem`); what was written before them stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

import sqlite_utils

from station.app.database import OpenDb
from station.app.permissions import Signer
from station.core.permissions import Action
from station.core.rates import RateProblem, parse_rates_csv
from station.hub.kinds import Kind, local_refusal
from station.importers import commit
from station.importers.carriers import CarrierPreview, parse_carriers
from station.importers.commit import ImportAction, ImportPlan, ImportSummary
from station.importers.mapping import Mapping
from station.importers.numbers import read_numbers
from station.importers.orders import ImportedOrder, OrderPreview, parse_orders
from station.importers.problems import RowProblem
from station.importers.products import ProductPreview
from station.importers.table import Limits, Table, decode, read_file
from station.settings import Settings
from station.store import audit, catalogue, pool
from station.store.errors import StorageError, StorageProblem, storage_errors
from station.store.flags import Flag
from station.store.orders import save_products_in_batches

__all__ = [
    "AtHub",
    "CarriersImported",
    "Flag",
    "HubOrders",
    "ImportSteps",
    "Imports",
    "OrdersChecked",
    "OrdersHub",
    "OrdersImported",
    "PoolImported",
    "RatesRejected",
    "StorageError",
    "StorageProblem",
    "hub_orders_for",
]


class OrdersHub(Protocol):
    """Where orders go for every bench: the warehouse hub."""

    def put(self, orders: Sequence[ImportedOrder], source: str) -> int:
        """Add or replace orders; how many were new or changed. Raises
        `HubUnreachable` when the hub cannot take them."""
        ...


IMPORT_TIMEOUT_S = 30.0
"""Longest wait for the hub per statement of an import: no label waits for it, and
a file of many thousand orders is sent in one go (`hub.timeout_seconds` is for a scan)."""


class HubOrders:
    """The hub's orders, on a connection opened for one import and closed after it.
    psycopg is loaded only then: the bench starts without it."""

    def __init__(self, url: str, timeout_s: float = IMPORT_TIMEOUT_S):
        self.url = url
        self.timeout_s = timeout_s

    def put(self, orders: Sequence[ImportedOrder], source: str) -> int:
        import psycopg

        from station.hub import orders as hub_orders
        from station.hub.db import connect, unreachable

        try:
            with connect(self.url, self.timeout_s) as conn:
                return hub_orders.put(conn, orders, source)
        except psycopg.Error as exc:
            raise unreachable(exc) from exc


def hub_orders_for(settings: Settings) -> OrdersHub | None:
    """The hub named by `hub.url`; None for a bench without one."""
    url: str = settings["hub.url"]
    return HubOrders(url) if url else None


class OrdersChecked(NamedTuple):
    """A preview of orders: the plan, each flagged order's flags (grouped once, for
    a table that shows them row by row), and the counts of a status line."""

    plan: ImportPlan
    flags: dict[str, list[Flag]]
    new: int
    updated: int
    shipped: int
    rejected: int
    flagged: int
    alerts: int


@dataclass(frozen=True)
class AtHub:
    """What the hub made of an import: how many orders were new or changed there,
    or why it could not be reached."""

    changed: int = 0
    error: str = ""
    """Why the hub could not take the orders; empty when it did."""

    @property
    def reached(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class OrdersImported:
    plan: ImportPlan
    summary: ImportSummary
    hub: AtHub | None = None
    """None when this bench has no hub."""


@dataclass(frozen=True)
class CarriersImported:
    preview: CarrierPreview
    changed: list[str]
    """The codes of the carriers added or changed."""


class RatesRejected(ValueError):
    """A rates file with bad rows: nothing of it is loaded. A table loaded without
    its bad rows would replace every zone of its carrier's service with the rows
    that remain (a province missing from them then priced by another zone, or not
    at all)."""

    def __init__(self, problems: Sequence[RateProblem]):
        super().__init__(f"{len(problems)} rows rejected, nothing loaded")
        self.problems = list(problems)


@dataclass(frozen=True)
class PoolImported:
    carrier: str
    added: int
    already_known: int
    problems: list[RowProblem]
    free: int
    """The carrier's numbers free now."""


class Imports:
    def __init__(
        self,
        db: sqlite_utils.Database,
        settings: Settings,
        hub: OrdersHub | None = None,
    ):
        self.db = db
        self.settings = settings
        self.hub = hub
        self.station: str = settings["station.name"]

    @property
    def limits(self) -> Limits:
        """The settings' limits on import files (size, rows, columns)."""
        return Limits.of(self.settings)

    # -- orders ---------------------------------------------------------------

    def check_orders(
        self,
        table: Table,
        mapping: Mapping,
        source: str,
        counted: Callable[[int], None] = lambda count: None,
    ) -> OrdersChecked:
        """Parse and plan the orders, writing nothing; `counted` hears how many
        orders were read before the (longer) planning starts."""
        preview = parse_orders(table, mapping)
        counted(len(preview.orders))
        with storage_errors():
            planned = self.plan_orders(preview, source)
        grouped: dict[str, list[Flag]] = {}
        for flag in planned.flags:
            grouped.setdefault(flag.order_no, []).append(flag)
        return OrdersChecked(
            planned,
            grouped,
            new=planned.count(ImportAction.NEW),
            updated=planned.count(ImportAction.UPDATE),
            shipped=planned.count(ImportAction.SHIPPED),
            rejected=planned.rejected_rows,
            flagged=len(grouped),
            alerts=len(planned.alerts),
        )

    def plan_orders(self, preview: OrderPreview, source: str) -> ImportPlan:
        """What importing these orders would do, against the database as it is now."""
        return commit.plan_orders(self.db, preview, source, self.settings["address.check_words"])

    def import_orders(self, preview: OrderPreview, source: str) -> OrdersImported:
        """Plan again against the database as it is now and write it; then, with a
        hub, send the orders there for every bench."""
        with storage_errors():
            planned = self.plan_orders(preview, source)
            summary = commit.apply_plan(self.db, planned)
        return OrdersImported(planned, summary, self._to_hub(preview, source))

    def _to_hub(self, preview: OrderPreview, source: str) -> AtHub | None:
        if self.hub is None:
            return None
        from station.hub.db import HubUnreachable

        try:
            return AtHub(changed=self.hub.put(preview.orders, source))
        except HubUnreachable as exc:
            return AtHub(error=str(exc))

    # -- products -------------------------------------------------------------

    def import_products(self, preview: ProductPreview) -> int:
        """Add or change the products (with their barcodes); how many were saved."""
        with storage_errors():
            return save_products_in_batches(self.db, preview.products)

    # -- carriers, rates, waybill numbers --------------------------------------

    def import_carriers(self, table: Table, signer: Signer, reason: str) -> CarriersImported:
        """Add or change carriers from a table, each change audited naming `signer`;
        rows with problems are left out (and listed in the preview)."""
        preview = parse_carriers(table, catalogue.entries(self.db))
        changed = catalogue.save_entries(
            self.db,
            preview.entries,
            actor=signer.name,
            role=signer.role,
            reason=reason,
            station=self.station,
        )
        return CarriersImported(preview, changed)

    def import_rates(self, path: Path | str, signer: Signer) -> int:
        """Load a rates CSV, replacing the tables of every carrier and service it
        names (audited naming `signer`); how many rates were loaded. RatesRejected
        (nothing loaded) when a row is bad; UnreadableFile or RateFileError when
        the file is not a rates table."""
        text, _ = decode(read_file(path, self.limits.max_bytes))
        rates, problems = parse_rates_csv(text)
        if problems:
            raise RatesRejected(problems)
        return catalogue.replace_rates(self.db, rates, actor=signer.name, role=signer.role)

    def import_pool(
        self, carrier_code: str, path: Path | str, signer: Signer, reason: str
    ) -> PoolImported:
        """Add a file's waybill numbers (one a line, or a table's first column) to a
        carrier's pool; numbers already known stay as they are. What was added is
        audited naming `signer`. UnknownCarrier or UnreadableFile: nothing added."""
        carrier = catalogue.find_carrier(self.db, carrier_code)
        numbers, problems = read_numbers(read_file(path, self.limits.max_bytes), carrier)
        with storage_errors():
            added = pool.add_numbers(self.db, carrier.code, numbers)
        if added:
            audit.record(
                self.db,
                Action.POOL,
                carrier.code,
                actor=signer.name,
                role=signer.role,
                reason=reason,
                station=self.station,
                detail={"added": added, "already_known": len(numbers) - added},
            )
        known = len(numbers) - added
        return PoolImported(
            carrier.code, added, known, problems, pool.free_count(self.db, carrier.code)
        )


class ImportSteps:
    """The import use case for a dialog's steps on worker threads: each step on a
    connection of its own (`open_db`, e.g. `station.app.database.opener_for`),
    closed when the step ends."""

    def __init__(self, open_db: OpenDb, settings: Settings, hub: OrdersHub | None):
        self.open_db = open_db
        self.settings = settings
        self.hub = hub

    def check_orders(
        self, table: Table, mapping: Mapping, source: str, counted: Callable[[int], None]
    ) -> OrdersChecked:
        with self.open_db() as db:
            return Imports(db, self.settings).check_orders(table, mapping, source, counted)

    def import_orders(self, preview: OrderPreview, source: str) -> OrdersImported:
        with self.open_db() as db:
            return Imports(db, self.settings, self.hub).import_orders(preview, source)

    def import_products(self, preview: ProductPreview) -> int:
        with self.open_db() as db:
            return Imports(db, self.settings).import_products(preview)

    def products_from_hub(self) -> bool:
        """Whether this bench takes its products from the warehouse hub, so that a
        local import would be overwritten there (station.hub.kinds)."""
        with self.open_db() as db:
            return local_refusal(db, self.settings, Kind.PRODUCTS) is not None

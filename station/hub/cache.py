"""The bench's copy of what the hub sets for every bench (station.hub.catalogue):
pulled on the uploader thread, applied to the bench's own store through its store
functions, one transaction per kind and batch, so the bench keeps working on the
copy when the hub cannot be reached.

Per kind the bench remembers the last revision it applied (`sync_state`, target
`hub`); a kind it has applied at least once is the hub's: local changes to it are
refused (station.hub.kinds.local_refusal).
Routing rules are the data folder's routing.toml, replaced whole (written beside
it, then renamed over it): the bench reads that file at every order.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlite_utils

from station.core.permissions import Action
from station.core.routing import RULES_FILE, RulesError, parse_rules
from station.hub.catalogue import Changes, since
from station.hub.kinds import Kind, applied_revision, revision_key
from station.hub.port import TARGET_NAME
from station.store import audit, catalogue, deliveries, users
from station.store.db import transaction
from station.store.orders import save_products

log = logging.getLogger("station.hub")

PULL_BATCH = 2000
HUB_ACTOR = "hub"


class CataloguePull:
    """Applies the hub's changes to one bench's store; `folder` is the data folder
    whose routing.toml the hub's rules replace (None: rules are not pulled)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._apply: dict[Kind, Callable[[sqlite_utils.Database, Changes], bool]] = {
            Kind.PRODUCTS: self._products,
            Kind.CARRIERS: self._carriers,
            Kind.RATES: self._rates,
            Kind.ROUTING: self._routing,
            Kind.USERS: self._users,
        }

    def pull(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> dict[Kind, int]:
        """Apply every kind's changes since the last pull; how many rows of each. A hub
        whose schema predates the catalogue gives none (`station hub init` upgrades it)."""
        try:
            return self._pull(conn, db)
        except psycopg.errors.UndefinedTable as exc:
            log.warning("the hub has no catalogue yet (run `station hub init URL`): %s", exc)
            return {}

    def _pull(self, conn: psycopg.Connection, db: sqlite_utils.Database) -> dict[Kind, int]:
        pulled: dict[Kind, int] = {}
        for kind in Kind:
            if kind is Kind.ROUTING and self.folder is None:
                continue
            total = 0
            while True:
                changes = since(conn, kind, applied_revision(db, kind), PULL_BATCH)
                if not changes.rows:
                    break
                if not self._apply[kind](db, changes):
                    break  # kept as it is here (logged); asked again at the next pull
                total += len(changes.rows)
            if total:
                pulled[kind] = total
        return pulled

    def _products(self, db: sqlite_utils.Database, changes: Changes) -> bool:
        with transaction(db):
            save_products(db, changes.rows)
            _advance(db, Kind.PRODUCTS, changes.last)
        return True

    def _carriers(self, db: sqlite_utils.Database, changes: Changes) -> bool:
        catalogue.save_entries(db, changes.rows, actor=HUB_ACTOR, reason="from the hub")
        _advance_alone(db, Kind.CARRIERS, changes.last)
        return True

    def _rates(self, db: sqlite_utils.Database, changes: Changes) -> bool:
        catalogue.replace_rates(
            db, [rate for table in changes.rows for rate in table], actor=HUB_ACTOR
        )
        _advance_alone(db, Kind.RATES, changes.last)
        return True

    def _routing(self, db: sqlite_utils.Database, changes: Changes) -> bool:
        assert self.folder is not None, "rules are pulled only with a folder"
        rules = changes.rows[-1]
        try:
            parse_rules(rules)
        except RulesError as exc:  # checked at the hub, so written by a newer station
            log.error("the hub's routing rules are not used here (%s); kept %s", exc, RULES_FILE)
            return False
        _replace_file(self.folder / RULES_FILE, rules)
        _advance_alone(db, Kind.ROUTING, changes.last)
        return True

    def _users(self, db: sqlite_utils.Database, changes: Changes) -> bool:
        with transaction(db):
            for account in users.apply_accounts(db, changes.rows):
                audit.append(
                    db,
                    Action.USERS,
                    account.name,
                    actor=HUB_ACTOR,
                    reason="from the hub",
                    detail={"role": account.role.value, "active": account.active},
                )
            _advance(db, Kind.USERS, changes.last)
        return True


def _advance(db: sqlite_utils.Database, kind: Kind, revision: int) -> None:
    deliveries.set_state(db, TARGET_NAME, revision_key(kind), str(revision))


def _advance_alone(db: sqlite_utils.Database, kind: Kind, revision: int) -> None:
    """After a store function that commits by itself: a crash in between pulls the
    same rows again, which changes nothing the second time."""
    with transaction(db):
        _advance(db, kind, revision)


def _replace_file(path: Path, text: str) -> None:
    """Write the whole file beside it, flushed, then rename it over the old one: a
    reader sees the old rules or the new, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The editable carrier catalogue and rate tables, and the router built from them.

Changes made by a person (`save_entries`, `replace_rates`) are written to the
audit log in the same transaction as the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from station.core.carriers import Carrier, UnknownCarrier, pattern_problem
from station.core.model import Order
from station.core.permissions import AuditEvent
from station.core.rates import Rate, RateTable
from station.core.routing import (
    DEFAULT_RULES_TOML,
    RULES_FILE,
    ParcelFacts,
    Router,
    Rule,
    RulesError,
    parse_rules,
)
from station.settings import Settings
from station.store import audit
from station.store.db import transaction

"""Audit action of a carrier added or changed; the subject is its code."""
"""Audit action of one carrier's service rate table replaced; subject `CODE service`."""

log = logging.getLogger(__name__)
_REPORTED_PATTERNS: set[tuple[str, str]] = set()


@dataclass(frozen=True, slots=True)
class CarrierEntry:
    """A carrier as the catalogue holds it: the carrier and whether routing may use it."""

    carrier: Carrier
    active: bool = True

    @property
    def code(self) -> str:
        return self.carrier.code

    def as_dict(self) -> dict[str, Any]:
        c = self.carrier
        return {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "services": list(c.services),
            "pattern": c.pattern,
            "tracking_url": c.tracking_url,
            "active": self.active,
        }


def carriers(db: sqlite_utils.Database, active_only: bool = True) -> dict[str, Carrier]:
    where = " WHERE active = 1" if active_only else ""
    return {
        code.upper(): _loaded(Carrier(code.upper(), zh, en, pattern, url, tuple(services.split())))
        for code, zh, en, pattern, services, url in db.execute(
            "SELECT code, name_zh, name_en, pattern, services, tracking_url FROM carriers" + where
        ).fetchall()
    }


def _loaded(carrier: Carrier) -> Carrier:
    """The carrier as stored. A pattern an older version accepted that RE2 cannot
    run (a back-reference, a look-around) accepts no number: it is logged once,
    with what to do, rather than run with a backtracking engine."""
    problem = pattern_problem(carrier.pattern)
    if problem is not None and (carrier.code, carrier.pattern) not in _REPORTED_PATTERNS:
        _REPORTED_PATTERNS.add((carrier.code, carrier.pattern))
        log.warning(
            "carrier %s: waybill pattern %r refused (%s); no scanned number is accepted "
            "for it until it is changed with: station carriers set %s --pattern REGEX",
            carrier.code,
            carrier.pattern[:80],
            problem,
            carrier.code,
        )
    return carrier


def find_carrier(db: sqlite_utils.Database, code: str) -> Carrier:
    """A carrier of the catalogue, active or not (the catalogue is seeded with the
    built-in carriers, so it is the one source)."""
    found = carriers(db, active_only=False).get(code.upper())
    if found is None:
        raise UnknownCarrier(code)
    return found


def entries(db: sqlite_utils.Database) -> dict[str, CarrierEntry]:
    """Every carrier of the catalogue, active or not, by code, in code order."""
    return {
        code.upper(): CarrierEntry(
            _loaded(Carrier(code.upper(), zh, en, pattern, url, tuple(services.split()))),
            bool(active),
        )
        for code, zh, en, pattern, services, url, active in db.execute(
            "SELECT code, name_zh, name_en, pattern, services, tracking_url, active "
            "FROM carriers ORDER BY code"
        ).fetchall()
    }


def save_entries(
    db: sqlite_utils.Database,
    new: Sequence[CarrierEntry],
    *,
    actor: str,
    role: str = "",
    reason: str = "",
    station: str = "",
) -> list[str]:
    """Add or change carriers in one transaction, each change audited with the fields
    it changed (old and new). Entries equal to what the catalogue holds are left
    alone. Returns the codes changed, in the order given."""
    changed: list[str] = []
    with transaction(db):
        known = entries(db)
        for entry in new:
            entry = replace(entry, carrier=replace(entry.carrier, code=entry.code.upper()))
            old = known.get(entry.code)
            detail = _difference(old, entry)
            if not detail:
                continue
            _upsert(db, entry)
            audit.append(
                db,
                AuditEvent.CARRIER,
                entry.code,
                actor=actor,
                role=role,
                reason=reason,
                station=station,
                detail=detail,
            )
            known[entry.code] = entry
            if entry.code not in changed:
                changed.append(entry.code)
    return changed


def _difference(old: CarrierEntry | None, new: CarrierEntry) -> dict[str, Any]:
    """{"added": {...}} for a new carrier, {"old": {...}, "new": {...}} of the fields
    that differ for a known one, {} for no change."""
    after = new.as_dict()
    if old is None:
        return {"added": after}
    before = old.as_dict()
    fields = [k for k in after if after[k] != before[k]]
    if not fields:
        return {}
    return {"old": {k: before[k] for k in fields}, "new": {k: after[k] for k in fields}}


def _upsert(db: sqlite_utils.Database, entry: CarrierEntry) -> None:
    carrier = entry.carrier
    db.execute(
        """INSERT INTO carriers
             (code, name_zh, name_en, pattern, services, tracking_url, active)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(code) DO UPDATE SET name_zh=excluded.name_zh, name_en=excluded.name_en,
             pattern=excluded.pattern, services=excluded.services,
             tracking_url=excluded.tracking_url, active=excluded.active""",
        (
            carrier.code.upper(),
            carrier.name_zh,
            carrier.name_en,
            carrier.pattern,
            " ".join(carrier.services),
            carrier.tracking_url,
            int(entry.active),
        ),
    )


def rates(db: sqlite_utils.Database) -> list[Rate]:
    """Every rate, by carrier, service and zone."""
    return _rates(db, "", ())


def _rates(db: sqlite_utils.Database, where: str, params: Sequence[Any]) -> list[Rate]:
    return [
        Rate(c.upper(), s, z, tuple(p.split()), w, f, e)
        for c, s, z, p, w, f, e in db.execute(
            f"SELECT * FROM rates {where} ORDER BY carrier, service, zone", params
        ).fetchall()
    ]


def _rate_row(rate: Rate) -> tuple[Any, ...]:
    return (
        rate.carrier.upper(),
        rate.service,
        rate.zone,
        " ".join(rate.provinces),
        rate.first_weight_g,
        rate.first_fen,
        rate.extra_fen_per_kg,
    )


def replace_rates(
    db: sqlite_utils.Database,
    new: Iterable[Rate],
    *,
    actor: str = "cli",
    role: str = "",
    reason: str = "",
) -> int:
    """Replace the rates of every carrier and service the new rows name. Each table
    that changes is audited (its number of zones before and after) in the same
    transaction; `actor` is who loaded the file."""
    new = list(new)
    tables = sorted({(r.carrier, r.service) for r in new})
    with transaction(db):
        for carrier, service in tables:
            before = {
                _rate_row(r)
                for r in _rates(db, "WHERE carrier = ? AND service = ?", (carrier, service))
            }
            after = {_rate_row(r) for r in new if (r.carrier, r.service) == (carrier, service)}
            if before != after:
                audit.append(
                    db,
                    AuditEvent.RATES,
                    f"{carrier} {service}",
                    actor=actor,
                    role=role,
                    reason=reason,
                    detail={"zones_before": len(before), "zones_after": len(after)},
                )
        db.conn.executemany("DELETE FROM rates WHERE carrier = ? AND service = ?", tables)
        db.conn.executemany(
            "INSERT OR REPLACE INTO rates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.carrier,
                    r.service,
                    r.zone,
                    " ".join(r.provinces),
                    r.first_weight_g,
                    r.first_fen,
                    r.extra_fen_per_kg,
                )
                for r in new
            ],
        )
    return len(new)


def rules_path(folder: Path) -> Path:
    """The routing rules file, written with the documented defaults when missing."""
    path = folder / RULES_FILE
    if not path.exists():
        path.write_text(DEFAULT_RULES_TOML, encoding="utf-8")
    return path


def load_router(db: sqlite_utils.Database, folder: Path | None, settings: Settings) -> Router:
    """The router of a data folder's rules (the defaults without a folder) over the
    catalogue's active carriers.

    Raises RulesError, naming the file, when routing.toml is broken.
    """
    if folder is None:
        rules = parse_rules(DEFAULT_RULES_TOML)
    else:
        path = rules_path(folder)
        try:
            rules = parse_rules(path.read_text(encoding="utf-8"))
        except (RulesError, OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"{path}: {exc}") from exc
    return _router(db, rules, settings)


def fallback_router(db: sqlite_utils.Database, settings: Settings) -> Router:
    """A router without rules, for when routing.toml is unusable: the order's own
    active carrier, else the default carrier if it is active, else the cheapest
    active standard carrier."""
    return _router(db, [], settings)


def _router(db: sqlite_utils.Database, rules: Sequence[Rule], settings: Settings) -> Router:
    listed = entries(db)
    return Router(
        rules,
        RateTable(rates(db)),
        {code: entry.carrier for code, entry in listed.items() if entry.active},
        settings["carrier.default"],
        settings["routing.cost_alert_percent"],
        disabled={code for code, entry in listed.items() if not entry.active},
    )


def parcel_for(db: sqlite_utils.Database, order: Order, weight_g: int) -> ParcelFacts:
    """Routing facts of an order: declared value from the catalogue where known,
    else the order's value."""
    declared = 0
    for line in order.lines:
        row = db.execute(
            "SELECT declared_value_fen FROM products WHERE sku = ?", [line.sku]
        ).fetchone()
        if row is None or row[0] is None:
            declared = order.order_value_fen
            break
        declared += row[0] * line.quantity
    return ParcelFacts(
        order_no=order.order_no,
        province=order.recipient.province,
        categories=order.categories,
        declared_value_fen=declared,
        order_value_fen=order.order_value_fen,
        weight_g=weight_g,
        names=order.names,
    )

"""The editable carrier catalogue and rate tables, and the router built from them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from station.core.carriers import CARRIERS, Carrier, UnknownCarrier
from station.core.model import Order
from station.core.rates import Rate, RateTable
from station.core.routing import (
    DEFAULT_RULES_TOML,
    RULES_FILE,
    Parcel,
    Router,
    RulesError,
    parse_rules,
)
from station.settings import Settings
from station.store.db import transaction


def carriers(db: sqlite_utils.Database, active_only: bool = True) -> dict[str, Carrier]:
    where = " WHERE active = 1" if active_only else ""
    return {
        code.upper(): Carrier(code.upper(), zh, en, pattern, url, tuple(services.split()))
        for code, zh, en, pattern, services, url in db.execute(
            "SELECT code, name_zh, name_en, pattern, services, tracking_url FROM carriers" + where
        ).fetchall()
    }


def find_carrier(db: sqlite_utils.Database, code: str) -> Carrier:
    """A carrier of the catalogue (active or not), else the built-in default."""
    found = carriers(db, active_only=False).get(code.upper()) or CARRIERS.get(code.upper())
    if found is None:
        raise UnknownCarrier(code)
    return found


def save_carrier(db: sqlite_utils.Database, carrier: Carrier, active: bool = True) -> None:
    with transaction(db):
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
                int(active),
            ),
        )


def rates(db: sqlite_utils.Database) -> list[Rate]:
    return [
        Rate(c.upper(), s, z, tuple(p.split()), w, f, e)
        for c, s, z, p, w, f, e in db.execute("SELECT * FROM rates").fetchall()
    ]


def replace_rates(db: sqlite_utils.Database, new: Iterable[Rate]) -> int:
    """Replace the rates of every carrier and service the new rows name."""
    new = list(new)
    with transaction(db):
        db.conn.executemany(
            "DELETE FROM rates WHERE carrier = ? AND service = ?",
            sorted({(r.carrier, r.service) for r in new}),
        )
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
    """The router of a data folder's rules (the defaults without a folder).

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
    return Router(
        rules,
        RateTable(rates(db)),
        carriers(db),
        settings["carrier.default"],
        settings["routing.cost_alert_percent"],
    )


def parcel_for(db: sqlite_utils.Database, order: Order, weight_g: int) -> Parcel:
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
    return Parcel(
        order_no=order.order_no,
        province=order.recipient.province,
        categories=order.categories,
        declared_value_fen=declared,
        order_value_fen=order.order_value_fen,
        weight_g=weight_g,
    )

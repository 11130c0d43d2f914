"""What a supervisor sets once at the hub for every bench: products, carriers, rate
tables, routing rules and users with their PIN hashes.

Each kind is a table with a revision per row, from one sequence. A write locks its
table against other writers first (readers are not blocked), then takes its
revisions: a writer's revisions are all above those of every writer committed
before it, so a bench that has applied up to revision R has seen every row at or
below R, and asks only for what is newer. A row whose content is unchanged keeps
its revision, so importing the same file again sends nothing to the benches.

Every change is written to the hub's audit table, naming who made it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from station.core.carriers import CARRIERS, Carrier
from station.core.model import Product
from station.core.permissions import Role
from station.core.rates import Rate
from station.hub.kinds import Kind
from station.store.catalogue import CarrierEntry
from station.store.users import HashedAccount

TABLES = {
    Kind.PRODUCTS: "products",
    Kind.CARRIERS: "carriers",
    Kind.RATES: "rate_tables",
    Kind.ROUTING: "routing_rules",
    Kind.USERS: "users",
}


class UserExists(ValueError):
    pass


@dataclass(frozen=True)
class Changes:
    """Rows newer than a bench's revision, oldest first, and the last revision read."""

    rows: list[Any]
    last: int


def _lock(conn: psycopg.Connection, kind: Kind) -> None:
    """Call inside a transaction: one writer per kind at a time (see the module's doc)."""
    conn.execute(f"LOCK TABLE {TABLES[kind]} IN SHARE ROW EXCLUSIVE MODE")


def _audit(conn: psycopg.Connection, actor: str, kind: Kind, bench: str, detail: str) -> None:
    conn.execute(
        "INSERT INTO audit (actor, action, bench, detail) VALUES (%s, %s, %s, %s)",
        [actor, f"catalogue_{kind.value}", bench, detail],
    )


def product_json(product: Product) -> dict[str, Any]:
    """A product as every bench gets it: not the weight one bench learned."""
    data = asdict(product)
    data.pop("learned_weight_g")
    data["barcodes"] = list(product.barcodes)
    return data


def product_from_json(data: dict[str, Any]) -> Product:
    return Product(**{**data, "barcodes": tuple(data["barcodes"])})


def put_products(
    conn: psycopg.Connection, products: Sequence[Product], actor: str, bench: str, source: str
) -> int:
    """Add or change products; returns how many were new or changed. A barcode that
    now belongs to another product is taken off the product that had it (a new
    revision for it too), as a bench's store moves a barcode to its new SKU."""
    rows = [(p.sku, Jsonb(product_json(p))) for p in products]
    with conn.transaction(), conn.cursor() as cur:
        _lock(conn, Kind.PRODUCTS)
        cur.executemany(
            """INSERT INTO products (sku, data) VALUES (%s, %s)
               ON CONFLICT ((lower(sku))) DO UPDATE
                 SET sku = excluded.sku, data = excluded.data,
                     revision = nextval('catalogue_revision'), updated_at = now()
                 WHERE products.data IS DISTINCT FROM excluded.data""",
            rows,
        )
        changed = max(cur.rowcount, 0)
        cur.execute("CREATE TEMPORARY TABLE given (barcode TEXT, sku TEXT) ON COMMIT DROP")
        with cur.copy("COPY given (barcode, sku) FROM STDIN") as copy:
            for product in products:
                for barcode in product.barcodes:
                    copy.write_row((barcode, product.sku))
        cur.execute("ANALYZE given")  # a hash join, not a loop over every pair
        cur.execute(
            """UPDATE products p SET
                 data = jsonb_set(p.data, '{barcodes}', COALESCE(
                   (SELECT jsonb_agg(b) FROM jsonb_array_elements_text(p.data->'barcodes') b
                    WHERE lower(b) <> ALL (moved.barcodes)), '[]'::jsonb)),
                 revision = nextval('catalogue_revision'), updated_at = now()
               FROM (SELECT o.sku, array_agg(lower(b)) AS barcodes
                     FROM products o
                     CROSS JOIN LATERAL jsonb_array_elements_text(o.data->'barcodes') b
                     JOIN given g ON lower(g.barcode) = lower(b)
                     WHERE lower(g.sku) <> lower(o.sku)
                     GROUP BY o.sku) moved
               WHERE p.sku = moved.sku"""
        )
        _audit(conn, actor, Kind.PRODUCTS, bench, f"{source}: {changed} of {len(rows)} changed")
    return changed


def known_carriers(conn: psycopg.Connection) -> dict[str, CarrierEntry]:
    """The hub's carriers over the built-in ones: what a carriers file is merged onto
    (a column left out keeps this value)."""
    known = {code: CarrierEntry(c) for code, c in CARRIERS.items()}
    for (data,) in conn.execute("SELECT data FROM carriers ORDER BY code"):
        entry = carrier_from_json(_loaded(data))
        known[entry.code] = entry
    return known


def carrier_from_json(data: dict[str, Any]) -> CarrierEntry:
    carrier = Carrier(
        data["code"],
        data["name_zh"],
        data["name_en"],
        data["pattern"],
        data["tracking_url"],
        tuple(data["services"]),
    )
    return CarrierEntry(carrier, bool(data["active"]))


def put_carriers(
    conn: psycopg.Connection, entries: Sequence[CarrierEntry], actor: str, bench: str, source: str
) -> list[str]:
    """Add or change carriers; returns the codes changed."""
    changed: list[str] = []
    with conn.transaction():
        _lock(conn, Kind.CARRIERS)
        for entry in entries:
            row = conn.execute(
                """INSERT INTO carriers (code, data) VALUES (%s, %s)
                   ON CONFLICT (code) DO UPDATE
                     SET data = excluded.data, revision = nextval('catalogue_revision'),
                         updated_at = now()
                     WHERE carriers.data IS DISTINCT FROM excluded.data
                   RETURNING code""",
                [entry.code, Jsonb(entry.as_dict())],
            ).fetchone()
            if row is not None:
                changed.append(row[0])
        _audit(conn, actor, Kind.CARRIERS, bench, f"{source}: {', '.join(changed) or 'none'}")
    return changed


def rate_json(rate: Rate) -> dict[str, Any]:
    return {**asdict(rate), "provinces": list(rate.provinces)}


def rate_from_json(data: dict[str, Any]) -> Rate:
    return Rate(**{**data, "provinces": tuple(data["provinces"])})


def put_rates(
    conn: psycopg.Connection, rates: Sequence[Rate], actor: str, bench: str, source: str
) -> list[str]:
    """Replace the rate table of each carrier and service the rates name, as a bench's
    own rates import does; returns the tables changed ("CODE service")."""
    tables: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rate in sorted(rates, key=lambda r: (r.carrier.upper(), r.service, r.zone)):
        tables.setdefault((rate.carrier.upper(), rate.service), []).append(
            rate_json(Rate(**{**asdict(rate), "carrier": rate.carrier.upper()}))
        )
    changed: list[str] = []
    with conn.transaction():
        _lock(conn, Kind.RATES)
        for (carrier, service), zones in tables.items():
            row = conn.execute(
                """INSERT INTO rate_tables (carrier, service, zones) VALUES (%s, %s, %s)
                   ON CONFLICT (carrier, service) DO UPDATE
                     SET zones = excluded.zones, revision = nextval('catalogue_revision'),
                         updated_at = now()
                     WHERE rate_tables.zones IS DISTINCT FROM excluded.zones
                   RETURNING carrier""",
                [carrier, service, Jsonb(zones)],
            ).fetchone()
            if row is not None:
                changed.append(f"{carrier} {service}")
        _audit(conn, actor, Kind.RATES, bench, f"{source}: {', '.join(changed) or 'none'}")
    return changed


def put_routing(conn: psycopg.Connection, rules: str, actor: str, bench: str, source: str) -> bool:
    """Set the routing rules (checked by the caller); True if they changed."""
    with conn.transaction():
        _lock(conn, Kind.ROUTING)
        row = conn.execute(
            """INSERT INTO routing_rules (rules) VALUES (%s)
               ON CONFLICT (one) DO UPDATE
                 SET rules = excluded.rules, revision = nextval('catalogue_revision'),
                     updated_at = now()
                 WHERE routing_rules.rules IS DISTINCT FROM excluded.rules
               RETURNING revision""",
            [rules],
        ).fetchone()
        _audit(conn, actor, Kind.ROUTING, bench, f"{source}: {'changed' if row else 'unchanged'}")
    return row is not None


def routing(conn: psycopg.Connection) -> str | None:
    row = conn.execute("SELECT rules FROM routing_rules").fetchone()
    return row[0] if row else None


def accounts(conn: psycopg.Connection) -> list[HashedAccount]:
    return [
        HashedAccount(name, Role(role), pin_hash, active, rule_ok)
        for name, role, pin_hash, active, rule_ok in conn.execute(
            "SELECT name, role, pin_hash, active, pin_rule_ok FROM users ORDER BY lower(name)"
        )
    ]


def add_user(conn: psycopg.Connection, account: HashedAccount, actor: str, bench: str) -> None:
    """A new user; raises UserExists when an active one has that name (a removed
    one is brought back with the new role and PIN)."""
    with conn.transaction():
        _lock(conn, Kind.USERS)
        row = conn.execute(
            """INSERT INTO users (name, role, pin_hash, pin_rule_ok) VALUES (%s, %s, %s, %s)
               ON CONFLICT ((lower(name))) DO UPDATE
                 SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
                     pin_rule_ok = excluded.pin_rule_ok, active = true,
                     revision = nextval('catalogue_revision'), updated_at = now()
                 WHERE NOT users.active
               RETURNING name""",
            [account.name, account.role.value, account.pin_hash, account.pin_rule_ok],
        ).fetchone()
        if row is None:
            raise UserExists(f"a user named {account.name} already exists at the hub")
        _audit(conn, actor, Kind.USERS, bench, f"add {account.name} ({account.role.value})")


def set_pin(
    conn: psycopg.Connection, name: str, pin_hash: str, actor: str, bench: str
) -> str | None:
    """Give an active user a new PIN (its hash, checked by the caller against the
    role's rule); the user's name as the hub spells it, or None for no such user."""
    with conn.transaction():
        _lock(conn, Kind.USERS)
        row = conn.execute(
            """UPDATE users SET pin_hash = %s, pin_rule_ok = true,
                 revision = nextval('catalogue_revision'), updated_at = now()
               WHERE lower(name) = lower(%s) AND active RETURNING name""",
            [pin_hash, name.strip()],
        ).fetchone()
        if row is not None:
            _audit(conn, actor, Kind.USERS, bench, f"set-pin {row[0]}")
    return row[0] if row else None


def role_of(conn: psycopg.Connection, name: str) -> Role | None:
    """The role of an active user at the hub, or None."""
    row = conn.execute(
        "SELECT role FROM users WHERE lower(name) = lower(%s) AND active", [name.strip()]
    ).fetchone()
    return Role(row[0]) if row else None


def remove_user(conn: psycopg.Connection, name: str, actor: str, bench: str) -> bool:
    """Stop a user signing in at every bench (kept, inactive, so benches hear of it);
    False when there is no active user of that name."""
    with conn.transaction():
        _lock(conn, Kind.USERS)
        row = conn.execute(
            """UPDATE users SET active = false, revision = nextval('catalogue_revision'),
                 updated_at = now()
               WHERE lower(name) = lower(%s) AND active RETURNING name""",
            [name.strip()],
        ).fetchone()
        if row is not None:
            _audit(conn, actor, Kind.USERS, bench, f"remove {row[0]}")
    return row is not None


def put_accounts(
    conn: psycopg.Connection, given: Iterable[HashedAccount], actor: str, bench: str, source: str
) -> list[str]:
    """Add or change users as a bench holds them (its published users); returns the
    names changed."""
    changed: list[str] = []
    with conn.transaction():
        _lock(conn, Kind.USERS)
        for account in given:
            row = conn.execute(
                """INSERT INTO users (name, role, pin_hash, pin_rule_ok, active)
                   VALUES (%s, %s, %s, %s, %s)
                   ON CONFLICT ((lower(name))) DO UPDATE
                     SET role = excluded.role, pin_hash = excluded.pin_hash,
                         pin_rule_ok = excluded.pin_rule_ok, active = excluded.active,
                         revision = nextval('catalogue_revision'), updated_at = now()
                     WHERE (users.role, users.pin_hash, users.pin_rule_ok, users.active)
                       IS DISTINCT FROM (excluded.role, excluded.pin_hash,
                                         excluded.pin_rule_ok, excluded.active)
                   RETURNING name""",
                [
                    account.name,
                    account.role.value,
                    account.pin_hash,
                    account.pin_rule_ok,
                    account.active,
                ],
            ).fetchone()
            if row is not None:
                changed.append(row[0])
        _audit(conn, actor, Kind.USERS, bench, f"{source}: {', '.join(changed) or 'none'}")
    return changed


_SINCE = {
    Kind.PRODUCTS: "SELECT data, revision FROM products",
    Kind.CARRIERS: "SELECT data, revision FROM carriers",
    Kind.RATES: "SELECT zones, revision FROM rate_tables",
    Kind.ROUTING: "SELECT rules, revision FROM routing_rules",
    Kind.USERS: "SELECT name, role, pin_hash, active, pin_rule_ok, revision FROM users",
}


def since(conn: psycopg.Connection, kind: Kind, revision: int, limit: int) -> Changes:
    """What changed in one kind after `revision`: products as Product, carriers as
    CarrierEntry, rate tables as lists of Rate, routing rules as text, users as
    HashedAccount; oldest first."""
    found = conn.execute(
        _SINCE[kind] + " WHERE revision > %s ORDER BY revision LIMIT %s", [revision, limit]
    ).fetchall()
    if not found:
        return Changes([], revision)
    return Changes([_row(kind, row[:-1]) for row in found], int(found[-1][-1]))


def _row(kind: Kind, row: Sequence[Any]) -> Any:
    if kind is Kind.PRODUCTS:
        return product_from_json(_loaded(row[0]))
    if kind is Kind.CARRIERS:
        return carrier_from_json(_loaded(row[0]))
    if kind is Kind.RATES:
        return [rate_from_json(zone) for zone in _loaded(row[0])]
    if kind is Kind.ROUTING:
        return row[0]
    name, role, pin_hash, active, rule_ok = row
    return HashedAccount(name, Role(role), pin_hash, active, rule_ok)


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value

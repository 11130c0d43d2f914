"""Orders and products: lookups for the bench and writes for demo data and imports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from station.core.model import (
    Contact,
    LabelState,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ShippedInfo,
)
from station.core.problem_texts import Text, from_stored, stored
from station.store.batches import write_in_batches
from station.store.crypto import (
    NOTE_COLUMN,
    PERSONAL_COLUMNS,
    FieldCipher,
    cipher_for,
    name_index,
    phone_last4,
    reveal,
    seal,
)
from station.store.db import now_utc
from station.store.flags import flags_of

_ORDER_BY_NO = "SELECT * FROM orders WHERE order_no = ?"
_ORDER_BY_PICK = "SELECT * FROM orders WHERE pick_code = ?"
_LINES = """
SELECT l.line_no, l.sku, l.name, l.quantity,
       COALESCE(p.learned_weight_g, p.weight_g) AS unit_weight_g,
       COALESCE(p.category, '') AS category, COALESCE(p.image, '') AS image,
       (SELECT group_concat(b.barcode, char(31)) FROM product_barcodes b
         WHERE b.sku = l.sku) AS barcodes
FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
WHERE l.order_no = ? ORDER BY l.line_no
"""
_LIVE_SHIPMENT = """
SELECT id, recorded_at, packer, station, carrier, tracking_no FROM shipments
WHERE order_no = ? AND voided_at IS NULL
"""


def find_order(db: sqlite_utils.Database, code: str) -> Order | None:
    """The order a scan names: its number, else the barcode on its pick list."""
    code = code.strip()
    row = _one(db, _ORDER_BY_NO, code) or _one(db, _ORDER_BY_PICK, code)
    return None if row is None else _order_from_row(db, row)


def _one(db: sqlite_utils.Database, sql: str, *params: object) -> dict[str, Any] | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def _order_from_row(db: sqlite_utils.Database, row: dict[str, Any]) -> Order:
    lines = tuple(
        OrderLine(
            line_no=line_no,
            sku=sku,
            name=name,
            quantity=quantity,
            unit_weight_g=weight,
            category=category,
            image=image,
            barcodes=tuple(barcodes.split("\x1f")) if barcodes else (),
        )
        for line_no, sku, name, quantity, weight, category, image, barcodes in db.execute(
            _LINES, (row["order_no"],)
        ).fetchall()
    )
    shipped = _one(db, _LIVE_SHIPMENT, row["order_no"])
    flags = flags_of(db, row["order_no"])
    sender = None
    if row["sender_name"]:
        sender = Contact(row["sender_name"], row["sender_phone"], row["sender_address"])
    return Order(
        order_no=row["order_no"],
        status=OrderStatus(row["status"]),
        hold_reason=row["hold_reason"],
        hold_text=from_stored(row["hold_key"], row["hold_params"]),
        recipient=Contact(
            name=reveal(db, "recipient_name", row["recipient_name"]),
            phone=reveal(db, "recipient_phone", row["recipient_phone"]),
            address=reveal(db, "address", row["address"]),
            province=row["province"],
            city=row["city"],
            district=row["district"],
        ),
        lines=lines,
        buyer_note=reveal(db, NOTE_COLUMN, row["buyer_note"]),
        carrier=row["carrier"],
        service=row["service"],
        sender=sender,
        order_value_fen=row["order_value_fen"],
        source=row["source"],
        flags=tuple(f.detail for f in flags),
        flag_texts=tuple(f.text for f in flags),
        shipped=ShippedInfo(
            shipment_id=shipped["id"],
            recorded_at=shipped["recorded_at"],
            packer=shipped["packer"],
            station=shipped["station"],
            carrier=shipped["carrier"],
            tracking_no=shipped["tracking_no"],
        )
        if shipped
        else None,
    )


def order_numbers(
    db: sqlite_utils.Database, status: str | None = None, flagged: bool = False
) -> list[str]:
    """Order numbers, newest first; only those in `status`, only flagged ones."""
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if flagged:
        where.append("order_no IN (SELECT order_no FROM order_flags)")
    sql = "SELECT order_no FROM orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [n for (n,) in db.execute(sql + " ORDER BY created_at DESC, order_no", params)]


def find_product(db: sqlite_utils.Database, code: str) -> Product | None:
    """A product by SKU or any of its barcodes."""
    code = code.strip()
    row = _one(db, "SELECT * FROM products WHERE sku = ?", code)
    if row is None:
        row = _one(
            db,
            "SELECT p.* FROM product_barcodes b JOIN products p ON p.sku = b.sku "
            "WHERE b.barcode = ?",
            code,
        )
    if row is None:
        return None
    barcodes = tuple(
        b for (b,) in db.execute("SELECT barcode FROM product_barcodes WHERE sku = ?", [row["sku"]])
    )
    return Product(
        sku=row["sku"],
        name=row["name"],
        barcodes=barcodes,
        weight_g=row["weight_g"],
        learned_weight_g=row["learned_weight_g"],
        category=row["category"],
        declared_value_fen=row["declared_value_fen"],
        image=row["image"],
    )


@dataclass(frozen=True)
class NewLine:
    sku: str
    name: str
    quantity: int


def save_products(db: sqlite_utils.Database, products: Iterable[Product]) -> int:
    """Insert or update products and their barcodes. Returns how many were saved."""
    stamp = now_utc()
    count = 0
    for product in products:
        db.execute(
            """INSERT INTO products (sku, name, weight_g, category, declared_value_fen, image,
                                     updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(sku) DO UPDATE SET name=excluded.name, weight_g=excluded.weight_g,
                 category=excluded.category, declared_value_fen=excluded.declared_value_fen,
                 image=excluded.image, updated_at=excluded.updated_at""",
            (
                product.sku,
                product.name,
                product.weight_g,
                product.category,
                product.declared_value_fen,
                product.image,
                stamp,
            ),
        )
        for barcode in product.barcodes:
            db.execute(
                "INSERT INTO product_barcodes (barcode, sku) VALUES (?, ?) "
                "ON CONFLICT(barcode) DO UPDATE SET sku=excluded.sku",
                (barcode, product.sku),
            )
        count += 1
    return count


def save_products_in_batches(db: sqlite_utils.Database, products: Sequence[Product]) -> int:
    """`save_products` in short transactions (`station.store.batches`), each product whole
    with its barcodes, so that a bench recording beside a large catalogue import never
    waits long. Returns how many were saved."""
    write_in_batches(db, products, lambda batch: batch, save_products)
    return len(products)


def save_order(
    db: sqlite_utils.Database,
    order_no: str,
    recipient: Contact,
    lines: Iterable[NewLine],
    **fields: object,
) -> bool:
    """Insert an order, or update it while it is unshipped. Returns False for a shipped one.

    `fields` are other `orders` columns (pick_code, buyer_note, carrier, status, ...);
    a `hold_reason` given as a `Text` is stored as its English with its key beside it,
    as a plain string with no key.
    """
    if "hold_reason" in fields:
        reason = fields["hold_reason"]
        fields = {**fields, **_hold_columns(reason if isinstance(reason, Text) else str(reason))}
    if NOTE_COLUMN in fields:
        fields = {**fields, NOTE_COLUMN: seal(db, NOTE_COLUMN, str(fields[NOTE_COLUMN] or ""))}
    existing = _one(db, "SELECT status FROM orders WHERE order_no = ?", order_no)
    if existing is not None and existing["status"] == OrderStatus.SHIPPED:
        return False
    stamp = now_utc()
    values = {
        "order_no": order_no,
        "recipient_name": seal(db, "recipient_name", recipient.name),
        "recipient_phone": seal(db, "recipient_phone", recipient.phone),
        "address": seal(db, "address", recipient.address),
        "phone_last4": phone_last4(recipient.phone),
        "name_index": name_index(db, recipient.name),
        "province": recipient.province,
        "city": recipient.city,
        "district": recipient.district,
        "created_at": stamp,
        "updated_at": stamp,
        **fields,
    }
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    updates = ", ".join(f"{c}=excluded.{c}" for c in values if c not in ("order_no", "created_at"))
    db.execute(
        f"INSERT INTO orders ({columns}) VALUES ({marks}) "
        f"ON CONFLICT(order_no) DO UPDATE SET {updates}",
        list(values.values()),
    )
    db.execute("DELETE FROM order_lines WHERE order_no = ?", [order_no])
    db.conn.executemany(
        "INSERT INTO order_lines (order_no, line_no, sku, name, quantity) VALUES (?, ?, ?, ?, ?)",
        [(order_no, i, ln.sku, ln.name, ln.quantity) for i, ln in enumerate(lines, start=1)],
    )
    return True


def set_status(
    db: sqlite_utils.Database, order_no: str, status: OrderStatus, reason: str | Text | None
) -> None:
    """The order's status and hold reason (a `Text`, or a plain string for one typed
    by a person; None or "" for no reason)."""
    held = _hold_columns(reason)
    db.execute(
        "UPDATE orders SET status = ?, hold_reason = ?, hold_key = ?, hold_params = ?, "
        "updated_at = ? WHERE order_no = ?",
        (
            status.value,
            held["hold_reason"],
            held["hold_key"],
            held["hold_params"],
            now_utc(),
            order_no,
        ),
    )


def _hold_columns(reason: str | Text | None) -> dict[str, str]:
    """The hold_reason, hold_key and hold_params columns of a hold reason."""
    key, params = stored(reason if isinstance(reason, Text) else None)
    return {"hold_reason": str(reason or ""), "hold_key": key, "hold_params": params}


# -- bulk writes for file imports ---------------------------------------------

_CHUNK = 500


@dataclass(frozen=True)
class ExistingOrder:
    """What an import needs to know of an order already in the database."""

    order_no: str
    status: OrderStatus
    hold_reason: str
    tracking_no: str | None
    label_printed: bool
    hold_key: str = ""
    hold_params: str = "{}"

    @property
    def shipped(self) -> bool:
        return self.status is OrderStatus.SHIPPED or self.tracking_no is not None


def existing_orders(
    db: sqlite_utils.Database, order_nos: Sequence[str]
) -> dict[str, ExistingOrder]:
    """The known orders among `order_nos`, keyed by upper-case order number."""
    found: dict[str, ExistingOrder] = {}
    for start in range(0, len(order_nos), _CHUNK):
        chunk = order_nos[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for order_no, status, reason, tracking, label, key, params in db.execute(
            f"""SELECT o.order_no, o.status, o.hold_reason, s.tracking_no, s.label_status,
                       o.hold_key, o.hold_params
                FROM orders o LEFT JOIN shipments s
                  ON s.order_no = o.order_no AND s.voided_at IS NULL
                WHERE o.order_no IN ({marks})""",
            chunk,
        ).fetchall():
            found[order_no.upper()] = ExistingOrder(
                order_no,
                OrderStatus(status),
                reason,
                tracking,
                label == LabelState.PRINTED,
                key,
                params,
            )
    return found


def held_or_shipped(
    db: sqlite_utils.Database, order_nos: Sequence[str]
) -> dict[str, ExistingOrder]:
    """Those of `order_nos` that are on hold or shipped now, keyed by upper-case order
    number: what an import must look at again when the bench may have held or
    shipped orders since its plan. Narrower than `existing_orders`, so quick enough
    to run inside every batch of a large import."""
    found: dict[str, ExistingOrder] = {}
    for start in range(0, len(order_nos), _CHUNK):
        chunk = order_nos[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for order_no, status, reason, key, params in db.execute(
            f"""SELECT order_no, status, hold_reason, hold_key, hold_params FROM orders
                WHERE order_no IN ({marks}) AND status IN ('hold', 'shipped')""",
            chunk,
        ).fetchall():
            found[order_no.upper()] = ExistingOrder(
                order_no, OrderStatus(status), reason, None, False, key, params
            )
        for (order_no,) in db.execute(
            f"SELECT order_no FROM shipments WHERE voided_at IS NULL AND order_no IN ({marks})",
            chunk,
        ).fetchall():
            held = found.get(order_no.upper())
            found[order_no.upper()] = ExistingOrder(
                order_no,
                held.status if held else OrderStatus.SHIPPED,
                held.hold_reason if held else "",
                "?",
                False,
            )
    return found


def orders_with_payment(
    db: sqlite_utils.Database, payment_nos: Sequence[str]
) -> list[tuple[str, str, str]]:
    """(order_no, payment_no, status) of stored orders paid with any of these numbers."""
    pairs: list[tuple[str, str, str]] = []
    for start in range(0, len(payment_nos), _CHUNK):
        chunk = payment_nos[start : start + _CHUNK]
        pairs += db.execute(
            f"SELECT order_no, payment_no, status FROM orders WHERE payment_no IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    return pairs


def dedupe_key(
    cipher: FieldCipher, name: str, phone: str, address: str, items: Iterable[tuple[str, int]]
) -> str:
    """Who, where and what of an order, for the 24-hour duplicate check. Keyed like
    the name index, so the database file alone cannot confirm a guessed recipient."""
    text = "|".join(
        (
            name.strip(),
            phone.strip(),
            "".join(address.split()),
            *sorted(f"{sku.upper()}*{quantity}" for sku, quantity in items),
        )
    )
    return cipher.digest("order-dedupe", text)


def recent_fingerprints(db: sqlite_utils.Database, since: str) -> list[tuple[str, str, str, str]]:
    """(order_no, dedupe_key, ordered_at, status) of orders placed since `since`."""
    return db.execute(
        "SELECT order_no, dedupe_key, ordered_at, status FROM orders "
        "WHERE dedupe_key != '' AND ordered_at >= ?",
        [since],
    ).fetchall()


IMPORT_COLUMNS = (
    "order_no",
    "pick_code",
    "status",
    "hold_reason",
    "hold_key",
    "hold_params",
    "source",
    "recipient_name",
    "recipient_phone",
    "address",
    "province",
    "city",
    "district",
    "buyer_note",
    "carrier",
    "service",
    "order_value_fen",
    "ordered_at",
    "payment_no",
    "dedupe_key",
    "upstream_status",
)


def sealed_rows(
    db: sqlite_utils.Database, rows: Sequence[Sequence[object]]
) -> list[tuple[object, ...]]:
    """Import rows (values in `IMPORT_COLUMNS` order) ready for `upsert_orders`: personal
    columns encrypted, search columns and time stamps added. Needs no transaction, so an
    import does this work while the write lock is free for others."""
    return _sealed(db, rows, now_utc())


def upsert_orders(
    db: sqlite_utils.Database,
    sealed: Sequence[Sequence[object]],
    lines: Sequence[tuple[str, int, str, str, int]],
    updated: Sequence[str],
) -> None:
    """Insert or update many orders (rows from `sealed_rows`) and replace their lines;
    `updated` names the orders that were already stored (only theirs have old lines to
    delete). The caller has left shipped orders out. Call inside a transaction."""
    searchable = ("phone_last4", "name_index")
    columns = ", ".join((*IMPORT_COLUMNS, *searchable, "created_at", "updated_at"))
    marks = ", ".join("?" * (len(IMPORT_COLUMNS) + 4))
    updates = ", ".join(
        f"{c}=excluded.{c}" for c in (*IMPORT_COLUMNS[1:], *searchable, "updated_at")
    )
    db.conn.executemany(
        f"INSERT INTO orders ({columns}) VALUES ({marks}) "
        f"ON CONFLICT(order_no) DO UPDATE SET {updates}",
        sealed,
    )
    db.conn.executemany("DELETE FROM order_lines WHERE order_no = ?", [(n,) for n in updated])
    db.conn.executemany(
        "INSERT INTO order_lines (order_no, line_no, sku, name, quantity) VALUES (?, ?, ?, ?, ?)",
        lines,
    )


# The personal columns sit side by side in an import row: name, phone, address.
_NAME_AT = IMPORT_COLUMNS.index("recipient_name")
_PERSONAL = slice(_NAME_AT, _NAME_AT + len(PERSONAL_COLUMNS))
assert IMPORT_COLUMNS[_PERSONAL.start : _PERSONAL.stop] == PERSONAL_COLUMNS
_NOTE_AT = IMPORT_COLUMNS.index(NOTE_COLUMN)
assert _PERSONAL.stop < _NOTE_AT


def _sealed(
    db: sqlite_utils.Database, rows: Sequence[Sequence[object]], stamp: str
) -> list[tuple[object, ...]]:
    """Import rows with their personal columns and buyer note encrypted, each followed
    by the phone's last four, the name's fingerprint and the time stamps. Column by
    column, so each column's encryption runs as one batch."""
    cipher = cipher_for(db)
    names, phones, addresses = (
        [str(row[at]) for row in rows] for at in range(_PERSONAL.start, _PERSONAL.stop)
    )
    notes = cipher.seal_many(NOTE_COLUMN, [str(row[_NOTE_AT] or "") for row in rows])
    before = slice(0, _PERSONAL.start)
    between, after = slice(_PERSONAL.stop, _NOTE_AT), slice(_NOTE_AT + 1, None)
    return [
        (
            *row[before],
            *personal,
            *row[between],
            note,
            *row[after],
            phone_last4(phone),
            cipher.blind(name),
            stamp,
            stamp,
        )
        for row, name, phone, personal, note in zip(
            rows,
            names,
            phones,
            zip(
                cipher.seal_many("recipient_name", names),
                cipher.seal_many("recipient_phone", phones),
                cipher.seal_many("address", addresses),
                strict=True,
            ),
            notes,
            strict=True,
        )
    ]


def pick_code_owners(db: sqlite_utils.Database, codes: Sequence[str]) -> dict[str, str]:
    """pick_code (upper case) -> the order holding it, for stored orders."""
    owners: dict[str, str] = {}
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        for order_no, code in db.execute(
            f"SELECT order_no, pick_code FROM orders WHERE pick_code IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            owners[code.upper()] = order_no
    return owners

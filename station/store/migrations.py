"""Schema migrations, in order. Never edit a released step: add a new one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

import sqlite_utils

from station.store.migration_steps import routing_seed, sealing_v1


class FolderKeys(Protocol):
    """The data folder's key, handed to the steps by whoever opens the database
    (station.store.db): where keys are kept is the live station's business, not a
    step's, so no step imports it. What a step computes with the key is frozen."""

    def key(self) -> bytes:
        """The key, found (or made for a database that has none); raises when the
        data is encrypted and its key cannot be had."""
        ...

    def key_if_found(self) -> bytes | None:
        """The key, or None when the data is encrypted and its key cannot be had."""
        ...


SCHEMA_1 = [
    """CREATE TABLE products (
    sku TEXT PRIMARY KEY COLLATE NOCASE,
    name TEXT NOT NULL,
    weight_g INTEGER CHECK (weight_g IS NULL OR weight_g >= 0),
    learned_weight_g INTEGER,
    category TEXT NOT NULL DEFAULT '',
    declared_value_fen INTEGER,
    image TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
)""",
    """CREATE TABLE product_barcodes (
    barcode TEXT PRIMARY KEY COLLATE NOCASE,
    sku TEXT NOT NULL REFERENCES products(sku) ON DELETE CASCADE
)""",
    "CREATE INDEX product_barcodes_sku ON product_barcodes(sku)",
    """CREATE TABLE orders (
    order_no TEXT PRIMARY KEY COLLATE NOCASE,
    pick_code TEXT COLLATE NOCASE,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'hold', 'cancelled', 'refunded', 'shipped')),
    hold_reason TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    recipient_name TEXT NOT NULL,
    recipient_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    buyer_note TEXT NOT NULL DEFAULT '',
    carrier TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    sender_phone TEXT NOT NULL DEFAULT '',
    sender_address TEXT NOT NULL DEFAULT '',
    order_value_fen INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    "CREATE UNIQUE INDEX orders_pick_code ON orders(pick_code) WHERE pick_code IS NOT NULL",
    """CREATE TABLE order_lines (
    order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    sku TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_no, line_no)
) WITHOUT ROWID""",
    """CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL REFERENCES orders(order_no) COLLATE NOCASE,
    carrier TEXT NOT NULL,
    service TEXT NOT NULL DEFAULT '',
    tracking_no TEXT NOT NULL COLLATE NOCASE,
    tracking_source TEXT NOT NULL CHECK (tracking_source IN ('pool', 'scanned')),
    weight_g INTEGER NOT NULL CHECK (weight_g > 0),
    expected_weight_g INTEGER,
    packer TEXT NOT NULL,
    station TEXT NOT NULL,
    started_at TEXT NOT NULL,
    verified_at TEXT,
    weighed_at TEXT,
    recorded_at TEXT NOT NULL,
    label_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (label_status IN ('pending', 'printed', 'failed')),
    label_error TEXT NOT NULL DEFAULT '',
    print_count INTEGER NOT NULL DEFAULT 0,
    printed_at TEXT,
    voided_at TEXT,
    voided_by TEXT,
    void_reason TEXT
)""",
    """-- The same order must never get two live shipments by accident.
CREATE UNIQUE INDEX shipments_live_order ON shipments(order_no) WHERE voided_at IS NULL""",
    "CREATE UNIQUE INDEX shipments_live_tracking ON shipments(tracking_no) WHERE voided_at IS NULL",
    "CREATE INDEX shipments_recorded ON shipments(recorded_at)",
    """CREATE TABLE scan_events (
    id INTEGER PRIMARY KEY,
    shipment_id INTEGER REFERENCES shipments(id),
    order_no TEXT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    result TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    station TEXT NOT NULL,
    packer TEXT NOT NULL
)""",
    "CREATE INDEX scan_events_shipment ON scan_events(shipment_id)",
    "CREATE INDEX scan_events_at ON scan_events(at)",
    """CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    shipment_id INTEGER REFERENCES shipments(id),
    order_no TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    supervisor TEXT NOT NULL,
    reason TEXT NOT NULL,
    station TEXT NOT NULL
)""",
    """CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    shipment_id INTEGER REFERENCES shipments(id),
    order_no TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'attention')),
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX outbox_state ON outbox(state, id)",
    """CREATE TABLE tracking_pool (
    tracking_no TEXT PRIMARY KEY COLLATE NOCASE,
    carrier TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'used', 'void')),
    shipment_id INTEGER REFERENCES shipments(id),
    imported_at TEXT NOT NULL,
    used_at TEXT
)""",
    "CREATE INDEX tracking_pool_free ON tracking_pool(carrier, state, tracking_no)",
    """CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('packer', 'supervisor', 'admin')),
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
)""",
]


def _schema_1(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    _run(db, SCHEMA_1)


SCHEMA_DELIVERIES = [
    """-- One delivery state per upload-queue record per sync target. 'sending' is written
-- and committed before a request leaves, so after a crash the record is known to
-- be in doubt and its target checks upstream before sending it again.
CREATE TABLE deliveries (
    outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'done', 'attention', 'dismissed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    in_doubt INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    dismissed_by TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target, outbox_id)
) WITHOUT ROWID""",
    "CREATE INDEX deliveries_queue ON deliveries(target, state, outbox_id)",
    "CREATE INDEX deliveries_outbox ON deliveries(outbox_id)",
    """-- Small per-target values the uploader keeps across restarts (queue cursor,
-- last upload_time, order-pull watermark, last success and error).
CREATE TABLE sync_state (
    target TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (target, key)
) WITHOUT ROWID""",
    """-- What an upstream knows an order by (payer openid, transaction id, the shop's
-- product and sku ids), as JSON, saved when orders are pulled or imported.
CREATE TABLE order_refs (
    order_no TEXT PRIMARY KEY COLLATE NOCASE,
    upstream TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
]


def _deliveries(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    _run(db, SCHEMA_DELIVERIES)


SCHEMA_AUDIT_HANDOVER_REPORTS = [
    # Who did what protected thing, when and why. Append-only: the triggers refuse
    # every change, so the application cannot rewrite history.
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}',
        station TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX audit_at ON audit(at)",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END""",
    # Courier handovers: what was expected, scanned into the bag, missing or unexpected.
    """CREATE TABLE handovers (
        id INTEGER PRIMARY KEY,
        carrier TEXT NOT NULL,
        station TEXT NOT NULL,
        signed_by TEXT NOT NULL,
        courier TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        expected INTEGER NOT NULL,
        scanned INTEGER NOT NULL,
        missing INTEGER NOT NULL,
        unexpected INTEGER NOT NULL
    )""",
    """CREATE TABLE handover_items (
        handover_id INTEGER NOT NULL REFERENCES handovers(id),
        tracking_no TEXT NOT NULL COLLATE NOCASE,
        shipment_id INTEGER REFERENCES shipments(id),
        status TEXT NOT NULL CHECK (status IN ('scanned', 'missing', 'unexpected')),
        scanned_at TEXT,
        PRIMARY KEY (handover_id, tracking_no)
    ) WITHOUT ROWID""",
    "CREATE INDEX handover_items_tracking ON handover_items(tracking_no, status)",
    # Search: voided shipments too, recipient name prefix, the phone's last four digits.
    "CREATE INDEX shipments_order ON shipments(order_no)",
    "CREATE INDEX shipments_tracking ON shipments(tracking_no)",
    "CREATE INDEX orders_recipient_name ON orders(recipient_name)",
    "CREATE INDEX orders_phone_last4 ON orders(substr(recipient_phone, -4))",
    # Manifests and handovers: one carrier's parcels of a day.
    "CREATE INDEX shipments_carrier_recorded ON shipments(carrier, recorded_at)",
    # Dashboard: exceptions and overrides of a time range, upload queue by state.
    """CREATE INDEX scan_events_exceptions ON scan_events(at)
       WHERE result IN ('refused', 'mismatch')""",
    "CREATE INDEX overrides_at ON overrides(at)",
    "CREATE INDEX outbox_state_created ON outbox(state, created_at)",
]


def _audit_handover_reports(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    _run(db, SCHEMA_AUDIT_HANDOVER_REPORTS)


SCHEMA_IMPORT_ROUTING = [
    # Upstream facts an import brings: when the buyer ordered, the payment number
    # (duplicate payments), a fingerprint of recipient + address + items (suspected
    # duplicate orders) and the upstream status text as received.
    "ALTER TABLE orders ADD COLUMN ordered_at TEXT",
    "ALTER TABLE orders ADD COLUMN payment_no TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE orders ADD COLUMN dedupe_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE orders ADD COLUMN upstream_status TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX orders_payment_no ON orders(payment_no) WHERE payment_no != ''",
    "CREATE INDEX orders_dedupe_key ON orders(dedupe_key, ordered_at) WHERE dedupe_key != ''",
    # Problems found at import that the packer must confirm with a scan.
    """CREATE TABLE order_flags (
        order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('address', 'duplicate_order', 'duplicate_payment')),
        detail TEXT NOT NULL,
        PRIMARY KEY (order_no, kind, detail)
    ) WITHOUT ROWID""",
    # Upstream cancelled or refunded an order that already left or has its label:
    # the bench shows it loudly until someone acknowledges it.
    """CREATE TABLE order_alerts (
        id INTEGER PRIMARY KEY,
        order_no TEXT NOT NULL COLLATE NOCASE,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        station TEXT,
        UNIQUE (order_no, kind)
    )""",
    "CREATE INDEX order_alerts_open ON order_alerts(acknowledged_at, id)",
    # The editable carrier catalogue and rate tables, seeded from the built-in defaults.
    """CREATE TABLE carriers (
        code TEXT PRIMARY KEY COLLATE NOCASE,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        pattern TEXT NOT NULL,
        services TEXT NOT NULL,
        tracking_url TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE rates (
        carrier TEXT NOT NULL COLLATE NOCASE,
        service TEXT NOT NULL,
        zone TEXT NOT NULL,
        provinces TEXT NOT NULL,
        first_weight_g INTEGER NOT NULL CHECK (first_weight_g >= 0),
        first_fen INTEGER NOT NULL CHECK (first_fen >= 0),
        extra_fen_per_kg INTEGER NOT NULL CHECK (extra_fen_per_kg >= 0),
        PRIMARY KEY (carrier, service, zone)
    ) WITHOUT ROWID""",
]


def _import_routing(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """The carrier catalogue and rate tables, seeded with the step's own frozen copy."""
    _run(db, SCHEMA_IMPORT_ROUTING)
    db.conn.executemany(
        "INSERT INTO carriers (code, name_zh, name_en, pattern, services, tracking_url) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        routing_seed.CARRIERS,
    )
    db.conn.executemany("INSERT INTO rates VALUES (?, ?, ?, ?, ?, ?, ?)", routing_seed.RATES)


def _weight_samples(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Per-unit weights of single-SKU parcels, from which products learn their weight."""
    db.execute(
        """CREATE TABLE weight_samples (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL COLLATE NOCASE,
            grams_per_unit INTEGER NOT NULL CHECK (grams_per_unit > 0),
            shipment_id INTEGER REFERENCES shipments(id),
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX weight_samples_sku ON weight_samples(sku, id)")


def _privacy_at_rest(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Recipients' names, phones and addresses encrypted (station.store.crypto); the
    phone's last four digits kept in clear and the name as a keyed fingerprint, for search."""
    db.execute(
        """CREATE TABLE privacy_key (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            key_id TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("ALTER TABLE orders ADD COLUMN phone_last4 TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX orders_phone_last4_clear ON orders(phone_last4)")
    db.execute("ALTER TABLE orders ADD COLUMN name_index TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX orders_name_index ON orders(name_index)")
    # Overwrite the plaintext being replaced instead of leaving it in free space.
    db.execute("PRAGMA secure_delete = ON")
    key = keys.key()
    rows = db.execute(
        "SELECT order_no, recipient_name, recipient_phone, address FROM orders "
        "WHERE recipient_name NOT LIKE 'enc1:%' OR recipient_phone NOT LIKE 'enc1:%' "
        "OR address NOT LIKE 'enc1:%'"
    ).fetchall()
    columns = ("recipient_name", "recipient_phone", "address")
    db.conn.executemany(
        "UPDATE orders SET recipient_name = ?, recipient_phone = ?, address = ?, "
        "phone_last4 = COALESCE(?, phone_last4), name_index = ? WHERE order_no = ?",
        [
            (
                *(
                    value if sealing_v1.is_sealed(value) else sealing_v1.seal(key, column, value)
                    for column, value in zip(columns, values, strict=True)
                ),
                None if sealing_v1.is_sealed(values[1]) else sealing_v1.phone_last4(values[1]),
                sealing_v1.name_index(key, sealing_v1.reveal(key, "recipient_name", values[0])),
                order_no,
            )
            for order_no, *values in rows
            if any(v and not sealing_v1.is_sealed(v) for v in values)
        ],
    )


def _shipping_cost(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """What each parcel cost to ship, from the rate tables, against the order's value."""
    db.execute("ALTER TABLE shipments ADD COLUMN shipping_cost_fen INTEGER")


def _drop_plaintext_indexes(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """The name and phone-suffix indexes of before encryption index ciphertext now
    (search uses name_index and phone_last4): dead weight that cost an import of
    100,000 orders half a second."""
    db.execute("DROP INDEX IF EXISTS orders_recipient_name")
    db.execute("DROP INDEX IF EXISTS orders_phone_last4")


KEYED_DEDUPE_DAYS = 7


def _keyed_dedupe_keys(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """The duplicate-order fingerprint becomes keyed (station.store.orders.dedupe_key).
    The last week's orders get the new fingerprint, so a duplicate across the upgrade
    is still found; older fingerprints, which no 24-hour check reaches, are erased.
    Without the data folder's key (it is restored later) all are erased. The check
    reads the fingerprints of a time range, so they are indexed by order time (the old
    index by fingerprint made it read all of them)."""
    db.execute("DROP INDEX IF EXISTS orders_dedupe_key")
    db.execute(
        "CREATE INDEX IF NOT EXISTS orders_recent_dedupe ON orders(ordered_at) "
        "WHERE dedupe_key != ''"
    )

    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=KEYED_DEDUPE_DAYS)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    db.execute(
        "UPDATE orders SET dedupe_key = '' WHERE dedupe_key != '' "
        "AND (ordered_at IS NULL OR ordered_at < ?)",
        [since],
    )
    recent = db.execute(
        "SELECT order_no, recipient_name, recipient_phone, address FROM orders "
        "WHERE dedupe_key != ''"
    ).fetchall()
    if not recent:
        return
    key = keys.key_if_found()
    if key is None:
        db.execute("UPDATE orders SET dedupe_key = '' WHERE dedupe_key != ''")
        return
    items: dict[str, list[tuple[str, int]]] = {}
    for order_no, sku, quantity in db.execute(
        "SELECT l.order_no, l.sku, l.quantity FROM order_lines l "
        "JOIN orders o ON o.order_no = l.order_no WHERE o.dedupe_key != ''"
    ):
        items.setdefault(order_no.upper(), []).append((sku, quantity))
    db.conn.executemany(
        "UPDATE orders SET dedupe_key = ? WHERE order_no = ?",
        [
            (
                sealing_v1.dedupe_key(
                    key,
                    sealing_v1.reveal(key, "recipient_name", name),
                    sealing_v1.reveal(key, "recipient_phone", phone),
                    sealing_v1.reveal(key, "address", address),
                    items.get(order_no.upper(), ()),
                ),
                order_no,
            )
            for order_no, name, phone, address in recent
        ],
    )


def _pin_failures(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Wrong PINs, counted per prompt so that guessing one is locked out
    (station.store.users); a right PIN clears them."""
    db.execute(
        """CREATE TABLE pin_failures (
            id INTEGER PRIMARY KEY,
            who TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX pin_failures_who ON pin_failures(who, at)")


def _flag_texts(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Flags and alerts keep their English detail and gain the key and parameters of
    their text (station.core.problem_texts), so the interface shows them in its own
    language. Rows from before keep an empty key and are shown by their detail."""
    for table in ("order_flags", "order_alerts"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN text_key TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN params TEXT NOT NULL DEFAULT '{{}}'")


def _hold_texts(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Orders keep their English hold reason and gain the key and parameters of its
    text (station.core.problem_texts), so the bench shows it in the interface's
    language. Orders from before keep an empty key and show their English reason."""
    db.execute("ALTER TABLE orders ADD COLUMN hold_key TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE orders ADD COLUMN hold_params TEXT NOT NULL DEFAULT '{}'")


def _admin_pin_rule(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Whether a user's PIN meets their role's rule (station.store.users.pin_problem):
    1 yes, 0 no, NULL not known yet (set before the rule; learned at the next right
    PIN), so `station users list` can name admins whose PIN is too short. Wrong PINs
    are counted per account now: the shared count of PIN-only prompts goes."""
    db.execute("ALTER TABLE users ADD COLUMN pin_rule_ok INTEGER")
    db.execute("DELETE FROM pin_failures WHERE who = '*'")


def _audit_chain(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Audit rows get a keyed hash chain (station.store.audit_chain), existing rows
    chained now in id order; an INSERT that would replace a row is refused (REPLACE
    deletes without firing the delete trigger)."""
    db.execute("ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
    db.execute("DROP TRIGGER audit_no_update")
    key = keys.key()
    previous = ""
    hashes = []
    for row in db.execute(f"SELECT {', '.join(sealing_v1.AUDIT_COLUMNS)} FROM audit ORDER BY id"):
        previous = sealing_v1.audit_link(key, previous, row)
        hashes.append((previous, row[0]))
    db.conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", hashes)
    db.execute(
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
           BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
           WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
           BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END"""
    )


def _sealed_buyer_notes(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Buyers' notes are encrypted like names and addresses (station.store.crypto):
    they often hold a phone number or an address. The plaintext they replace is
    overwritten (secure_delete); opening the database checkpoints the WAL after a
    migration, so none lingers there either."""
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        key = keys.key()
        notes = db.execute(
            "SELECT order_no, buyer_note FROM orders "
            "WHERE buyer_note != '' AND buyer_note NOT LIKE 'enc1:%'"
        ).fetchall()
        db.conn.executemany(
            "UPDATE orders SET buyer_note = ? WHERE order_no = ?",
            [(sealing_v1.seal(key, "buyer_note", note), order_no) for order_no, note in notes],
        )
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")


def _delivery_sent_at(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """When a request that may change upstream last left for a record (`sent_at`,
    written and committed before it leaves) and what it carried that a resend must
    repeat (`sent_mark`: WeChat's upload_time). An in-doubt record is looked up only
    once its target's settle window has passed since `sent_at`, so a request still
    in flight upstream is seen. In-doubt rows from before count from their last start."""
    db.execute("ALTER TABLE deliveries ADD COLUMN sent_at TEXT")
    db.execute("ALTER TABLE deliveries ADD COLUMN sent_mark TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE deliveries SET sent_at = started_at WHERE in_doubt = 1")


def _unprinted_labels_index(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """The few live shipments whose label was never printed, listed at every start
    (shipments.unprinted): a small partial index instead of a scan of every shipment."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS shipments_unprinted ON shipments(id) "
        "WHERE print_count = 0 AND voided_at IS NULL"
    )


def _phone_flags(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Orders gain phone flags (station.core.phone): the CHECK on the kinds of
    order_flags lists 'phone' too. SQLite cannot change a CHECK, so the table is
    rebuilt with its rows."""
    db.execute(
        """CREATE TABLE order_flags_new (
            order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE
                COLLATE NOCASE,
            kind TEXT NOT NULL
                CHECK (kind IN ('address', 'duplicate_order', 'duplicate_payment', 'phone')),
            detail TEXT NOT NULL,
            text_key TEXT NOT NULL DEFAULT '',
            params TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (order_no, kind, detail)
        ) WITHOUT ROWID"""
    )
    db.execute(
        "INSERT INTO order_flags_new (order_no, kind, detail, text_key, params) "
        "SELECT order_no, kind, detail, text_key, params FROM order_flags"
    )
    db.execute("DROP TABLE order_flags")
    db.execute("ALTER TABLE order_flags_new RENAME TO order_flags")


def _run(db: sqlite_utils.Database, statements: list[str]) -> None:
    """Run a step's statements, in order."""
    for statement in statements:
        db.execute(statement)


SCHEMA_EWAYBILLS = [
    """-- E-waybills (电子面单) taken ahead for orders (station.waybills): one row per attempt.
-- 'requested' is committed with the provider's idempotency key before the number is
-- asked for, so after a crash the row is looked up upstream before anything is asked
-- again; 'cancel_pending' is the queued cancel request a worker carries out.
CREATE TABLE ewaybills (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL COLLATE NOCASE,
    attempt INTEGER NOT NULL,
    provider TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    carrier TEXT NOT NULL,
    service TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    waybill_no TEXT COLLATE NOCASE,
    sub_waybills TEXT NOT NULL DEFAULT '[]',
    sort_mark TEXT NOT NULL DEFAULT '',
    sort_code TEXT NOT NULL DEFAULT '',
    package_center TEXT NOT NULL DEFAULT '',
    print_data TEXT NOT NULL DEFAULT '',
    address_digest TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'requested' CHECK (state IN
        ('requested', 'taken', 'refused', 'cancel_pending', 'cancelled', 'used')),
    note TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (order_no, attempt),
    UNIQUE (provider, idempotency_key)
)""",
    """-- One live e-waybill per order: never two numbers for one parcel.
CREATE UNIQUE INDEX ewaybills_live ON ewaybills(order_no) WHERE state IN ('requested', 'taken')""",
    """CREATE UNIQUE INDEX ewaybills_number ON ewaybills(waybill_no)
       WHERE waybill_no IS NOT NULL""",
    """CREATE INDEX ewaybills_state ON ewaybills(state, next_at)""",
    """-- Balances last read from each provider account (station waybill accounts).
CREATE TABLE ewaybill_accounts (
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    carrier TEXT NOT NULL,
    available INTEGER,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (provider, account, carrier)
) WITHOUT ROWID""",
]


def _ewaybills(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """E-waybills taken ahead per order and the providers' balances (station.waybills)."""
    _run(db, SCHEMA_EWAYBILLS)


def _hub_holds(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """The bench's offline truth about the warehouse hub: the orders it holds there
    (claimed at a scan, leased by a supervisor, or allowed offline by a supervisor's
    override), so it keeps packing them while the hub cannot be reached; and the
    releases (cancel, hold) the hub has not heard of yet."""
    db.execute(
        """CREATE TABLE hub_holds (
               order_no TEXT PRIMARY KEY COLLATE NOCASE,
               kind TEXT NOT NULL CHECK (kind IN ('claimed', 'leased', 'override')),
               since TEXT NOT NULL,
               detail TEXT NOT NULL DEFAULT ''
           )"""
    )
    db.execute(
        """CREATE TABLE hub_releases (
               order_no TEXT PRIMARY KEY COLLATE NOCASE,
               at TEXT NOT NULL
           )"""
    )


def _ewaybill_print_notices(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """WeChat Shop's print-success notices (order/print) still to send, one per print of
    an e-waybill through the print component (station.waybills)."""
    db.execute(
        """CREATE TABLE ewaybill_print_notices (
            id INTEGER PRIMARY KEY,
            ewaybill_id INTEGER NOT NULL REFERENCES ewaybills(id),
            print_no INTEGER NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (ewaybill_id, print_no)
        )"""
    )
    db.execute(
        "CREATE INDEX ewaybill_print_notices_due ON ewaybill_print_notices(next_at) "
        "WHERE sent_at IS NULL"
    )


def _ewaybill_attention(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """Why an e-waybill needs a person (a cancel the carrier refused for good); a queued
    cancel with a reason here is no longer tried."""
    db.execute("ALTER TABLE ewaybills ADD COLUMN attention TEXT NOT NULL DEFAULT ''")


def _ewaybill_parcels(db: sqlite_utils.Database, keys: FolderKeys) -> None:
    """How many parcels an e-waybill was asked for (子母单: a mother and children), so a
    request resumed after a kill asks for the same."""
    db.execute("ALTER TABLE ewaybills ADD COLUMN parcels INTEGER NOT NULL DEFAULT 1")


STEPS: tuple[Callable[[sqlite_utils.Database, FolderKeys], None], ...] = (
    _schema_1,
    _deliveries,
    _audit_handover_reports,
    _import_routing,
    _weight_samples,
    _privacy_at_rest,
    _shipping_cost,
    _drop_plaintext_indexes,
    _keyed_dedupe_keys,
    _pin_failures,
    _flag_texts,
    _hold_texts,
    _admin_pin_rule,
    _audit_chain,
    _sealed_buyer_notes,
    _delivery_sent_at,
    _unprinted_labels_index,
    _phone_flags,
    _ewaybills,
    _hub_holds,
    _ewaybill_print_notices,
    _ewaybill_attention,
    _ewaybill_parcels,
)

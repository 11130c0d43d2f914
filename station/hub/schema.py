"""The hub's tables, one SQL script per schema version. Never edit a released step."""

from __future__ import annotations

SCHEMA_1 = """
-- Orders as the importer read them (station.importers.orders.ImportedOrder as JSON);
-- benches pull them by revision and import them into their own database.
CREATE SEQUENCE order_revision;
CREATE TABLE orders (
    order_no TEXT PRIMARY KEY,              -- upper case: order numbers ignore case
    data JSONB NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    revision BIGINT NOT NULL DEFAULT nextval('order_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_revision ON orders(revision);

-- One row per order: the primary key is what stops a second bench packing it.
-- A lease is a claim made ahead by a supervisor, with no packer yet.
CREATE TABLE claims (
    order_no TEXT PRIMARY KEY,
    bench TEXT NOT NULL,
    packer TEXT NOT NULL DEFAULT '',
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    leased BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX claims_bench ON claims(bench);

-- Waybill numbers: a number given to a bench (bench set) is never given again.
CREATE TABLE numbers (
    tracking_no TEXT PRIMARY KEY,
    carrier TEXT NOT NULL,
    bench TEXT,
    given_at TIMESTAMPTZ,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX numbers_free ON numbers(carrier, tracking_no) WHERE bench IS NULL;

-- Every bench's shipments, once each: (bench, bench_shipment_id) is the bench's own
-- record, so a push repeated after a kill or a cut network adds nothing.
-- No unique live order here: two benches offline may both ship an order, and the
-- hub must hold both to say so (attention).
CREATE TABLE shipments (
    id BIGSERIAL PRIMARY KEY,
    bench TEXT NOT NULL,
    bench_shipment_id BIGINT NOT NULL,
    order_no TEXT NOT NULL,
    carrier TEXT NOT NULL,
    tracking_no TEXT NOT NULL,
    weight_g INTEGER NOT NULL,
    packer TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    voided_at TIMESTAMPTZ,
    payload JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (bench, bench_shipment_id)
);
CREATE INDEX shipments_live_order ON shipments(order_no) WHERE voided_at IS NULL;
CREATE INDEX shipments_recorded ON shipments(recorded_at);

-- What every bench must show a person (an order with two live shipments).
CREATE TABLE attention (
    id BIGSERIAL PRIMARY KEY,
    order_no TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX attention_open ON attention(order_no, kind) WHERE resolved_at IS NULL;

-- Supervisors' actions at the hub (claim take-overs, leases).
CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    order_no TEXT,
    bench TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
"""

SCHEMA_CATALOGUE = """
-- What a supervisor sets once for every bench: products, carriers, rate tables,
-- routing rules and users. Every change takes a new revision from one sequence;
-- a bench keeps, per kind, the last revision it applied and pulls only what is
-- newer. A writer locks its table first (station.hub.catalogue), so revisions
-- become visible in the order they were taken and a bench never skips one.
CREATE SEQUENCE catalogue_revision;

-- A product as the bench's store holds it (station.core.model.Product as JSON,
-- without the weight a bench learned itself). SKUs and barcodes ignore case, as
-- at the benches.
CREATE TABLE products (
    sku TEXT NOT NULL,
    data JSONB NOT NULL,
    revision BIGINT NOT NULL DEFAULT nextval('catalogue_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX products_sku ON products(lower(sku));
CREATE INDEX products_revision ON products(revision);

-- A carrier as station.store.catalogue.CarrierEntry.as_dict() gives it.
CREATE TABLE carriers (
    code TEXT PRIMARY KEY,
    data JSONB NOT NULL,
    revision BIGINT NOT NULL DEFAULT nextval('catalogue_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX carriers_revision ON carriers(revision);

-- One rate table per carrier and service, its zones as a JSON list, replaced whole
-- at a bench as `station carriers rates import` replaces it.
CREATE TABLE rate_tables (
    carrier TEXT NOT NULL,
    service TEXT NOT NULL,
    zones JSONB NOT NULL,
    revision BIGINT NOT NULL DEFAULT nextval('catalogue_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (carrier, service)
);
CREATE INDEX rate_tables_revision ON rate_tables(revision);

-- The routing rules (routing.toml's text); one row.
CREATE TABLE routing_rules (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    rules TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT nextval('catalogue_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- People and their PINs, hashed as the bench hashes them (salted scrypt), never in
-- clear. A user removed is kept inactive, so benches learn of the removal.
CREATE TABLE users (
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('packer', 'supervisor', 'admin')),
    pin_hash TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
    pin_rule_ok BOOLEAN,
    active BOOLEAN NOT NULL DEFAULT true,
    revision BIGINT NOT NULL DEFAULT nextval('catalogue_revision'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_name ON users(lower(name));
CREATE INDEX users_revision ON users(revision);
"""

STEPS: tuple[str, ...] = (SCHEMA_1, SCHEMA_CATALOGUE)

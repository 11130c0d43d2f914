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

SCHEMA_DOCK_HANDOVERS = """
-- Parcels handed to a courier at any dock of the warehouse: one row per waybill
-- number (the primary key), so a parcel leaves once. The row is written when the
-- parcel goes into a bag (`handover` names that bag) and finished when the handover
-- is signed; an unfinished bag the dock closed is given back.
CREATE TABLE handed_over (
    tracking_no TEXT PRIMARY KEY,
    handover TEXT NOT NULL,
    station TEXT NOT NULL,
    carrier TEXT NOT NULL,
    order_no TEXT NOT NULL,
    scanned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    courier TEXT,
    finished_at TIMESTAMPTZ
);
CREATE INDEX handed_over_bag ON handed_over(handover);
-- A scan at the dock finds its shipment by waybill number, whatever its case.
CREATE INDEX shipments_tracking_upper ON shipments(upper(tracking_no));
"""

STEPS: tuple[str, ...] = (SCHEMA_1, SCHEMA_DOCK_HANDOVERS)

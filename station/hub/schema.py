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

SCHEMA_EWAYBILL_PER_ORDER = """
-- One e-waybill per order across the warehouse (station.hub.ewaybills): the primary
-- key stops a second bench taking a second number. A row is 'requested' (a bench is
-- taking it under its idempotency key) then 'taken' with the number and what its
-- label needs; a bench that cancels the number deletes the row.
CREATE TABLE ewaybills (
    order_no TEXT PRIMARY KEY,
    bench TEXT NOT NULL,
    provider TEXT NOT NULL,
    carrier TEXT NOT NULL,
    service TEXT NOT NULL DEFAULT '',
    attempt INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'taken')),
    waybill_no TEXT,
    label JSONB NOT NULL DEFAULT '{}',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ewaybills_key ON ewaybills(idempotency_key);
"""


SCHEMA_BENCH_HEARTBEATS = """
-- Each bench's last report (on its uploader thread, every few seconds): who packs
-- there, how many shipments wait in its queue, what needs a person there. A bench
-- not heard from lately is offline (station.hub.floor).
CREATE TABLE bench_heartbeats (
    bench TEXT PRIMARY KEY,
    last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    packer TEXT NOT NULL DEFAULT '',
    queue_depth INTEGER NOT NULL DEFAULT 0,
    exceptions INTEGER NOT NULL DEFAULT 0,
    cycle_p50_s REAL
);
"""

_SHIPMENT_HOURS_TABLE = """
-- Shipments counted per UTC hour, bench, packer and carrier, kept by triggers as
-- shipments arrive or are voided, so the warehouse view reads a few hundred rows
-- a day whatever the size of `shipments`. A live shipment counts in `parcels`, a
-- voided one in `voids`.
CREATE TABLE shipment_hours (
    hour TIMESTAMPTZ NOT NULL,
    bench TEXT NOT NULL,
    packer TEXT NOT NULL,
    carrier TEXT NOT NULL,
    parcels INTEGER NOT NULL DEFAULT 0,
    voids INTEGER NOT NULL DEFAULT 0,
    weight_g BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, bench, packer, carrier)
);

CREATE FUNCTION shipment_hours_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    live INTEGER;
BEGIN
    IF TG_OP = 'INSERT' THEN
        live := CASE WHEN NEW.voided_at IS NULL THEN 1 ELSE 0 END;
        INSERT INTO shipment_hours AS h
        VALUES (date_trunc('hour', NEW.recorded_at, 'UTC'), NEW.bench, NEW.packer,
                NEW.carrier, live, 1 - live, live * NEW.weight_g)
        ON CONFLICT (hour, bench, packer, carrier) DO UPDATE
        SET parcels = h.parcels + excluded.parcels, voids = h.voids + excluded.voids,
            weight_g = h.weight_g + excluded.weight_g;
    ELSIF (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL) THEN
        live := CASE WHEN NEW.voided_at IS NULL THEN 1 ELSE -1 END;
        UPDATE shipment_hours
        SET parcels = parcels + live, voids = voids - live,
            weight_g = weight_g + live * NEW.weight_g
        WHERE hour = date_trunc('hour', NEW.recorded_at, 'UTC') AND bench = NEW.bench
          AND packer = NEW.packer AND carrier = NEW.carrier;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER shipment_hours_insert AFTER INSERT ON shipments
    FOR EACH ROW EXECUTE FUNCTION shipment_hours_count();
CREATE TRIGGER shipment_hours_void AFTER UPDATE OF voided_at ON shipments
    FOR EACH ROW EXECUTE FUNCTION shipment_hours_count();
"""

SHIPMENT_HOURS_BACKFILL = """
-- The shipments already at the hub, counted once (the roll-up step ends with it).
INSERT INTO shipment_hours
SELECT date_trunc('hour', recorded_at, 'UTC'), bench, packer, carrier,
       count(*) FILTER (WHERE voided_at IS NULL), count(*) FILTER (WHERE voided_at IS NOT NULL),
       COALESCE(sum(weight_g) FILTER (WHERE voided_at IS NULL), 0)
FROM shipments GROUP BY 1, 2, 3, 4;
"""

SCHEMA_SHIPMENT_HOURS = _SHIPMENT_HOURS_TABLE + SHIPMENT_HOURS_BACKFILL

SCHEMA_WECHAT_UPLOADS = """
-- The hub uploader's work (`station hub uploader`): every shipment and every void to
-- upload to WeChat, handed over by a trigger inside the push's own transaction, so
-- none is missed whatever order the benches' pushes commit in (a cursor on ids would
-- skip a push that commits after a later id). Shipments already here are queued too:
-- the uploader looks each one up before sending, so one a bench uploaded itself
-- before the hub took over is found done, not sent again.
CREATE TABLE wechat_inbox (
    id BIGSERIAL PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id),
    event TEXT NOT NULL                     -- 'shipment.recorded' or 'shipment.voided'
);
CREATE FUNCTION wechat_inbox_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO wechat_inbox (shipment_id, event) VALUES (NEW.id, 'shipment.recorded');
    END IF;
    IF NEW.voided_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.voided_at IS NULL) THEN
        INSERT INTO wechat_inbox (shipment_id, event) VALUES (NEW.id, 'shipment.voided');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER shipments_to_wechat AFTER INSERT OR UPDATE OF voided_at ON shipments
    FOR EACH ROW EXECUTE FUNCTION wechat_inbox_fill();
INSERT INTO wechat_inbox (shipment_id, event)
    SELECT id, 'shipment.recorded' FROM shipments ORDER BY id;
INSERT INTO wechat_inbox (shipment_id, event)
    SELECT id, 'shipment.voided' FROM shipments WHERE voided_at IS NOT NULL ORDER BY id;

-- Each record's upload to one WeChat target, as the bench's `deliveries`: queued ->
-- sending -> done, or queued again later, or attention for a person. `sending` is
-- committed, with the uploader session that owns it, before the request leaves; a
-- row left sending by an uploader that is gone (its session's advisory lock is free)
-- goes back to the queue in doubt, and is looked up in WeChat before any resend.
CREATE TABLE wechat_uploads (
    id BIGSERIAL PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id),
    target TEXT NOT NULL,
    event TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',   -- queued, sending, done, attention, dismissed
    attempts INTEGER NOT NULL DEFAULT 0,
    in_doubt BOOLEAN NOT NULL DEFAULT false,
    reached BOOLEAN NOT NULL DEFAULT false, -- WeChat holds it from us (a void then needs a person)
    owner INTEGER,                          -- the uploader session sending it
    sent_at TIMESTAMPTZ,
    sent_mark TEXT NOT NULL DEFAULT '',     -- what a resend must repeat (upload_time)
    next_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (shipment_id, target, event)
);
CREATE INDEX wechat_uploads_due ON wechat_uploads(target, id) WHERE state = 'queued';
CREATE INDEX wechat_uploads_sending ON wechat_uploads(owner) WHERE state = 'sending';
CREATE INDEX wechat_uploads_attention ON wechat_uploads(id) WHERE state = 'attention';

-- Per-target values of the hub uploader (the last upload_time, online, last error).
CREATE TABLE wechat_state (
    target TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (target, key)
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

STEPS: tuple[str, ...] = (
    SCHEMA_1,
    SCHEMA_EWAYBILL_PER_ORDER,
    SCHEMA_BENCH_HEARTBEATS,
    SCHEMA_SHIPMENT_HOURS,
    SCHEMA_WECHAT_UPLOADS,
    SCHEMA_CATALOGUE,
    SCHEMA_DOCK_HANDOVERS,
)

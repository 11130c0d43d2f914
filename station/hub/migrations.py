"""Creating and upgrading the hub schema, versioned like the bench's database.

The version is the one row of `hub_version`. Steps run in one transaction each,
under an advisory lock, so two benches or commands migrating at once do it once.
A hub written by a newer station (a version beyond the last step) is refused.
"""

from __future__ import annotations

import psycopg

from station.hub.schema import STEPS

MIGRATION_LOCK = 0x5354_4E48  # any constant shared by every station


class HubTooNew(RuntimeError):
    pass


class HubNotInitialised(RuntimeError):
    pass


def version(conn: psycopg.Connection) -> int:
    """The hub's schema version; 0 for a database without the hub's tables."""
    found = conn.execute("SELECT to_regclass('hub_version') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return 0
    row = conn.execute("SELECT version FROM hub_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: psycopg.Connection) -> tuple[int, int]:
    """Bring the hub schema up to date; (version before, version after)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        conn.execute("CREATE TABLE IF NOT EXISTS hub_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT version FROM hub_version").fetchone()
        if row is None:
            conn.execute("INSERT INTO hub_version VALUES (0)")
        before = int(row[0]) if row else 0
        refuse_newer(before)
        for step in STEPS[before:]:
            conn.execute(step)
        conn.execute("UPDATE hub_version SET version = %s", [len(STEPS)])
    return before, len(STEPS)


def check(conn: psycopg.Connection) -> None:
    """Refuse a hub that is not initialised, or newer than this station."""
    current = version(conn)
    if current == 0:
        raise HubNotInitialised(
            "the hub database has no hub schema yet: run `station hub init URL` once"
        )
    refuse_newer(current)
    if current < len(STEPS):
        raise HubNotInitialised(
            f"the hub schema is version {current}, this station needs {len(STEPS)}: "
            "run `station hub init URL` to upgrade it"
        )


def refuse_newer(current: int) -> None:
    if current > len(STEPS):
        raise HubTooNew(
            f"the hub has schema version {current}, newer than this station understands "
            f"({len(STEPS)}). Install the newer Packing Station on this bench."
        )

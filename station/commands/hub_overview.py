"""The catalogue and bench lines of `station hub status`."""

from __future__ import annotations

import psycopg

from station.hub.overview import bench_presence, catalogue_counts


def overview_lines(conn: psycopg.Connection) -> list[str]:
    """A line per kind of the catalogue (rows, latest revision), then the benches
    online and offline by their heartbeats."""
    lines = []
    for count in catalogue_counts(conn):
        latest = (
            f"latest revision {count.revision}, {count.updated_at.astimezone():%Y-%m-%d %H:%M}"
            if count.revision is not None and count.updated_at is not None
            else "none yet"
        )
        lines.append(f"catalogue {count.kind.value}: {count.rows} ({latest})")
    presence = bench_presence(conn)
    lines.append(
        f"benches: {len(presence.online)} online, {len(presence.offline)} offline"
        + (f" ({', '.join(presence.online)} online)" if presence.online else "")
    )
    lines += [
        f"  {bench} offline, last seen {seen.astimezone():%Y-%m-%d %H:%M}"
        for bench, seen in presence.offline
    ]
    return lines

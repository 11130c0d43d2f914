"""What `station hub status` says of the catalogue set at the hub and of the
benches' heartbeats, on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from test_hub_cli import station

from station.hub import catalogue, heartbeat
from station.hub.db import connect


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def test_status_shows_the_catalogue_and_the_benches_online_and_offline(
    tmp_path: Path, hub_url: str, hub: psycopg.Connection
) -> None:
    catalogue.put_routing(hub, "[[rules]]\ncarrier = 'ZTO'\n", "sup", "bench-1", "test")
    catalogue.put_routing(hub, "[[rules]]\ncarrier = 'SF'\n", "sup", "bench-1", "test")
    revision = hub.execute("SELECT revision FROM routing_rules").fetchone()[0]
    heartbeat.send(hub, "bench-1", heartbeat.BenchReport("p01", 0, 0, None))
    heartbeat.send(hub, "bench-2", heartbeat.BenchReport("p02", 3, 0, None))
    hub.execute(  # bench-2 last heard from an hour ago
        "UPDATE bench_heartbeats SET last_seen = now() - interval '1 hour' WHERE bench = 'bench-2'"
    )
    out = station(tmp_path, "hub", "status", "--url", hub_url)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "catalogue products: 0 (none yet)" in lines
    assert "catalogue users: 0 (none yet)" in lines
    routing = next(line for line in lines if line.startswith("catalogue routing: "))
    assert routing.startswith(f"catalogue routing: 1 (latest revision {revision}, ")
    assert "benches: 1 online, 1 offline (bench-1 online)" in lines
    assert any(line.startswith("  bench-2 offline, last seen ") for line in lines)

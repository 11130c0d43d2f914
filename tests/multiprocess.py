"""Other processes on the same data folder, for tests that hold a connection
while they run: the `station` command, a bare SQLite reader, a fresh count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from station.store.db import DB_FILE

ROOT = Path(__file__).resolve().parent.parent


def station(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`station --data-dir DATA_DIR ARGS...` as a technician runs it: its own process."""
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


_READ_AND_CLOSE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=30)
print(conn.execute(sys.argv[2]).fetchone()[0])
conn.close()
"""


def fresh_value(data_dir: Path, sql: str) -> object:
    """One value read by a new process that opens the database, reads and closes.

    Its close is the moment SQLite deletes the WAL when it believes itself the
    last connection: exactly what a holder's dropped locks would let it do.
    """
    out = subprocess.run(
        [sys.executable, "-c", _READ_AND_CLOSE, str(data_dir / DB_FILE), sql],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def wal_identity(data_dir: Path) -> tuple[int, int] | None:
    """(device, inode) of the WAL, None when there is none. `os.stat` opens nothing,
    so asking never disturbs the locks of this process's connections."""
    try:
        found = os.stat(data_dir / f"{DB_FILE}-wal")
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


_CAT = (
    "import sys\nfor name in sys.argv[1:]:\n    sys.stdout.buffer.write(open(name, 'rb').read())\n"
)


def bytes_read_elsewhere(*paths: Path) -> bytes:
    """The raw bytes of files, read by another process: reading the database's files
    here would drop this process's SQLite locks on them (see test_wal_guard)."""
    out = subprocess.run(
        [sys.executable, "-c", _CAT, *map(str, paths)], capture_output=True, timeout=60, check=True
    )
    return out.stdout

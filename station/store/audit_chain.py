"""The audit log's hash chain: each row is tamper-evident.

Every row stores `hash` = HMAC-SHA256(key, "audit-chain" | previous row's hash |
the row's canonical content), with the data folder's key (station.store.crypto).
Changing a row, inserting one in the middle or deleting one breaks the chain
from that row on; without the key nobody can compute a chain that verifies, so
dropping the triggers and rewriting rows is found by `station db check`.

What the chain cannot show on its own: the newest rows cut off the end (the
chain that is left still verifies). The triggers refuse DELETE, and backups keep
the longer log to compare with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.store.crypto import KEY_FILE, FieldCipher, load_key

COLUMNS = ("id", "at", "actor", "role", "action", "subject", "reason", "detail", "station")
_PURPOSE = b"audit-chain\0"


def canonical(row: Sequence[Any]) -> bytes:
    """One row's content (COLUMNS, in order) as the bytes the chain covers."""
    return json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode()


def link(cipher: FieldCipher, previous: str, row: Sequence[Any]) -> str:
    """The hash of a row that follows a row hashed `previous` ('' for the first)."""
    message = _PURPOSE + previous.encode("ascii") + b"\0" + canonical(row)
    return hmac.new(cipher.key, message, hashlib.sha256).hexdigest()


def last_hash(conn: sqlite3.Connection) -> tuple[int, str]:
    """The newest row's id and hash, (0, '') for an empty log."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, "")


def rows(conn: sqlite3.Connection) -> Iterable[tuple[Any, ...]]:
    """Every row's COLUMNS and its stored hash, oldest first."""
    return conn.execute(f"SELECT {', '.join(COLUMNS)}, hash FROM audit ORDER BY id")


@dataclass(frozen=True)
class ChainBreak:
    """The first row whose stored hash is not what the chain before it gives."""

    row_id: int
    checked: int

    def __str__(self) -> str:
        return (
            f"the audit log was altered: row {self.row_id} breaks its hash chain "
            f"(the row was changed or inserted, or a row before it was deleted; "
            f"{self.checked} rows before it verify)"
        )


def verify(conn: sqlite3.Connection, cipher: FieldCipher) -> tuple[int, ChainBreak | None]:
    """Walk the chain: the number of rows, and the first break if there is one."""
    previous = ""
    count = 0
    for *row, stored in rows(conn):
        expected = link(cipher, previous, row)
        if not hmac.compare_digest(expected, stored or ""):
            return count, ChainBreak(row[0], count)
        previous = stored
        count += 1
    return count, None


def check_database(path: Path) -> str | None:
    """`station db check`'s look at the audit log of the database at `path` (read
    only, with the key of its data folder): None when the chain verifies, else the
    problem, naming the first broken row."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _check_open(conn, Path(path).parent)
    except sqlite3.DatabaseError as exc:
        return f"the audit log cannot be read ({exc})"
    finally:
        conn.close()


def _check_open(conn: sqlite3.Connection, folder: Path) -> str | None:
    from station.store.migrations import STEPS, _audit_chain

    chained = conn.execute("PRAGMA user_version").fetchone()[0] > STEPS.index(_audit_chain)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
    if chained and ("audit" not in tables or "hash" not in columns):
        return "the audit log was altered: its table or its hash chain column is gone"
    if "hash" not in columns:
        return None  # not migrated yet: the station chains the log when it opens it
    if conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is None:
        return None
    cipher = _folder_cipher(conn, folder)
    if isinstance(cipher, str):
        return cipher
    _, broken = verify(conn, cipher)
    return None if broken is None else str(broken)


def _folder_cipher(conn: sqlite3.Connection, folder: Path) -> FieldCipher | str:
    """The data folder's key as the database recorded it, or why it cannot be had."""
    key = load_key(folder)
    if key is None:
        return (
            "the audit log's chain cannot be checked: the data folder's key is neither "
            f"in this computer's keyring nor in {folder / KEY_FILE}"
        )
    cipher = FieldCipher(key)
    recorded = conn.execute("SELECT key_id FROM privacy_key WHERE id = 1").fetchone()
    if recorded is not None and recorded[0] != cipher.key_id:
        return (
            "the audit log's chain cannot be checked: the key found is not the key of this database"
        )
    return cipher

"""Target secrets (AppSecret, webhook signing key): in the OS keyring, or, where no
keyring works (headless Linux benches), sealed in the data folder; never in
plain text on disk and never logged.

The sealed file `sync-secrets.json` holds each secret encrypted like recipients'
names (AES-256-GCM with the data folder's key, `station.store.crypto`; the
target's name is the associated data, so a value moved to another target does
not open). It is only as safe as that key: with the key in the keyring, a copy
of the data folder reveals nothing; with the key in `station.key` (no keyring),
whoever can read the whole folder can open it, as they can the personal data.
A secret in the keyring wins over one in the file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import keyring
import keyring.errors
import sqlite_utils

from station.store.crypto import KeyUnavailable, cipher_for, is_sealed

SERVICE = "PackingStation"
SEALED_FILE = "sync-secrets.json"


class SecretMissing(LookupError):
    pass


def _user(target: str) -> str:
    return f"sync/{target}"


def _column(target: str) -> str:
    return f"sync_secret:{target}"


def get_secret(target: str, db: sqlite_utils.Database | None = None) -> str:
    """The target's secret from the keyring, else (given the data folder's
    database) from the sealed file."""
    problem = ""
    try:
        value = keyring.get_password(SERVICE, _user(target))
    except keyring.errors.KeyringError as exc:
        value, problem = None, f"the keyring cannot be read ({exc}); "
    if not value and db is not None:
        sealed = _read_sealed(db).get(target)
        try:
            value = cipher_for(db).open(_column(target), sealed) if sealed else None
        except KeyUnavailable as exc:
            raise SecretMissing(
                f"the sealed secret of {target!r} does not open with this data folder's key "
                f"({exc}): run `station sync secret set {target}`."
            ) from exc
    if not value:
        raise SecretMissing(
            f"{problem}no secret stored for sync target {target!r}: "
            f"run `station sync secret set {target}`."
        )
    return value


def set_secret(target: str, value: str, db: sqlite_utils.Database | None = None) -> str:
    """Store the secret; returns where: "the keyring", or (no keyring works and the
    data folder's database is given) the sealed file's path."""
    try:
        keyring.set_password(SERVICE, _user(target), value)
    except keyring.errors.KeyringError:
        if db is None:
            raise
    else:
        return "the keyring"
    sealed = _read_sealed(db)
    sealed[target] = cipher_for(db).seal(_column(target), value)
    path = _sealed_path(db)
    _write_private(path, json.dumps({"format": 1, "secrets": sealed}, indent=2) + "\n")
    return str(path)


def _sealed_path(db: sqlite_utils.Database) -> Path:
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file).parent / SEALED_FILE
    raise SecretMissing("an in-memory database has no data folder for sealed secrets")


def _read_sealed(db: sqlite_utils.Database) -> dict[str, str]:
    path = _sealed_path(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise SecretMissing(f"{path} cannot be read ({exc}): set the secrets again") from exc
    secrets = data.get("secrets") if isinstance(data, dict) else None
    if not isinstance(secrets, dict):
        raise SecretMissing(f"{path} is not a secrets file: set the secrets again")
    # Only sealed values count: a secret typed into the file in clear is not taken.
    return {str(k): v for k, v in secrets.items() if isinstance(v, str) and is_sealed(v)}


def _write_private(path: Path, text: str) -> None:
    """Write the file readable by its owner only, all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Target secrets (AppSecret, webhook signing key) in the OS keyring, never on disk
in the data folder and never logged."""

from __future__ import annotations

import keyring
import keyring.errors

SERVICE = "PackingStation"


class SecretMissing(LookupError):
    pass


def _user(target: str) -> str:
    return f"sync/{target}"


def get_secret(target: str) -> str:
    try:
        value = keyring.get_password(SERVICE, _user(target))
    except keyring.errors.KeyringError as exc:
        raise SecretMissing(f"the keyring cannot be read ({exc}).") from exc
    if not value:
        raise SecretMissing(
            f"no secret stored for sync target {target!r}: run `station sync secret set {target}`."
        )
    return value


def set_secret(target: str, value: str) -> None:
    keyring.set_password(SERVICE, _user(target), value)

"""People at the bench and their PINs (salted scrypt: slow to guess, no extra dependency)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from station.store.db import now_utc, transaction


class Role(StrEnum):
    PACKER = "packer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


RANK = {Role.PACKER: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role

    def can(self, needed: Role) -> bool:
        return RANK[self.role] >= RANK[needed]


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def pin_matches(pin: str, stored: str) -> bool:
    scheme, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    expected = hash_pin(pin, base64.b64decode(salt)).split("$")[2]
    return hmac.compare_digest(expected, digest)


def add_user(db: sqlite_utils.Database, name: str, role: Role, pin: str) -> User:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError("A PIN is 4 to 12 digits.")
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO users (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role.value, hash_pin(pin), now_utc()),
        )
    return User(cursor.lastrowid, name, role)


def check_pin(db: sqlite_utils.Database, pin: str, needed: Role) -> User | None:
    """The active user with this PIN and at least the needed role, else None."""
    for user_id, name, role, stored in db.execute(
        "SELECT id, name, role, pin_hash FROM users WHERE active = 1"
    ).fetchall():
        user = User(user_id, name, Role(role))
        if user.can(needed) and pin_matches(pin, stored):
            return user
    return None

"""People at the bench, their PINs (salted scrypt: slow to guess, no extra dependency)
and which role each protected action needs."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from station.core.bad_input import BadInput
from station.store.db import iso, now_utc, transaction


class Role(StrEnum):
    PACKER = "packer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


RANK = {Role.PACKER: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}


class Action(StrEnum):
    """Protected actions; each is written to the audit log under this name."""

    SIGN_IN = "sign_in"
    OVERRIDE = "override"
    REPRINT_LAST = "reprint_last"
    REPRINT = "reprint"
    VOID = "void"
    SETTINGS = "settings"
    USERS = "users"


NEEDED: dict[Action, Role] = {
    Action.SIGN_IN: Role.PACKER,
    Action.OVERRIDE: Role.SUPERVISOR,
    # A packer may reprint the last label of their own bench once; any further
    # reprint, or one from search, needs a supervisor.
    Action.REPRINT_LAST: Role.PACKER,
    Action.REPRINT: Role.SUPERVISOR,
    Action.VOID: Role.SUPERVISOR,
    Action.SETTINGS: Role.ADMIN,
    Action.USERS: Role.ADMIN,
}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role

    def can(self, needed: Role) -> bool:
        return RANK[self.role] >= RANK[needed]

    def may(self, action: Action) -> bool:
        return self.can(NEEDED[action])


class PermissionDenied(PermissionError):
    """Someone tried a protected action their role does not allow."""

    def __init__(self, user: User | None, action: Action):
        who = user.name if user else "nobody"
        super().__init__(f"{who} may not {action.value}: it needs a {NEEDED[action].value}.")
        self.user = user
        self.action = action


def require(user: User | None, action: Action) -> User:
    """The user, when their role allows the action; else PermissionDenied."""
    if user is None or not user.may(action):
        raise PermissionDenied(user, action)
    return user


@dataclass(frozen=True)
class Account:
    """A user as listed for administration."""

    id: int
    name: str
    role: Role
    active: bool
    created_at: str


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


MAX_NAME_LENGTH = 40
"""Longest user name: it is shown in the status bar and printed in manifests."""


class BadUserName(BadInput):
    """A user name that cannot be used; the message says why."""


def check_user_name(name: str) -> str:
    """The name without surrounding blanks. BadUserName when it is empty, longer
    than MAX_NAME_LENGTH or holds a control character (a line break, an escape)."""
    name = name.strip()
    if not name:
        raise BadUserName("A user name cannot be empty or blank.")
    if len(name) > MAX_NAME_LENGTH:
        raise BadUserName(
            f"A user name has at most {MAX_NAME_LENGTH} characters ({len(name)} given)."
        )
    if any(not ch.isprintable() for ch in name):
        raise BadUserName(f"A user name cannot hold control characters: {name!r}.")
    return name


def add_user(db: sqlite_utils.Database, name: str, role: Role, pin: str) -> User:
    name = check_user_name(name)
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError("A PIN is 4 to 12 digits.")
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO users (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role.value, hash_pin(pin), now_utc()),
        )
    return User(cursor.lastrowid, name, role)


# Guessing a 4-digit PIN at a prompt: after this many wrong PINs within the window,
# that prompt takes no PIN until the lock has passed.
PIN_TRIES = 5
PIN_WINDOW = dt.timedelta(minutes=15)
PIN_LOCK = dt.timedelta(minutes=5)
ANY_USER = "*"  # the prompts that take a PIN alone (overrides, reprints, voids, settings)


class PinLocked(PermissionError):
    """Too many wrong PINs: no PIN is checked until `until` (UTC)."""

    def __init__(self, until: dt.datetime):
        super().__init__(f"Too many wrong PINs: PIN entry is locked until {until:%H:%M} UTC.")
        self.until = until


def check_pin(
    db: sqlite_utils.Database, pin: str, needed: Role, now: dt.datetime | None = None
) -> User | None:
    """The active user with this PIN and at least the needed role, else None.

    Raises PinLocked after PIN_TRIES wrong PINs within PIN_WINDOW, for PIN_LOCK."""
    now = now or dt.datetime.now(dt.UTC)
    _refuse_if_locked(db, ANY_USER, now)
    for user_id, name, role, stored in db.execute(
        "SELECT id, name, role, pin_hash FROM users WHERE active = 1"
    ).fetchall():
        user = User(user_id, name, Role(role))
        if user.can(needed) and pin_matches(pin, stored):
            _forget_failures(db, ANY_USER)
            return user
    _note_failure(db, ANY_USER, now)
    return None


def authorize(
    db: sqlite_utils.Database, pin: str, action: Action, now: dt.datetime | None = None
) -> User | None:
    """The active user with this PIN whose role allows the action, else None (or
    PinLocked, as check_pin)."""
    return check_pin(db, pin, NEEDED[action], now)


def sign_in(
    db: sqlite_utils.Database, name: str, pin: str, now: dt.datetime | None = None
) -> User | None:
    """The active user of this name when the PIN is theirs, else None. Wrong PINs are
    counted per name (PinLocked as check_pin)."""
    now = now or dt.datetime.now(dt.UTC)
    who = name.strip().casefold()
    _refuse_if_locked(db, who, now)
    row = db.execute(
        "SELECT id, name, role, pin_hash FROM users WHERE name = ? AND active = 1", [name.strip()]
    ).fetchone()
    if row is None or not pin_matches(pin, row[3]):
        _note_failure(db, who, now)
        return None
    _forget_failures(db, who)
    return User(row[0], row[1], Role(row[2]))


def _locked_until(db: sqlite_utils.Database, who: str, now: dt.datetime) -> dt.datetime | None:
    recent = [
        dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
        for (at,) in db.execute(
            "SELECT at FROM pin_failures WHERE who = ? AND at >= ? ORDER BY at DESC LIMIT ?",
            (who, iso(now - PIN_WINDOW), PIN_TRIES),
        )
    ]
    if len(recent) < PIN_TRIES:
        return None
    until = recent[0] + PIN_LOCK
    return until if until > now else None


def _refuse_if_locked(db: sqlite_utils.Database, who: str, now: dt.datetime) -> None:
    until = _locked_until(db, who, now)
    if until is not None:
        raise PinLocked(until)


def _note_failure(db: sqlite_utils.Database, who: str, now: dt.datetime) -> None:
    """Count a wrong PIN; the one that locks the prompt is audited and raises."""
    from station.store import audit  # audit names users' actions: imported here, not above

    with transaction(db):
        db.execute("INSERT INTO pin_failures (who, at) VALUES (?, ?)", (who, iso(now)))
        until = _locked_until(db, who, now)
        if until is not None:
            audit.append(
                db,
                "pin.locked",
                who,
                actor=who,
                reason=f"{PIN_TRIES} wrong PINs",
                detail={"until": iso(until)},
            )
    if until is not None:
        raise PinLocked(until)


def _forget_failures(db: sqlite_utils.Database, who: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM pin_failures WHERE who = ?", [who])


def accounts(db: sqlite_utils.Database, active_only: bool = False) -> list[Account]:
    sql = "SELECT id, name, role, active, created_at FROM users"
    if active_only:
        sql += " WHERE active = 1"
    return [
        Account(user_id, name, Role(role), bool(active), created_at)
        for user_id, name, role, active, created_at in db.execute(sql + " ORDER BY name")
    ]


def set_active(db: sqlite_utils.Database, name: str, active: bool) -> bool:
    """Enable or disable a user by name. Users are never deleted: the audit names them."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE users SET active = ? WHERE name = ?", (int(active), name.strip())
        )
    return cursor.rowcount > 0


def role_of(db: sqlite_utils.Database, name: str) -> str:
    """The role of a user by name, or '' for a name that is no user (the default packer)."""
    row = db.execute("SELECT role FROM users WHERE name = ?", [name]).fetchone()
    return row[0] if row else ""

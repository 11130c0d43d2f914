"""People at the bench and their PINs (salted scrypt: slow to guess, no extra
dependency); the rules of roles and actions are station.core.permissions's."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from station.core.permissions import (
    NEEDED,
    Action,
    AuditEvent,
    Role,
    User,
    check_user_name,
    pin_problem,
)
from station.store import audit
from station.store.db import iso, now_utc, transaction

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    """A user as listed for administration."""

    id: int
    name: str
    role: Role
    active: bool
    created_at: str


@dataclass(frozen=True)
class HashedAccount:
    """A user with the PIN as stored (its salted hash, never the PIN): what a
    warehouse hub shares with every bench."""

    name: str
    role: Role
    pin_hash: str
    active: bool = True
    pin_rule_ok: bool | None = True


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
    name = check_user_name(name)
    problem = pin_problem(role, pin)
    if problem:
        raise ValueError(problem)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO users (name, role, pin_hash, created_at, pin_rule_ok) "
            "VALUES (?, ?, ?, ?, 1)",
            (name, role.value, hash_pin(pin), now_utc()),
        )
    assert cursor.lastrowid is not None, "an INSERT gives its row's id"
    return User(cursor.lastrowid, name, role)


def set_pin(db: sqlite_utils.Database, name: str, pin: str) -> User | None:
    """Give the user of this name a new PIN (checked against their role's rule);
    None when there is no such user. Their wrong-PIN count starts afresh."""
    row = db.execute("SELECT id, name, role FROM users WHERE name = ?", [name.strip()]).fetchone()
    if row is None:
        return None
    user = User(row[0], row[1], Role(row[2]))
    problem = pin_problem(user.role, pin)
    if problem:
        raise ValueError(problem)
    with transaction(db):
        db.execute(
            "UPDATE users SET pin_hash = ?, pin_rule_ok = 1 WHERE id = ?", (hash_pin(pin), user.id)
        )
        db.execute("DELETE FROM pin_failures WHERE who = ?", [_account_key(user.name)])
    return user


def weak_admins(db: sqlite_utils.Database) -> list[str]:
    """Active admins whose PIN is shorter than an admin's secret must be now, or who
    have not used it since the rule came (their PIN dates from before it)."""
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM users WHERE role = 'admin' AND active = 1 "
            "AND (pin_rule_ok IS NULL OR pin_rule_ok = 0) ORDER BY name"
        )
    ]


# Guessing a PIN: after this many wrong PINs within the window that could have been
# an account's, that account takes no PIN until the lock has passed. Failures are
# counted per account and only that account's own right PIN clears them, so one
# person's success never resets the count of guesses at another's PIN.
PIN_TRIES = 5
PIN_WINDOW = dt.timedelta(minutes=15)
PIN_LOCK = dt.timedelta(minutes=5)


class PinLocked(PermissionError):
    """Too many wrong PINs: no PIN is checked until `until` (UTC)."""

    def __init__(self, until: dt.datetime):
        super().__init__(f"Too many wrong PINs: PIN entry is locked until {until:%H:%M} UTC.")
        self.until = until


def _account_key(name: str) -> str:
    """Whose wrong PINs a pin_failures row counts: the account's name, folded as the
    users table compares names (and as the sign-in prompt counts them)."""
    return name.strip().casefold()


def check_pin(
    db: sqlite_utils.Database, pin: str, needed: Role, now: dt.datetime | None = None
) -> User | None:
    """The active user with this PIN and at least the needed role, else None.

    A PIN-only prompt could be answered by every active account of the needed role
    or above: a wrong PIN counts as a failure against each of them that is not locked.
    A locked account's PIN is not checked. Raises PinLocked when this PIN locks one
    of them, or when every one of them is locked."""
    now = now or dt.datetime.now(dt.UTC)
    candidates = [
        (User(user_id, name, Role(role)), stored, rule_ok)
        for user_id, name, role, stored, rule_ok in db.execute(
            "SELECT id, name, role, pin_hash, pin_rule_ok FROM users WHERE active = 1 ORDER BY id"
        ).fetchall()
        if User(user_id, name, Role(role)).can(needed)
    ]
    open_ones = []
    locks: list[dt.datetime] = []
    for user, stored, rule_ok in candidates:
        until = _locked_until(db, _account_key(user.name), now)
        if until is None:
            open_ones.append((user, stored, rule_ok))
        else:
            locks.append(until)
    for user, stored, rule_ok in open_ones:
        if pin_matches(pin, stored):
            _forget_failures(db, user, pin, rule_ok)
            return user
    if candidates and not open_ones:
        raise PinLocked(max(locks))
    _note_failures(db, [_account_key(user.name) for user, _, _ in open_ones], now)
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
    counted against the account of that name (PinLocked as check_pin)."""
    now = now or dt.datetime.now(dt.UTC)
    who = _account_key(name)
    _refuse_if_locked(db, who, now)
    row = db.execute(
        "SELECT id, name, role, pin_hash, pin_rule_ok FROM users WHERE name = ? AND active = 1",
        [name.strip()],
    ).fetchone()
    if row is None or not pin_matches(pin, row[3]):
        _note_failures(db, [who], now)
        return None
    user = User(row[0], row[1], Role(row[2]))
    _forget_failures(db, user, pin, row[4])
    return user


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


def _note_failures(db: sqlite_utils.Database, accounts: list[str], now: dt.datetime) -> None:
    """Count a wrong PIN against each account it could have been; an account it locks
    is audited, and then PinLocked is raised."""
    locked: list[dt.datetime] = []
    with transaction(db):
        for who in accounts:
            db.execute("INSERT INTO pin_failures (who, at) VALUES (?, ?)", (who, iso(now)))
            until = _locked_until(db, who, now)
            if until is not None:
                locked.append(until)
                audit.append(
                    db,
                    AuditEvent.PIN_LOCKED,
                    who,
                    actor=who,
                    reason=f"{PIN_TRIES} wrong PINs",
                    detail={"until": iso(until)},
                )
    if locked:
        raise PinLocked(max(locked))


def _forget_failures(db: sqlite_utils.Database, user: User, pin: str, rule_ok: int | None) -> None:
    """A right PIN clears its own account's count (no other). An admin's PIN from
    before the admin rule is checked against it now, so `users list` can warn."""
    with transaction(db):
        db.execute("DELETE FROM pin_failures WHERE who = ?", [_account_key(user.name)])
        if user.role is Role.ADMIN and rule_ok is None:
            db.execute(
                "UPDATE users SET pin_rule_ok = ? WHERE id = ?",
                (int(pin_problem(user.role, pin) is None), user.id),
            )


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


def hashed_accounts(db: sqlite_utils.Database) -> list[HashedAccount]:
    """Every user with the PIN hash, by name."""
    return [
        HashedAccount(name, Role(role), pin_hash, bool(active), None if ok is None else bool(ok))
        for name, role, pin_hash, active, ok in db.execute(
            "SELECT name, role, pin_hash, active, pin_rule_ok FROM users ORDER BY name"
        )
    ]


def apply_accounts(
    db: sqlite_utils.Database, given: Iterable[HashedAccount]
) -> list[HashedAccount]:
    """Users as a hub sets them, over this bench's: the user of each name takes the
    given role, PIN hash and state (a new PIN starts its wrong-PIN count afresh);
    a new name is added. Users not given stay as they are. Returns those that
    changed. Call inside a transaction."""
    changed: list[HashedAccount] = []
    for account in given:
        row = db.execute(
            "SELECT id, name, role, pin_hash, active, pin_rule_ok FROM users WHERE name = ?",
            [account.name],
        ).fetchone()
        rule_ok = None if account.pin_rule_ok is None else int(account.pin_rule_ok)
        wanted = (account.role.value, account.pin_hash, int(account.active), rule_ok)
        if row is None:
            db.execute(
                "INSERT INTO users (name, role, pin_hash, active, pin_rule_ok, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (account.name, *wanted, now_utc()),
            )
        elif tuple(row[2:]) != wanted:
            db.execute(
                "UPDATE users SET role = ?, pin_hash = ?, active = ?, pin_rule_ok = ? WHERE id = ?",
                (*wanted, row[0]),
            )
            if row[3] != account.pin_hash:
                db.execute("DELETE FROM pin_failures WHERE who = ?", [_account_key(row[1])])
        else:
            continue
        changed.append(account)
    return changed

"""Who may do what: roles, the protected actions, the role each needs, and the rules
for a user's name and secret. The users themselves are kept by station.store.users."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station.core.bad_input import BadInput


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
    # Catalogue and pool changes, so far only from the command line; a change to
    # the catalogue is audited per carrier or rate table ("carrier", "rates").
    CARRIERS = "carriers"
    POOL = "pool"
    # Retrying or dismissing an upload that needs attention (F12, `station sync`).
    UPLOADS = "uploads"
    # Opening an order held after a restore once upstream was checked.
    RELEASE = "release_restore_hold"


class AuditEvent(StrEnum):
    """What else the audit log records, under this name: things that happened, not
    actions someone's role allowed."""

    PIN_LOCKED = "pin.locked"
    DB_RESTORE = "db_restore"
    PRIVACY_PURGE = "privacy.purge"
    # A catalogue change, per carrier or rate table.
    CARRIER = "carrier"
    RATES = "rates"


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
    # The bench tells the packer to ask a supervisor to enable a carrier.
    Action.CARRIERS: Role.SUPERVISOR,
    Action.POOL: Role.SUPERVISOR,
    Action.RELEASE: Role.SUPERVISOR,
    Action.UPLOADS: Role.SUPERVISOR,
}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role

    def can(self, needed: Role) -> bool:
        return RANK[self.role] >= RANK[needed]

    def may(self, action: Action) -> bool:
        return self.can(NEEDED[action])


def with_article(role: Role) -> str:
    """'a supervisor', 'an admin'."""
    return ("an " if role.value[0] in "aeiou" else "a ") + role.value


class PermissionDenied(PermissionError):
    """Someone tried a protected action their role does not allow."""

    def __init__(self, user: User | None, action: Action) -> None:
        who = user.name if user else "nobody"
        super().__init__(f"{who} may not {action.value}: it needs {with_article(NEEDED[action])}.")
        self.user = user
        self.action = action


def require(user: User | None, action: Action) -> User:
    """The user, when their role allows the action; else PermissionDenied."""
    if user is None or not user.may(action):
        raise PermissionDenied(user, action)
    return user


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


# An admin may change settings and users: their secret is a passphrase (or a long
# PIN) of at least this many characters, so guessing it online or offline is slow.
ADMIN_SECRET_MIN = 8
ADMIN_SECRET_MAX = 128


def pin_problem(role: Role, pin: str) -> str | None:
    """What is wrong with `pin` as the secret of a `role`, or None when it is fine."""
    if role is Role.ADMIN:
        if not ADMIN_SECRET_MIN <= len(pin) <= ADMIN_SECRET_MAX or not pin.strip():
            return (
                f"An admin's PIN is a passphrase or PIN of {ADMIN_SECRET_MIN} to "
                f"{ADMIN_SECRET_MAX} characters."
            )
        return None
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        return "A PIN is 4 to 12 digits."
    return None

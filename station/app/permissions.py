"""What a use case raises when a PIN does not allow an action, for the adapters
to tell the user: the role is not enough (`PermissionDenied`), or PIN entry is
locked after too many wrong PINs (`PinLocked`, with `until`); and who signed
(`User`, `Signer`)."""

from __future__ import annotations

from typing import Protocol

import sqlite_utils

from station.core.permissions import Action, PermissionDenied, User
from station.store.users import PinLocked, authorize

__all__ = ["PermissionDenied", "PinLocked", "Signer", "User", "signer_for"]


class Signer(Protocol):
    """Who allows an action, as the audit log names them: a `User` whose PIN was
    checked, or the command line's `--as NAME` / `--technician` actor."""

    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...


def signer_for(db: sqlite_utils.Database, pin: str, action: Action) -> User:
    """The active user with this PIN whose role allows `action`; PermissionDenied if
    none (PinLocked after too many wrong PINs)."""
    user = authorize(db, pin, action)
    if user is None:
        raise PermissionDenied(None, action)
    return user

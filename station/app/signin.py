"""Signing in at the bench: a name (typed or from a badge) and a PIN. Wrong PINs
count against that account and lock it for a while; a sign-in is audited."""

from __future__ import annotations

import sqlite_utils

from station.core.permissions import Action, User
from station.store import audit
from station.store.users import accounts, sign_in


class SignIn:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def names(self) -> list[str]:
        """The active users' names, in name order, for the name field to complete."""
        return [a.name for a in accounts(self.db, active_only=True)]

    def sign_in(self, name: str, pin: str) -> User | None:
        """The active user of this name when the PIN is theirs (audited), else None;
        PinLocked when the account is locked or this wrong PIN locks it."""
        user = sign_in(self.db, name, pin)
        if user is not None:
            audit.record(self.db, Action.SIGN_IN, user.name, actor=user.name, role=user.role)
        return user

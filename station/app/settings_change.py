"""Changing the station's settings while it runs: who may, what is checked, what is
audited, and who hears of it.

- Only an administrator changes settings (the signed-in one, or one whose PIN is
  typed where the change is made).
- Every value is checked against its option (type, range, choices) before
  anything is audited or written: a change refused names the key and why.
- Each changed key is audited with its old and new value, naming the administrator
  and the reason. The audit rows are written first: a change that is logged but not
  saved is harmless, the reverse would not be.
- The file is then written atomically (a temporary file renamed over it, see
  `station.settings.write_atomically`), and everyone subscribed (the running bench,
  the window's tools) gets the new settings at once, not at the next start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlite_utils

from station.app.permissions import signer_for
from station.core.permissions import Action, User, require
from station.settings import Settings, SettingsError, check_values
from station.store import audit
from station.store.db import transaction

__all__ = ["SettingsChange", "SettingsError", "SettingsListener"]

SettingsListener = Callable[[Settings], None]


class SettingsChange:
    def __init__(self, db: sqlite_utils.Database, settings: Settings):
        self.db = db
        self.settings = settings
        """The settings as last saved (or as given, before any change)."""
        self._listeners: list[SettingsListener] = []

    def subscribe(self, listener: SettingsListener) -> None:
        """`listener` gets the new settings after each saved change."""
        self._listeners.append(listener)

    def admin(self, pin: str) -> User:
        """The administrator whose PIN this is; PermissionDenied (or PinLocked) if none."""
        return signer_for(self.db, pin, Action.SETTINGS)

    def changed(self, chosen: Settings, keys: Iterable[str]) -> dict[str, Any]:
        """Of `keys` (with '.'), those whose value in `chosen` differs from the
        settings now, with the chosen value."""
        return {key: chosen[key] for key in keys if chosen[key] != self.settings[key]}

    def save(self, user: User | None, reason: str, changes: Mapping[str, Any]) -> Settings:
        """Check, audit and save `changes` (keys with '.'), then tell every listener;
        the settings as saved. PermissionDenied unless `user` is an administrator,
        SettingsError when a value is not allowed or the file cannot be written.
        Nothing changed: nothing audited, written or told."""
        admin = require(user, Action.SETTINGS)
        if not changes:
            return self.settings
        check_values(changes)
        with transaction(self.db):
            for key, new in changes.items():
                audit.append(
                    self.db,
                    Action.SETTINGS,
                    key,
                    actor=admin.name,
                    role=admin.role,
                    reason=reason,
                    station=self.settings["station.name"],
                    detail={"old": self.settings[key], "new": new},
                )
        self.settings = self.settings.save(**changes)
        for listener in self._listeners:
            listener(self.settings)
        return self.settings

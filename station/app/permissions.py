"""What a use case raises when a PIN does not allow an action, for the adapters
to tell the user: the role is not enough (`PermissionDenied`), or PIN entry is
locked after too many wrong PINs (`PinLocked`, with `until`). The sign-in and
permissions use case belongs here."""

from __future__ import annotations

from station.store.users import PermissionDenied, PinLocked

__all__ = ["PermissionDenied", "PinLocked"]

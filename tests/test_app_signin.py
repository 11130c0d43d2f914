"""The sign-in use case on a real SQLite file: names to pick from, a PIN that
signs in (audited), wrong PINs that lock the account."""

from __future__ import annotations

import pytest
import sqlite_utils

from station.app.permissions import PinLocked
from station.app.signin import SignIn
from station.core.permissions import Action, Role
from station.store import audit
from station.store.users import PIN_TRIES, add_user, set_active


def test_an_active_user_signs_in_with_their_pin_and_it_is_audited(
    db: sqlite_utils.Database,
) -> None:
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    add_user(db, "li", Role.PACKER, "1111")
    add_user(db, "zhao", Role.PACKER, "3333")
    set_active(db, "zhao", False)
    signing = SignIn(db)
    assert signing.names() == ["li", "wang"]
    assert signing.sign_in(" li ", "2222") is None
    user = signing.sign_in("li", "1111")
    assert user is not None and (user.name, user.role) == ("li", Role.PACKER)
    assert signing.sign_in("zhao", "3333") is None
    [entry] = audit.entries(db, Action.SIGN_IN)
    assert (entry.actor, entry.subject) == ("li", "li")


def test_wrong_pins_lock_the_account_even_for_the_right_pin(db: sqlite_utils.Database) -> None:
    add_user(db, "li", Role.PACKER, "1111")
    signing = SignIn(db)
    with pytest.raises(PinLocked):
        for _ in range(PIN_TRIES):
            assert signing.sign_in("li", "9999") is None
    with pytest.raises(PinLocked):
        signing.sign_in("li", "1111")
    assert audit.entries(db, Action.SIGN_IN) == []

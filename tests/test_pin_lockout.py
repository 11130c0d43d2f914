"""Guessing PINs: after five wrong ones within 15 minutes a prompt takes no PIN for
five minutes; the lock is audited and every prompt says until when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import Qt

from station.core.permissions import Action as UserAction
from station.core.permissions import AuditEvent, Role
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import audit
from station.store.db import transaction
from station.store.users import (
    PIN_LOCK,
    PIN_TRIES,
    PinLocked,
    add_user,
    authorize,
    check_pin,
    hash_pin,
    set_pin,
    sign_in,
    weak_admins,
)
from station.ui.signin import SignInDialog
from tests.packing_flow_helpers import weighed_bench

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(db: sqlite_utils.Database) -> None:
    add_user(db, "li", Role.PACKER, "1111")
    add_user(db, "wang", Role.SUPERVISOR, "2222")


def _guess(db: sqlite_utils.Database, times: int, start: dt.datetime) -> None:
    for n in range(times):
        assert (
            check_pin(db, f"90{n:02d}", Role.SUPERVISOR, now=start + dt.timedelta(seconds=n))
            is None
        )


def test_the_fifth_wrong_pin_locks_the_prompt_even_for_the_right_pin(db, people) -> None:
    _guess(db, PIN_TRIES - 1, T0)
    with pytest.raises(PinLocked) as locked:
        check_pin(db, "9999", Role.SUPERVISOR, now=T0 + dt.timedelta(minutes=1))
    assert locked.value.until == T0 + dt.timedelta(minutes=1) + PIN_LOCK
    with pytest.raises(PinLocked):
        authorize(db, "2222", UserAction.VOID, now=T0 + dt.timedelta(minutes=3))
    [entry] = audit.entries(db, AuditEvent.PIN_LOCKED)
    assert entry.subject == "wang" and str(PIN_TRIES) in entry.reason


def test_after_the_lock_the_right_pin_works_and_clears_the_count(db, people) -> None:
    _guess(db, PIN_TRIES - 1, T0)
    with pytest.raises(PinLocked):
        check_pin(db, "9999", Role.SUPERVISOR, now=T0 + dt.timedelta(minutes=1))
    later = T0 + dt.timedelta(minutes=1) + PIN_LOCK + dt.timedelta(seconds=1)
    user = check_pin(db, "2222", Role.SUPERVISOR, now=later)
    assert user is not None and user.name == "wang"
    _guess(db, PIN_TRIES - 1, later)  # counted afresh: four more wrong ones do not lock


def test_wrong_pins_spread_over_more_than_the_window_never_lock(db, people) -> None:
    for n in range(PIN_TRIES * 2):
        moment = T0 + dt.timedelta(minutes=4 * n)
        assert check_pin(db, "9999", Role.SUPERVISOR, now=moment) is None


def test_sign_in_locks_the_guessed_name_only(db, people) -> None:
    for n in range(PIN_TRIES - 1):
        assert sign_in(db, "li", "0000", now=T0 + dt.timedelta(seconds=n)) is None
    with pytest.raises(PinLocked):
        sign_in(db, "LI ", "0000", now=T0 + dt.timedelta(seconds=10))
    with pytest.raises(PinLocked):
        sign_in(db, "li", "1111", now=T0 + dt.timedelta(seconds=20))
    assert sign_in(db, "wang", "2222", now=T0 + dt.timedelta(seconds=30)) is not None


ADMIN_PIN = "47114711"


def test_a_supervisor_cannot_reset_the_count_of_guesses_at_the_admin_pin(db, people) -> None:
    """The attack of issue 17: four guesses at the admin prompt, the supervisor's own
    PIN at a supervisor prompt, repeat. The fifth wrong guess locks the admin."""
    add_user(db, "zhao", Role.ADMIN, ADMIN_PIN)
    moment = T0
    guesses = iter(f"{n:08d}" for n in range(100))
    for _ in range(PIN_TRIES - 1):
        moment += dt.timedelta(seconds=10)
        assert authorize(db, next(guesses), UserAction.SETTINGS, now=moment) is None
    assert check_pin(db, "2222", Role.SUPERVISOR, now=moment).name == "wang"
    moment += dt.timedelta(seconds=10)
    with pytest.raises(PinLocked):
        authorize(db, next(guesses), UserAction.SETTINGS, now=moment)
    with pytest.raises(PinLocked):
        authorize(db, ADMIN_PIN, UserAction.SETTINGS, now=moment + dt.timedelta(seconds=1))
    [entry] = audit.entries(db, AuditEvent.PIN_LOCKED)
    assert entry.subject == "zhao"
    # The supervisor's own account was never guessed at: it still works.
    assert check_pin(db, "2222", Role.SUPERVISOR, now=moment).name == "wang"
    later = moment + PIN_LOCK + dt.timedelta(seconds=1)
    assert authorize(db, ADMIN_PIN, UserAction.SETTINGS, now=later).name == "zhao"


def test_a_wrong_pin_at_a_supervisor_prompt_counts_against_every_account_it_could_be(
    db, people
) -> None:
    add_user(db, "zhao", Role.ADMIN, ADMIN_PIN)
    _guess(db, PIN_TRIES - 1, T0)
    with pytest.raises(PinLocked):
        check_pin(db, "9999", Role.SUPERVISOR, now=T0 + dt.timedelta(minutes=1))
    assert sorted(e.subject for e in audit.entries(db, AuditEvent.PIN_LOCKED)) == ["wang", "zhao"]
    with pytest.raises(PinLocked):
        sign_in(db, "zhao", ADMIN_PIN, now=T0 + dt.timedelta(minutes=2))
    # A packer's sign-in is no PIN of theirs: it is not locked.
    assert sign_in(db, "li", "1111", now=T0 + dt.timedelta(minutes=2)).name == "li"


def test_one_accounts_right_pin_clears_only_its_own_count(db, people) -> None:
    add_user(db, "zhao", Role.ADMIN, ADMIN_PIN)
    for n in range(PIN_TRIES - 1):
        assert sign_in(db, "zhao", "00000000", now=T0 + dt.timedelta(seconds=n)) is None
    assert sign_in(db, "wang", "2222", now=T0 + dt.timedelta(seconds=30)) is not None
    with pytest.raises(PinLocked):
        authorize(db, "00000001", UserAction.USERS, now=T0 + dt.timedelta(seconds=40))


def test_admins_need_a_long_secret_and_may_use_a_passphrase(db) -> None:
    with pytest.raises(ValueError, match="8 to 128 characters"):
        add_user(db, "zhao", Role.ADMIN, "4711")
    admin = add_user(db, "zhao", Role.ADMIN, "correct horse 电池")
    assert authorize(db, "correct horse 电池", UserAction.USERS) == admin
    with pytest.raises(ValueError, match="4 to 12 digits"):
        add_user(db, "li", Role.PACKER, "password")
    assert weak_admins(db) == []


def test_a_short_admin_pin_from_before_the_rule_still_works_and_is_named(db) -> None:
    admin = add_user(db, "zhao", Role.ADMIN, ADMIN_PIN)
    with transaction(db):  # as an admin added before the rule was: 4 digits, not yet judged
        db.execute(
            "UPDATE users SET pin_hash = ?, pin_rule_ok = NULL WHERE id = ?",
            (hash_pin("4711"), admin.id),
        )
    assert weak_admins(db) == ["zhao"]
    assert authorize(db, "4711", UserAction.SETTINGS) == admin
    assert weak_admins(db) == ["zhao"]
    set_pin(db, "zhao", "a longer passphrase")
    assert weak_admins(db) == []
    assert authorize(db, "4711", UserAction.SETTINGS) is None


def test_the_bench_says_the_override_prompt_is_locked(
    demo_db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    bench = weighed_bench(demo_db, settings, tmp_path, off_by_grams=900)
    keys = [bench.override(f"90{n:02d}", "guess").message.key for n in range(PIN_TRIES)]
    assert keys == ["override_denied"] * (PIN_TRIES - 1) + ["pin_locked"]
    locked = bench.override(DEMO_SUPERVISOR_PIN, "the real supervisor, too soon")
    assert locked.message.key == "pin_locked" and ":" in locked.message.params["until"]
    assert audit.entries(demo_db, UserAction.OVERRIDE) == []


def test_the_sign_in_dialog_shows_until_when(qtbot, db, people) -> None:  # type: ignore[no-untyped-def]
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(PIN_TRIES):
        dialog.form.name_box.setEditText("li")
        qtbot.keyClicks(dialog.form.pin_edit, "0000")
        qtbot.keyClick(dialog.form.pin_edit, Qt.Key.Key_Return)
    assert "Too many wrong PINs" in dialog.form.error.text()
    assert dialog.user is None

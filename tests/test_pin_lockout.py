"""Guessing PINs: after five wrong ones within 15 minutes a prompt takes no PIN for
five minutes; the lock is audited and every prompt says until when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import Qt

from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import audit
from station.store.users import (
    PIN_LOCK,
    PIN_TRIES,
    PinLocked,
    Role,
    add_user,
    authorize,
    check_pin,
    sign_in,
)
from station.store.users import Action as UserAction
from station.ui.signin import SignInDialog
from tests.bench_helpers import weighed_bench

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
    [entry] = audit.entries(db, "pin.locked")
    assert entry.subject == "*" and str(PIN_TRIES) in entry.reason


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

"""Sign-in dialog, lock screen and idle lock, by keyboard."""

from __future__ import annotations

import pytest
import sqlite_utils
from PySide6.QtCore import Qt

from station.core.permissions import Action, Role
from station.store import audit
from station.store.users import add_user, set_active
from station.ui.lock import IdleWatcher, LockScreen
from station.ui.signin import SignInDialog


@pytest.fixture
def li(db: sqlite_utils.Database):
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    return add_user(db, "li", Role.PACKER, "1111")


def _type(qtbot, dialog_form, name: str, pin: str) -> None:
    dialog_form.name_box.setEditText("")
    qtbot.keyClicks(dialog_form.name_box.lineEdit(), name)
    qtbot.keyClick(dialog_form.name_box.lineEdit(), Qt.Key.Key_Return)
    qtbot.keyClicks(dialog_form.pin_edit, pin)
    qtbot.keyClick(dialog_form.pin_edit, Qt.Key.Key_Return)


def test_sign_in_by_keyboard_returns_the_user_and_is_audited(qtbot, db, li) -> None:
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.form, "li", "2222")
    assert dialog.user is None and "Wrong" in dialog.form.error.text()
    with qtbot.waitSignal(dialog.accepted):
        _type(qtbot, dialog.form, "li", "1111")
    assert dialog.user == li
    [entry] = audit.entries(db, Action.SIGN_IN)
    assert entry.actor == "li"


def test_a_disabled_user_cannot_sign_in(qtbot, db, li) -> None:
    set_active(db, "li", False)
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    _type(qtbot, dialog.form, "li", "1111")
    assert dialog.user is None


def test_the_lock_screen_stays_until_a_pin_and_ignores_escape(qtbot, db, li) -> None:
    lock = LockScreen(db)
    qtbot.addWidget(lock)
    lock.lock(li)
    assert lock.locked and lock.form.name_box.currentText() == "li"
    qtbot.keyClick(lock, Qt.Key.Key_Escape)
    assert lock.locked
    qtbot.keyClicks(lock.form.pin_edit, "9999")
    qtbot.keyClick(lock.form.pin_edit, Qt.Key.Key_Return)
    assert lock.locked
    with qtbot.waitSignal(lock.unlocked) as unlocked:
        qtbot.keyClicks(lock.form.pin_edit, "1111")
        qtbot.keyClick(lock.form.pin_edit, Qt.Key.Key_Return)
    assert unlocked.args == [li] and not lock.locked


def test_idle_watcher_fires_after_no_input_and_input_postpones_it(qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    watcher = IdleWatcher(0.005)  # 300 ms
    try:
        with qtbot.assertNotEmitted(watcher.idle, wait=200):
            qtbot.keyClick(edit, Qt.Key.Key_A)
        with qtbot.waitSignal(watcher.idle, timeout=1000):
            pass
        watcher.set_minutes(0)
        with qtbot.assertNotEmitted(watcher.idle, wait=400):
            qtbot.keyClick(edit, Qt.Key.Key_B)
    finally:
        watcher.stop()

"""Signing in at the bench: a name and a PIN, by keyboard or scanner.

The name field completes from the active users (a badge barcode carrying the
name works too); Enter in the name moves to the PIN, Enter in the PIN signs in.
"""

from __future__ import annotations

import sqlite_utils
from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station.app.permissions import PinLocked, User
from station.app.signin import SignIn
from station.ui.texts import pin_locked_text


class PinForm(QWidget):
    """Name and PIN fields; emits `signed_in(User)` when they match an active user."""

    signed_in = Signal(object)

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.signing = SignIn(db)
        self.name_box = QComboBox(objectName="userName")
        self.name_box.setEditable(True)
        self.name_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.pin_edit = QLineEdit(objectName="pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r".{0,128}")))
        self.error = QLabel(objectName="signInError")
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout(self)
        form.addRow(self.tr("&Name"), self.name_box)
        form.addRow(self.tr("&PIN"), self.pin_edit)
        form.addRow(self.error)
        name_line = self.name_box.lineEdit()
        assert name_line is not None, "an editable combo box has a line edit"
        name_line.returnPressed.connect(self.pin_edit.setFocus)
        self.pin_edit.returnPressed.connect(self.submit)
        self.reload()

    def reload(self, name: str = "") -> None:
        """Fill the names of the active users, preselecting `name`."""
        self.name_box.clear()
        self.name_box.addItems(self.signing.names())
        self.name_box.setEditText(name)
        self.pin_edit.clear()
        self.error.clear()
        (self.pin_edit if name else self.name_box).setFocus()

    def take_name(self, code: str) -> None:
        """A scanned badge: its code is the user's name; the PIN comes next."""
        self.name_box.setEditText(code)
        self.pin_edit.setFocus()

    def submit(self) -> User | None:
        try:
            user = self.signing.sign_in(self.name_box.currentText(), self.pin_edit.text())
        except PinLocked as locked:
            self.error.setText(pin_locked_text(locked))
            self.pin_edit.clear()
            return None
        self.pin_edit.clear()
        if user is None:
            self.error.setText(self.tr("Wrong name or PIN, or the user is disabled."))
            self.pin_edit.setFocus()
            return None
        self.error.clear()
        self.signed_in.emit(user)
        return user


class SignInDialog(QDialog):
    """Who is packing: accepted with the signed-in user in `user`."""

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in"))
        self.user: User | None = None
        self.form = PinForm(db, self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.form.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Scan your badge or type your name, then your PIN.")))
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.form.signed_in.connect(self._accepted)

    def take_scan(self, code: str) -> None:
        self.form.take_name(code)

    def _accepted(self, user: User) -> None:
        self.user = user
        self.accept()

    @classmethod
    def ask(cls, db: sqlite_utils.Database, parent: QWidget | None = None) -> User | None:
        """Show the dialog; the user who signed in, or None when cancelled."""
        dialog = cls(db, parent)
        dialog.exec()
        return dialog.user

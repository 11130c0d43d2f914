"""The supervisor override: PIN, then a reason, all by keyboard or numpad.

Enter in the PIN field checks the PIN at once (a wrong one is said there and
then) and moves on to the reason. With the reason field empty,
a number key picks that numbered reason and confirms at once; typing anything
else is a free-text reason, confirmed with Enter. Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QRegularExpression,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from station.core.session import OverrideKind

CONTEXT = "OverrideDialog"

REASONS: dict[OverrideKind, tuple[object, ...]] = {
    OverrideKind.LINE: (
        QT_TRANSLATE_NOOP("OverrideDialog", "Barcode damaged, item checked by hand"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Gift or part without a barcode"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Out of stock, buyer agreed to ship less"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Same item, different barcode"),
    ),
    OverrideKind.WEIGHT: (
        QT_TRANSLATE_NOOP("OverrideDialog", "Different carton or filling"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Product weight on file is wrong"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Items checked by hand, all correct"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Extra padding for fragile goods"),
    ),
    OverrideKind.FLAGS: (
        QT_TRANSLATE_NOOP("OverrideDialog", "Address checked with the buyer"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Regular customer, address known"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Carrier accepts this address"),
    ),
    # Packing an order this bench does not hold while the warehouse hub is offline.
    OverrideKind.HUB_OFFLINE: (
        QT_TRANSLATE_NOOP("OverrideDialog", "Checked with the floor: no other bench has it"),
        QT_TRANSLATE_NOOP("OverrideDialog", "Urgent order, the hub is down"),
    ),
}


def reason_choices(kind: OverrideKind) -> tuple[str, ...]:
    """The preset reasons for an override kind, translated now (the language may change)."""
    return tuple(QCoreApplication.translate(CONTEXT, str(r)) for r in REASONS[kind])


class OverrideDialog(QDialog):
    """Asks for a supervisor PIN and a reason; read `pin` and `reason` once accepted."""

    def __init__(
        self,
        kind: OverrideKind,
        parent: QWidget | None = None,
        pin_refusal: Callable[[str], str | None] = lambda pin: None,
    ):
        """`pin_refusal(pin)`: why a PIN is refused (shown at once), or None."""
        super().__init__(parent)
        self.pin_refusal = pin_refusal
        self.setObjectName("overrideDialog")
        self.setMinimumWidth(720)
        self.kind = kind
        self.choices = reason_choices(kind)
        titles = {
            OverrideKind.LINE: self.tr("Supervisor: confirm the unscanned item"),
            OverrideKind.WEIGHT: self.tr("Supervisor: accept this weight"),
            OverrideKind.FLAGS: self.tr("Supervisor: confirm the flagged address"),
            OverrideKind.HUB_OFFLINE: self.tr(
                "Supervisor: pack this order while the hub is offline"
            ),
        }
        title = titles[kind]
        self.setWindowTitle(title)
        heading = QLabel(title, objectName="dialogTitle")
        self.pin_edit: QLineEdit = QLineEdit(objectName="pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r".{0,128}"), self.pin_edit)
        )
        self.pin_edit.setPlaceholderText(self.tr("Supervisor PIN, then Enter"))
        numbered = "\n".join(f"{n}  {text}" for n, text in enumerate(self.choices, start=1))
        self.reasons = QLabel(numbered, objectName="reasonList")
        self.reason_edit: QLineEdit = QLineEdit(objectName="reason")
        self.reason_edit.setPlaceholderText(
            self.tr("Press a number, or type a reason and press Enter")
        )
        self.hint = QLabel(self.tr("Esc cancels"), objectName="dialogHint")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel(self.tr("1. PIN")))
        layout.addWidget(self.pin_edit)
        layout.addWidget(QLabel(self.tr("2. Reason")))
        layout.addWidget(self.reasons)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.hint)
        self.reason_edit.setEnabled(False)
        self.pin_edit.returnPressed.connect(self._pin_entered)
        self.reason_edit.returnPressed.connect(self._reason_entered)
        self.reason_edit.installEventFilter(self)
        self.pin_edit.setFocus()

    @property
    def pin(self) -> str:
        return self.pin_edit.text()

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def choose(self, number: int) -> None:
        """Pick preset reason `number` (1-based) and confirm."""
        self.reason_edit.setText(self.choices[number - 1])
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not self.reason_edit.text()
            and watched is self.reason_edit
        ):
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(self.choices):
                self.choose(int(text))
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter must never reach QDialog's default-button handling: the line edits decide.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def _pin_entered(self) -> None:
        if not self.pin:
            return
        refusal = self.pin_refusal(self.pin)
        if refusal is not None:
            self.hint.setText(refusal)
            self.pin_edit.clear()
            return
        self.hint.setText(self.tr("Esc cancels"))
        self.reason_edit.setEnabled(True)
        self.reason_edit.setFocus()

    def _reason_entered(self) -> None:
        if self.reason:
            self.accept()

"""Keyboard-wedge scanner detection, wherever the keyboard focus is.

A USB scanner "types" its code as a burst of key presses a few milliseconds
apart, usually ending in Enter (sometimes Tab, sometimes nothing). People type
far slower. The detector, installed on QApplication, holds back the first keys
of every possible burst for one gap's time: if more keys follow fast enough
and the burst is long enough, it is a scan (emitted, never delivered to any
widget); otherwise the held keys are replayed, unchanged and in order, to the
widget that was meant to get them. So a PIN typed by hand reaches its field,
and a scan while a dialog's text field has focus still reaches the bench.

Gaps are measured with an injectable monotonic clock at the moment each event
is seen, not with the events' own timestamps (synthetic and remote events
carry none that can be trusted).

Where the keys go to a widget that reads no typed text (the bench screen
itself), pace does not matter: everything up to Enter or Tab, or up to a
pause of `idle_ms`, is a scan. Measured at delivery, the gaps of a burst that
arrived while the GUI thread was busy can look like a person's, and speed
alone would then split one scan in two. It also lets a packer type a code
whose barcode will not scan, and press Enter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

log = logging.getLogger("station.ui.scanner")

SUFFIX_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab})
# Pressed on their own inside a scan (Shift before each capital): neither part of the
# code nor the end of the burst.
MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)
_SCAN_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


@dataclass
class _Held:
    """One held-back input: where it was going, a copy of it, and its characters."""

    receiver: QObject
    event: QEvent
    text: str


class ScanDetector(QObject):
    """Application-wide event filter that turns key bursts into `scanned(code)`."""

    scanned = Signal(str)

    def __init__(
        self,
        max_gap_ms: int = 30,
        min_length: int = 3,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
        idle_ms: int = 400,
    ):
        super().__init__(parent)
        self.max_gap_s = max_gap_ms / 1000
        self.idle_s = idle_ms / 1000
        self.min_length = min_length
        self.clock = clock
        self._held: list[_Held] = []
        self._last_at = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._gap_elapsed)

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    @property
    def _patient(self) -> bool:
        """The burst goes to a widget that reads no typed text: its pace does not matter."""
        return bool(self._held) and not _takes_typing(self._held[0].receiver)

    @property
    def _gap_s(self) -> float:
        return self.idle_s if self._patient else self.max_gap_s

    @property
    def pending(self) -> str:
        """The characters held back right now (a burst still being decided)."""
        return "".join(h.text for h in self._held)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(watched, event)
        if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            return self._input_method(watched, event)
        return False

    def _key(self, receiver: QObject, event: QKeyEvent) -> bool:
        if event.key() in MODIFIER_KEYS:
            return False
        now = self.clock()
        self._close_if_gap_passed(now)
        if event.key() in SUFFIX_KEYS and not event.modifiers() & ~_SCAN_MODIFIERS:
            if len(self.pending) >= self.min_length:
                self._emit_scan()
                return True
            self._replay()
            return False
        text = _scan_char(event)
        if not text:
            self._replay()
            return False
        self._hold(receiver, event.clone(), text, now)
        return True

    def _input_method(self, receiver: QObject, event: QInputMethodEvent) -> bool:
        """An input method's committed text counts as typed characters."""
        text = event.commitString()
        if not text or event.preeditString():
            return False
        now = self.clock()
        self._close_if_gap_passed(now)
        self._hold(receiver, event.clone(), text, now)
        return True

    def _hold(self, receiver: QObject, event: QEvent, text: str, now: float) -> None:
        self._held.append(_Held(receiver, event, text))
        self._last_at = now
        self._timer.start(max(1, round(self._gap_s * 1000)))

    def _close_if_gap_passed(self, now: float) -> None:
        if self._held and now - self._last_at > self._gap_s:
            self._finish()

    def _gap_elapsed(self) -> None:
        """No key for a while: the burst (if any) is over, even without a suffix."""
        if not self._held:
            return
        waited = self.clock() - self._last_at
        if waited < self._gap_s:
            self._timer.start(max(1, round((self._gap_s - waited) * 1000)))
            return
        self._finish()

    def _finish(self) -> None:
        """End a burst: a scan when it was long and fast enough (any pace where
        nothing reads typing), else typing."""
        if len(self._held) > 1 and len(self.pending) >= self.min_length:
            self._emit_scan()
        else:
            self._replay()

    def _emit_scan(self) -> None:
        code = self.pending
        self._held.clear()
        self._timer.stop()
        log.debug("scan %r", code)
        self.scanned.emit(code)

    def _replay(self) -> None:
        """Deliver held keys to their widgets as if never held."""
        held, self._held = self._held, []
        self._timer.stop()
        self._replaying = True
        try:
            for item in held:
                if shiboken6.isValid(item.receiver):
                    QCoreApplication.sendEvent(item.receiver, item.event)
        finally:
            self._replaying = False


_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


def _takes_typing(widget: QObject) -> bool:
    """Does this widget read typed text (a field in a dialog), or only keys?"""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, _TEXT_INPUTS)


def _scan_char(event: QKeyEvent) -> str:
    """The character a key press adds to a scan, or "" when it cannot be part of one."""
    if event.isAutoRepeat() or event.modifiers() & ~_SCAN_MODIFIERS:
        return ""
    text = event.text()
    return text if len(text) == 1 and text.isprintable() else ""

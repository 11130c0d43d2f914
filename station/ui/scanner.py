"""Keyboard-wedge scanner detection, wherever the keyboard focus is.

A USB scanner "types" its code as a burst of key presses a few milliseconds
apart, usually ending in Enter (sometimes Tab, sometimes nothing). People type
far slower. The detector, installed on QApplication, holds back the first keys
of every possible burst for one gap's time: if more keys follow fast enough
and the burst is long enough, it is a scan (emitted, never delivered to any
widget); otherwise the held keys are replayed, unchanged and in order, to the
widget that was meant to get them. So a PIN typed by hand reaches its field,
and a scan while a dialog's text field has focus still reaches the bench.

Time is read from an injectable monotonic clock when each event is seen, not
from the events' own timestamps (synthetic and remote events carry none that
can be trusted).

A burst ends at Enter or Tab, or when the keys stop: once `gap` has passed
since the last key *while the event loop was free to deliver keys*. A busy GUI
thread (a label being scaled, the dashboard refreshing, a garbage collection)
keeps a scanner's keys in the input queue and then delivers them all at once:
judged by the clock alone, that busy spell looks like a pause, and the scan was
split in two or its first letters handed to a widget as typing (one order scan
in 47 was lost so). So a gap is never measured between two keys; while a burst
is held, a fine ticker watches the loop, and the longest stall it saw since the
last key (keys typed then may still be on their way) does not count as quiet.

On the bench screen itself (no dialog, no popup, a widget that reads no typed
text), pace does not matter: everything up to Enter or Tab, or up to a pause
of `idle_ms`, is a scan. It also lets a packer type a code whose barcode will
not scan, and press Enter. In dialogs and popups only a fast burst is a scan,
so a hand on the keyboard there (Space on a check box, a path typed into a
file dialog's completer) reaches its widget; a key's release is held with its
press, so that a button or check box gets them in order; and a burst never
starts with Space.
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
    QApplication,
    QComboBox,
    QDialog,
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
# How often the event loop is looked at while a burst is held.
TICK_MS = 5


@dataclass
class _Held:
    """One held-back input: where it was going, a copy of it, and its characters
    (none for a key's release, held to follow its press)."""

    receiver: QObject
    event: QEvent
    text: str
    key: int = 0


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
        self._seen_at = 0.0
        self._stall = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    @property
    def _patient(self) -> bool:
        """The burst goes to the bench screen, to a widget that reads no typed text:
        its pace does not matter."""
        return bool(self._held) and _on_bench_screen(self._held[0].receiver)

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
        if kind == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            return self._release(watched, event)
        if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            return self._input_method(watched, event)
        return False

    def _key(self, receiver: QObject, event: QKeyEvent) -> bool:
        if event.key() in MODIFIER_KEYS:
            return False
        if event.key() in SUFFIX_KEYS and not event.modifiers() & ~_SCAN_MODIFIERS:
            if len(self.pending) >= self.min_length:
                self._emit_scan()
                return True
            self._replay()
            return False
        text = _scan_char(event)
        if not text or (text == " " and not self._held):
            # A key that is no part of a scan ends the burst: a scan if it was one
            # (replayed to the bench screen, its letters would be lost), else typing.
            self._finish()
            return False
        self._hold(_Held(receiver, event.clone(), text, event.key()))
        return True

    def _release(self, receiver: QObject, event: QKeyEvent) -> bool:
        """A key's release follows its press: held while the press is."""
        if event.isAutoRepeat():
            return False
        presses = sum(1 for h in self._held if h.key == event.key() and h.text)
        releases = sum(1 for h in self._held if h.key == event.key() and not h.text)
        if presses <= releases:
            return False
        self._held.append(_Held(receiver, event.clone(), "", event.key()))
        return True

    def _input_method(self, receiver: QObject, event: QInputMethodEvent) -> bool:
        """An input method's committed text counts as typed characters."""
        text = event.commitString()
        if not text or event.preeditString():
            return False
        self._hold(_Held(receiver, event.clone(), text))
        return True

    def _hold(self, held: _Held) -> None:
        self._held.append(held)
        self._last_at = self._seen_at = self.clock()
        self._stall = 0.0
        if not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        """The loop is free now. The burst (if any) is over, even without a suffix,
        once a gap has passed since its last key, not counting the longest time
        the loop was busy since (keys typed then may not have been delivered yet)."""
        if not self._held:
            self._timer.stop()
            return
        now = self.clock()
        self._stall = max(self._stall, now - self._seen_at)
        self._seen_at = now
        if now - self._last_at - self._stall >= self._gap_s:
            self._finish()

    def _finish(self) -> None:
        """End a burst: a scan when it was long and fast enough (any pace where
        nothing reads typing), else typing."""
        if not self._held:
            return
        presses = sum(1 for h in self._held if h.text)
        if presses > 1 and len(self.pending) >= self.min_length:
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


def _on_bench_screen(widget: QObject) -> bool:
    """Is this a widget of the bench screen that reads no typed text (not a
    dialog's, not a popup's, not a text field)?"""
    if not isinstance(widget, QWidget) or _takes_typing(widget):
        return False
    if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
        return False
    window = widget.window()
    return not isinstance(window, QDialog) and window.windowType() != Qt.WindowType.Popup


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

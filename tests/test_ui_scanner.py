"""Keyboard-wedge scan detection with real key events at scanner and human speed."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.ui.scanner import ScanDetector


@pytest.fixture
def form(qtbot):
    widget = QWidget()
    layout = QVBoxLayout(widget)
    field = QLineEdit()
    layout.addWidget(field)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    field.setFocus()
    yield field
    widget.close()


@pytest.fixture
def detector(qapp):
    scanner = ScanDetector(max_gap_ms=30, min_length=3)
    scanner.install(qapp)
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    scanner.scans = scans
    yield scanner
    qapp.removeEventFilter(scanner)


def type_text(widget: QWidget, text: str, gap_ms: int) -> None:
    for char in text:
        QTest.keyClick(widget, char, Qt.KeyboardModifier.NoModifier, gap_ms)


def test_fast_burst_with_enter_is_a_scan_and_never_reaches_the_field(qtbot, form, detector):
    type_text(form, "WX2026-0001", 1)
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 1)
    assert detector.scans == ["WX2026-0001"]
    assert form.text() == ""


def test_tab_suffix_ends_a_scan(qtbot, form, detector):
    type_text(form, "6900000000014", 1)
    QTest.keyClick(form, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, 1)
    assert detector.scans == ["6900000000014"]


def test_burst_without_suffix_is_a_scan_once_the_keys_stop(qtbot, form, detector):
    type_text(form, "CMD-REPRINT", 1)
    qtbot.waitUntil(lambda: detector.scans == ["CMD-REPRINT"], timeout=1000)
    assert form.text() == ""


def test_slow_typing_reaches_the_field_unchanged(qtbot, form, detector):
    type_text(form, "1234", 80)
    qtbot.waitUntil(lambda: form.text() == "1234", timeout=1000)
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 80)
    assert detector.scans == []
    assert detector.pending == ""


def test_short_fast_burst_is_typing_not_a_scan(qtbot, form, detector):
    type_text(form, "ab", 1)
    qtbot.waitUntil(lambda: form.text() == "ab", timeout=1000)
    assert detector.scans == []


def test_shift_pressed_before_each_capital_stays_in_the_burst(qtbot, form, detector):
    for char in "WX12":
        QTest.keyPress(form, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier, 1)
        QTest.keyClick(form, char, Qt.KeyboardModifier.ShiftModifier, 1)
        QTest.keyRelease(form, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier, 1)
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 1)
    assert detector.scans == ["WX12"]


def test_input_method_commit_arrives_whole(qtbot, form, detector):
    """A Chinese IME commits text instead of key presses; the scan must keep every letter."""
    type_text(form, "123456", 1)
    commit = QInputMethodEvent()
    commit.setCommitString("date")
    QApplication.sendEvent(form, commit)
    QTest.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 1)
    assert detector.scans == ["123456date"]
    assert form.text() == ""


def test_slow_input_method_text_reaches_the_field(qtbot, form, detector):
    commit = QInputMethodEvent()
    commit.setCommitString("主管同意")
    QApplication.sendEvent(form, commit)
    qtbot.waitUntil(lambda: form.text() == "主管同意", timeout=1000)
    assert detector.scans == []


def test_control_keys_pass_straight_through(qtbot, form, detector):
    form.setText("abc")
    QTest.keyClick(form, Qt.Key.Key_Backspace)
    assert form.text() == "ab"
    assert detector.scans == []


def press(widget: QWidget, char: str) -> None:
    QApplication.sendEvent(
        widget, QKeyEvent(QEvent.Type.KeyPress, ord(char), Qt.KeyboardModifier.NoModifier, char)
    )


def test_keys_delivered_together_after_a_busy_spell_stay_one_burst(qtbot, form, qapp):
    """Keys that a busy GUI thread delivers late and all at once are one burst, however
    long the clock says passed between them, and the loop coming back late does not end
    the burst: only a gap seen with a free loop does."""
    now = [0.0]
    scanner = ScanDetector(max_gap_ms=30, min_length=3, clock=lambda: now[0])
    scanner.install(qapp)
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    try:
        for char in "987":
            press(form, char)
            now[0] += 0.05
        now[0] += 0.05
        qtbot.wait(60)  # the loop comes back 50 ms after the last key: a stall, not a gap
        assert scanner.pending == "987"
        press(form, "6")
        QApplication.sendEvent(
            form,
            QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"
            ),
        )
        assert scans == ["9876"]
        assert form.text() == ""
    finally:
        qapp.removeEventFilter(scanner)


def test_a_gap_seen_with_a_free_loop_ends_the_burst(qtbot, form, qapp):
    """The loop was free all along (the injected clock moves on a millisecond each
    time it is read): a gap passed, the key was typing."""
    reads = itertools.count()
    scanner = ScanDetector(max_gap_ms=30, min_length=3, clock=lambda: next(reads) / 1000)
    scanner.install(qapp)
    try:
        press(form, "9")
        qtbot.waitUntil(lambda: form.text() == "9", timeout=1000)
        assert scanner.pending == ""
    finally:
        qapp.removeEventFilter(scanner)


@pytest.fixture
def dialog(qtbot):
    window = QDialog()
    layout = QVBoxLayout(window)
    window.check = QCheckBox("repack")
    window.button = QPushButton("OK")
    layout.addWidget(window.check)
    layout.addWidget(window.button)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_space_ticks_a_check_box_in_a_dialog(qtbot, dialog, detector):
    """Space's press and release reach the check box in order (it toggles on release)."""
    dialog.check.setFocus()
    QTest.keyClick(dialog.check, Qt.Key.Key_Space)
    qtbot.waitUntil(dialog.check.isChecked, timeout=1000)
    assert detector.scans == []


def test_a_held_key_is_released_after_it_was_pressed(qtbot, dialog, detector):
    """A person's key press held for a gap is replayed before its release."""
    dialog.button.setFocus()
    seen: list[QEvent.Type] = []

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if watched is dialog.button and event.type() in (
                QEvent.Type.KeyPress,
                QEvent.Type.KeyRelease,
            ):
                seen.append(event.type())
            return False

    watch = Watch()
    dialog.button.installEventFilter(watch)
    QTest.keyClick(dialog.button, "x")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=1000)
    assert seen == [QEvent.Type.KeyPress, QEvent.Type.KeyRelease]


def test_slow_typing_in_a_dialog_is_never_a_scan(qtbot, dialog, detector):
    """A path typed by hand where no field has the focus (a file dialog's completer
    popup) is typing, not a scan sent to the bench."""
    dialog.button.setFocus()
    type_text(dialog.button, "tmp/x.pdf", 60)
    QTest.keyClick(dialog.button, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, 60)
    qtbot.wait(100)
    assert detector.scans == []


def test_a_key_that_is_no_part_of_a_scan_ends_the_burst_as_a_scan(qtbot, form, detector):
    """An arrow or F-key pressed right after a scanner's burst (no suffix) does not turn
    the burst into typing."""
    type_text(form, "WX2026-0002", 1)
    QTest.keyClick(form, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier, 1)
    assert detector.scans == ["WX2026-0002"]
    assert form.text() == ""

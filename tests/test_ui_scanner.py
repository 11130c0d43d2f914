"""Keyboard-wedge scan detection with real key events at scanner and human speed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

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


def test_gaps_are_measured_with_the_injected_clock(qtbot, form, qapp):
    """Key events arriving together are still typing when the clock says they were slow."""
    now = [0.0]
    scanner = ScanDetector(max_gap_ms=30, min_length=3, clock=lambda: now[0])
    scanner.install(qapp)
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    try:
        for char in "987":
            QApplication.sendEvent(
                form,
                QKeyEvent(QEvent.Type.KeyPress, ord(char), Qt.KeyboardModifier.NoModifier, char),
            )
            now[0] += 0.05
        QApplication.sendEvent(
            form,
            QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"
            ),
        )
        assert scans == []
        assert form.text() == "987"
    finally:
        qapp.removeEventFilter(scanner)

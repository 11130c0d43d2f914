"""The Qt binding itself: a guard against PySide6 releases that break the bench.

PySide6 6.12.0 dropped a reference to None on every call of a method returning
void (QLabel.setText, setStyleSheet). The bench window updates its labels at the
scale's pace, 10-20 times a second, so None's count ran out within minutes and
the interpreter aborted ("none_dealloc"). pyproject.toml excludes that release;
this test fails on any binding that does it again.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_updating_a_label_keeps_none_and_bools_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")
    label.setVisible(False)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for n in range(2000):
        label.setText(f"{n} g")
        label.setStyleSheet("color: #1b873f;")
        label.setVisible(n % 2 == 0)
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    assert all(a >= b - 50 for a, b in zip(after, before, strict=True)), (before, after)

"""The Qt binding itself: a guard against PySide6 releases that break the bench.

PySide6 6.12.0 dropped a reference to None on every call of a method returning
void (QLabel.setText, setStyleSheet). The bench window updates its labels at the
scale's pace, 10-20 times a second, so None's count ran out within minutes and
the interpreter aborted ("none_dealloc"). pyproject.toml excludes that release.

From Python 3.12 on, None and the bools are immortal (PEP 683): the interpreter
no longer counts their references, so a lost one cannot free them, and their
counts say nothing (passing True to a binding moves True's count down on a sound
binding too). There the reference count test is skipped and the release is
recognised by its version; on Python 3.11, which CI also runs, the count test
fails on any binding that does it again.
"""

from __future__ import annotations

import sys

import PySide6
import pytest
from PySide6.QtWidgets import QLabel

DROPS_NONE = ((6, 12, 0),)

IMMORTAL_SINGLETONS = sys.version_info >= (3, 12)


@pytest.mark.skipif(IMMORTAL_SINGLETONS, reason="None and the bools are immortal (PEP 683)")
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


def test_the_binding_is_not_a_release_known_to_drop_none() -> None:
    assert tuple(PySide6.__version_info__[:3]) not in DROPS_NONE, PySide6.__version__

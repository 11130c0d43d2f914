"""Everything fits a common bench PC's 1366x768 screen: the bench window with its
status bar, and the dashboard with whole column headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget

from station.core.messages import Tone, outcome
from station.demo import seed
from station.settings import Settings
from station.store.db import DB_FILE, connect
from station.ui.app import build_station

# 768 less a 40 px task bar and a 30 px title bar.
SCREEN_W, USABLE_H = 1366, 768 - 40 - 30


@pytest.fixture
def station(qtbot, qapp, data_dir: Path, settings: Settings):
    db = connect(data_dir / DB_FILE)
    seed(db, orders=60)
    noted = db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND buyer_note != '' LIMIT 1"
    ).fetchone()[0]
    db.close()
    chosen = settings.with_values(station__language="zh_CN")
    built = build_station(qapp, data_dir, chosen, demo=True, sound_backend=lambda path: None)
    built.noted_order = noted
    yield built
    built.stop()


def test_the_bench_window_fits_1366x768_with_its_status_bar(qtbot, station):
    window = station.window
    window.bench.scan(station.noted_order)
    window.banner.show_outcome(outcome(Tone.ERROR, "no_active_carrier"))
    window.resize(SCREEN_W, USABLE_H)
    window.show()
    qtbot.waitExposed(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN_W and hint.height() <= USABLE_H
    assert (window.width(), window.height()) == (SCREEN_W, USABLE_H)
    bar = window.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < window.height()
    for label in bar.findChildren(QLabel):
        if label.isVisible():
            assert bar.rect().contains(label.geometry())
    assert window.scale_status.isVisible() and window.packer_label.isVisible()


def test_the_dashboard_fits_1366x768_with_whole_column_headers(qtbot, station):
    station.tools.show_dashboard()
    dialog = station.tools.dashboard
    dialog.resize(SCREEN_W, USABLE_H)
    qtbot.waitExposed(dialog)
    assert dialog.minimumSizeHint().height() <= USABLE_H
    for table in dialog.findChildren(QTableWidget):
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(table.columnCount()):
            title = table.horizontalHeaderItem(column).text()
            assert header.sectionSize(column) > metrics.horizontalAdvance(title), title

"""Search and fix: find shipments four ways, void them, reprint from search."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.core.permissions import Action, Role
from station.settings import Settings
from station.store import audit, pool
from station.store.db import transaction
from station.store.search import VoidError, find_shipments, void_shipment
from station.store.users import add_user
from tests.shipments_factory import make_shipment


@pytest.fixture
def made(db: sqlite_utils.Database):
    now = datetime.now().astimezone()
    a = make_shipment(db, now, name="王小明", phone="13900001234")
    b = make_shipment(db, now, name="王大力", phone="13900005678")
    c = make_shipment(db, now, name="李四", phone="138****1234")
    return a, b, c


def test_find_by_order_tracking_and_last_four(db, made) -> None:
    a, b, c = made
    assert [f.shipment_id for f in find_shipments(db, a.order_no.lower())] == [a.shipment_id]
    assert [f.shipment_id for f in find_shipments(db, b.tracking_no)] == [b.shipment_id]
    assert [f.order_no for f in find_shipments(db, "1234")] == [c.order_no, a.order_no]
    found = find_shipments(db, "5678")
    assert [(f.recipient_name, f.recipient_phone) for f in found] == [("王大力", "13900005678")]
    # Names are encrypted: a full name is found by its keyed fingerprint, a part is not.
    assert [f.shipment_id for f in find_shipments(db, " 王 大力 ")] == [b.shipment_id]
    assert find_shipments(db, "王") == []
    assert find_shipments(db, "  ") == [] and find_shipments(db, "nobody") == []


def test_void_marks_the_shipment_and_the_pool_number_and_opens_only_on_repack(db, made) -> None:
    a, b, _ = made
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    with transaction(db):
        db.execute(
            "INSERT INTO tracking_pool (tracking_no, carrier, state, shipment_id, imported_at) "
            "VALUES (?, 'ZTO', 'used', ?, 'x')",
            (a.tracking_no, a.shipment_id),
        )
    void_shipment(db, a.shipment_id, boss, "wrong address", "bench-1", repack=True)
    void_shipment(db, b.shipment_id, boss, "buyer cancelled", "bench-1")
    row = db.execute(
        "SELECT voided_at IS NOT NULL, voided_by, void_reason FROM shipments WHERE id = ?",
        [a.shipment_id],
    ).fetchone()
    assert row == (1, "wang", "wrong address")
    assert db.execute("SELECT state FROM tracking_pool").fetchone()[0] == "void"
    assert pool.claim_number(db, "ZTO") is None
    statuses = dict(db.execute("SELECT order_no, status FROM orders").fetchall())
    assert statuses[a.order_no] == "open" and statuses[b.order_no] == "hold"
    with pytest.raises(VoidError):
        void_shipment(db, a.shipment_id, boss, "again", "bench-1")
    with pytest.raises(ValueError):
        void_shipment(db, made[2].shipment_id, boss, "  ", "bench-1")
    assert len(audit.entries(db, Action.VOID)) == 2
    assert find_shipments(db, a.order_no)[0].voided


def test_the_dialog_reprints_and_voids_only_with_a_supervisor_pin(
    qtbot, db: sqlite_utils.Database, made, settings: Settings, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt

    from station.ui.search import SearchDialog

    add_user(db, "li", Role.PACKER, "1111")
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    labels = tmp_path / "labels"
    dialog = SearchDialog(db, settings, open_printer(f"pdf:{labels}"))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.query_edit, made[0].tracking_no)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 1 and dialog.selected() == dialog.results[0]
    assert dialog.table.item(0, 4).text() != "13900001234"
    assert not dialog.reprint_selected("1111", "label torn")
    assert not labels.exists() and audit.entries(db, Action.REPRINT) == []
    assert dialog.reprint_selected("2222", "label torn")
    assert len(list(labels.glob("*.pdf"))) == 1
    assert db.execute(
        "SELECT print_count FROM shipments WHERE id = ?", [made[0].shipment_id]
    ).fetchone() == (2,)
    [entry] = audit.entries(db, Action.REPRINT)
    assert (entry.actor, entry.reason) == ("wang", "label torn")
    assert not dialog.void_selected("1111", "damaged", repack=True)
    assert dialog.void_selected("2222", "damaged", repack=True)
    assert "voided" in dialog.status.text() and made[0].order_no in dialog.status.text()
    assert dialog.results[0].voided and "voided" in dialog.table.item(0, 9).text()


def test_the_dialog_masks_names_shows_local_times_and_enter_only_searches(
    qtbot, db: sqlite_utils.Database, made, settings: Settings, tmp_path: Path
) -> None:
    """F3 shows recipients masked and times readable; Enter in the search box searches
    and opens no reprint prompt."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from station.ui.search import SearchDialog, SupervisorPrompt

    dialog = SearchDialog(db, settings, open_printer(f"pdf:{tmp_path / 'labels'}"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.query_edit.setFocus()
    qtbot.keyClicks(dialog.query_edit, made[1].order_no)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, SupervisorPrompt)]
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 3).text() == "王**"
    recorded = dialog.table.item(0, 5).text()
    assert "T" not in recorded and len(recorded) == len("2026-12-04 16:45")
    metrics = dialog.table.fontMetrics()
    for column in (0, 1, 5):  # order number, waybill, time: never cut
        text = dialog.table.item(0, column).text()
        assert dialog.table.columnWidth(column) > metrics.horizontalAdvance(text), text


def test_a_failed_reprint_from_the_dialog_is_recorded_on_the_shipment(
    qtbot, db: sqlite_utils.Database, made, settings: Settings
) -> None:
    """As at the bench and on the command line: the label shows as failed, with why."""
    import socket

    from station.ui.search import SearchDialog

    add_user(db, "wang", Role.SUPERVISOR, "2222")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = SearchDialog(db, settings, open_printer(f"escpos+tcp://127.0.0.1:{port}"))
    qtbot.addWidget(dialog)
    dialog.search(made[0].tracking_no)
    assert dialog.reprint_selected("2222", "label torn")
    assert "NOT printed" in dialog.status.text()
    error = db.execute(
        "SELECT label_error FROM shipments WHERE id = ?", [made[0].shipment_id]
    ).fetchone()[0]
    assert error and error in dialog.status.text()

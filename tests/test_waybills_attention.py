"""What a supervisor must act on: a cancel the carrier refuses for good stops after
CANCEL_REFUSALS tries and is listed (station waybill status, the dashboard's
Exceptions tab) until someone retries it; a low e-waybill balance is listed there too."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils
from test_waybills import _close_clients, add_order, prefetcher  # noqa: F401 (fixture)
from test_waybills_cli import run, secrets  # noqa: F401 (fixture)
from waybill_fakes import all_servers

from station.store import ewaybills as store
from station.store.db import DB_FILE, transaction
from station.store.exceptions import low_balances, refused_cancels
from station.waybills.model import Balance, State
from station.waybills.service import CANCEL_REFUSALS


def test_a_cancel_refused_for_good_stops_and_needs_a_person(
    db: sqlite_utils.Database,
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    add_order(db, "YD-1", "YD")
    with all_servers() as (_wechat, _sf, kdn, urls):
        worker = prefetcher(db, data_dir, urls)
        worker.prefetch()
        number = store.live(db, "YD-1").waybill_no
        kdn.picked_up.add(number)
        assert worker.cancel_number(number)
        answers = [worker.run_cancels(base=0, cap=0) for _ in range(CANCEL_REFUSALS + 2)]
        assert all(a[number].startswith("will retry") for a in answers[: CANCEL_REFUSALS - 1])
        assert answers[CANCEL_REFUSALS - 1][number].startswith("needs a person")
        assert answers[CANCEL_REFUSALS:] == [{}, {}], "no more tries"
        assert kdn.refused_cancels == CANCEL_REFUSALS
        (refused,) = refused_cancels(db)
        assert (refused.order_no, refused.waybill_no) == ("YD-1", number)
        assert "已揽收" in refused.reason

        assert run(data_dir, "status", "--json") == 0
        status = json.loads(capsys.readouterr().out)
        assert status["cancel_queue"] == []
        assert [a["waybill_no"] for a in status["attention"]] == [number]
        assert run(data_dir, "status") == 0
        assert f"NEEDS A PERSON: {number}" in capsys.readouterr().out

        kdn.picked_up.clear()  # the courier brought the parcel back
        assert run(data_dir, "cancel", number) == 0
    assert kdn.cancels == {number: 1}
    row = store.by_number(db, number)
    assert row.state is State.CANCELLED and not row.attention
    assert refused_cancels(db) == []


def test_refused_cancels_and_low_balances_reach_the_exceptions_tab(
    qtbot, db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.ui.dashboard import DashboardWidget

    add_order(db, "YD-1", "YD")
    with transaction(db):
        row_id = store.add_requested(db, "YD-1", 1, "kdn", "", "YD", "", "YD-1-1", "")
        db.execute("UPDATE ewaybills SET waybill_no = '43000000000001' WHERE id = ?", [row_id])
        store.queue_cancel(db, row_id, "order cancelled")
        store.give_up_cancel(db, row_id, "cancel refused: 快件已揽收")
        store.save_balances(db, [Balance("shop", "6635671203", "ZTO", 12)])
        store.save_balances(db, [Balance("shop", "6620496317", "YTO", 5000)])
    assert [b.carrier for b in low_balances(db, 200)] == ["ZTO"]
    widget = DashboardWidget(data_dir / DB_FILE, refresh_seconds=0, low_balance=200)
    qtbot.addWidget(widget)
    rows = [
        tuple(widget.exceptions.item(r, c).text() for c in range(3))
        for r in range(widget.exceptions.rowCount())
    ]
    assert rows[0][:2] == ("E-waybill cancel refused", "YD-1")
    assert "43000000000001" in rows[0][2] and "快件已揽收" in rows[0][2]
    assert rows[1][0] == "E-waybill balance low" and "ZTO" in rows[1][2] and "12" in rows[1][2]
    assert len(rows) == 2

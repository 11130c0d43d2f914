"""The import dialog: file, columns, preview with row problems, saved mappings, commit;
its steps on a worker thread with their own connection, big files through models."""

from __future__ import annotations

import queue
import random
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import QAbstractItemModel, QTimer

from station.app import database
from station.hub import orders as hub_orders
from station.hub.db import connect as connect_hub
from station.hub.kinds import Kind, revision_key
from station.hub.port import TARGET_NAME
from station.hub.server import free_port
from station.importers import commit
from station.settings import Settings
from station.store import deliveries, orders
from station.store.db import DB_FILE, connect, transaction
from station.ui.import_dialog import COMMIT, PREVIEW, READ, ImportDialog

SHOP = (
    "订单号,商品编码,商品数量,收货人,收货人手机号,省,市,区,详细地址\n"
    "U1,CUP-350,1,张三,13812345678,广东省,深圳市,南山区,科技园1栋101\n"
    "U2,CUP-350,many,李四,13812345679,广东省,深圳市,南山区,科技园2栋\n"
)
BIG = 20_000  # orders in the big file, plus one flagged order
BIG_HEADER = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,"
    "订单状态,下单时间\n"
)


@pytest.fixture
def dialog(qtbot, db: sqlite_utils.Database, data_dir: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(db, data_dir)
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A WeChat Shop export of BIG orders (one to three lines each, GB18030), then an
    order whose address names a barracks (flagged) and a row with a bad quantity;
    the bad row's line number with it."""
    rng = random.Random(5)
    rows = [BIG_HEADER]
    for n in range(BIG):
        street = f"人民路{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2808)}室"
        for line in range(rng.choice((1, 1, 2, 3))):
            sku = f"SKU-{rng.randrange(500)}-{line}"
            rows.append(
                f"WX{n:010d},{sku},商品{sku},{rng.randint(1, 3)},19.90,"
                + (
                    f"客户{n},13{rng.randrange(10**9):09d},浙江省,杭州市,西湖区,{street},待发货,"
                    f"2026-11-21 {n % 24:02d}:{n % 60:02d}:00\n"
                    if line == 0
                    else ",,,,,,,\n"
                )
            )
    rows.append(
        "WXFLAGGED,SKU-1-0,商品,1,19.90,王五,13800000000,浙江省,杭州市,西湖区,"
        "某某部队9号,待发货,2026-11-21 10:00:00\n"
    )
    rows.append(
        "WXBAD,SKU-1-0,商品,many,19.90,王六,13800000001,浙江省,杭州市,西湖区,"
        "人民路1号,待发货,2026-11-21 10:00:00\n"
    )
    path = tmp_path_factory.mktemp("big") / "shop.csv"
    path.write_bytes("".join(rows).encode("gb18030"))
    return path, len(rows)


def run(qtbot, dialog: ImportDialog, start: Callable[[], bool], step: str) -> bool:  # type: ignore[no-untyped-def]
    """Start a step and wait until `step` has finished, or a step before it failed;
    whether it succeeded."""
    with qtbot.waitSignal(
        dialog.step_finished,
        timeout=60_000,
        check_params_cb=lambda finished, ok: finished == step or not ok,
    ) as blocker:
        assert start()
    return blocker.args[1]


def cell(model: QAbstractItemModel, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def row_of(model: QAbstractItemModel, order_no: str) -> int:
    return next(r for r in range(model.rowCount()) if cell(model, r, 0) == order_no)


def stored_orders(data_dir: Path) -> int:
    """Counted on a connection of the test's own, as another program would see it."""
    with closing(sqlite3.connect(data_dir / DB_FILE)) as conn:
        return conn.execute("SELECT count(*) FROM orders").fetchone()[0]


def assert_usable(dialog: ImportDialog) -> None:
    assert not dialog.busy and not dialog.progress.isVisibleTo(dialog)
    assert dialog.preview_button.isEnabled() and dialog.browse_button.isEnabled()
    assert dialog.kind.isEnabled() and dialog.columns.isEnabled()


def test_shop_file_preview_shows_rows_and_problems_then_commits(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "shop.csv"
    file.write_bytes(SHOP.encode("gbk"))
    assert run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert "2 rows" in dialog.status.text()
    assert not dialog.commit_button.isEnabled()
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    rows, problems = dialog.preview_model, dialog.problem_model
    assert dialog.rows.model() is rows and dialog.problems.model() is problems
    assert rows.rowCount() == 1 and cell(rows, 0, 0) == "U1"
    assert cell(rows, 0, 1) == "new"
    assert problems.rowCount() == 1
    assert (cell(problems, 0, 0), cell(problems, 0, 1)) == ("3", "商品数量")
    assert dialog.tabs.tabText(2) == "Problems (1)"
    assert orders.find_order(db, "U1") is None
    assert dialog.commit_button.isEnabled()
    with qtbot.waitSignal(dialog.imported) as signal:
        assert run(qtbot, dialog, dialog.commit, COMMIT)
    assert signal.args[0] == (
        "Imported 1, updated 0, shipped left alone 0, rejected rows 1, flagged 0, alerts 0."
    )
    assert dialog.status.text() == signal.args[0]
    assert orders.find_order(db, "U1") is not None
    assert not dialog.commit_button.isEnabled()
    assert not dialog.commit()  # nothing previewed any more


@pytest.mark.parametrize("hub_up", [True, False], ids=["hub", "hub-down"])
def test_with_a_hub_the_committed_orders_go_there_and_the_result_says_so(
    request: pytest.FixtureRequest,
    qtbot,
    db: sqlite_utils.Database,
    data_dir: Path,
    tmp_path: Path,
    hub_up: bool,  # type: ignore[no-untyped-def]
) -> None:
    """As `station hub import` would: every bench then sees the orders. An
    unreachable hub is said, and the orders stay imported at this bench."""
    if hub_up:
        url = request.getfixturevalue("hub_url")
    else:
        url = f"postgresql://station:pw@127.0.0.1:{free_port()}/station"
    settings = Settings.load(data_dir).save(hub__url=url)
    dialog = ImportDialog(db, data_dir, settings=settings)
    qtbot.addWidget(dialog)
    file = tmp_path / "shop.csv"
    file.write_bytes(SHOP.encode("gbk"))
    dialog.path.setText(str(file))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert run(qtbot, dialog, dialog.commit, COMMIT)
    text = dialog.status.text()
    assert text.startswith("Imported 1, updated 0,")
    if hub_up:
        assert text.endswith("Sent to the hub for every bench: 1 orders new or changed there.")
        with connect_hub(url) as conn:
            assert [o.order_no for o in hub_orders.since(conn, 0)[0]] == ["U1"]
    else:
        assert "The hub could not be reached (" in text
        assert "imported at this bench only" in text
    assert orders.find_order(db, "U1") is not None


def test_generic_file_needs_columns_and_a_saved_mapping_comes_back(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    data_dir: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "g.csv"
    file.write_text("单号,货号,件数,姓名,地址\nG1,CUP-350,2,张三,浙江省杭州市西湖区文三路90号\n")
    run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert not dialog.preview()  # checked at once, no step started
    assert "Columns missing" in dialog.status.text()
    assert dialog.tabs.currentWidget() is dialog.columns
    wanted = {
        "order_no": "单号",
        "sku": "货号",
        "quantity": "件数",
        "recipient_name": "姓名",
        "address": "地址",
    }
    for row in range(dialog.columns.rowCount()):
        field = dialog.columns.item(row, 0).data(256)
        if field in wanted:
            dialog.columns.cellWidget(row, 1).setCurrentText(wanted[field])
    dialog.mapping_name.setText("my-shop")
    saved = dialog.save_current_mapping()
    assert saved == data_dir / "mappings" / "my-shop.json"
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert cell(dialog.preview_model, 0, 0) == "G1"

    again = ImportDialog(db, data_dir)
    qtbot.addWidget(again)
    run(qtbot, again, lambda: again.load_file(file), READ)
    again.saved.setCurrentIndex(again.saved.findText("my-shop"))
    assert again.current_mapping().columns == wanted
    assert run(qtbot, again, again.preview, PREVIEW)


def test_unreadable_file_is_explained(dialog: ImportDialog, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "bad.xlsx"
    file.write_bytes(b"PK\x03\x04broken")
    assert not run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert "Cannot read the file" in dialog.status.text()
    assert dialog.table is None
    assert_usable(dialog)
    # Preview reads it again, with the same answer.
    assert not run(qtbot, dialog, dialog.preview, PREVIEW)
    assert "Cannot read the file" in dialog.status.text()
    assert not dialog.commit_button.isEnabled()


def test_a_file_gone_before_preview_is_explained_and_the_dialog_stays_usable(
    dialog: ImportDialog,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "shop.csv"
    file.write_bytes(SHOP.encode("gbk"))
    dialog.path.setText(str(file))  # chosen, not read yet
    file.unlink()
    assert not run(qtbot, dialog, dialog.preview, PREVIEW)
    assert "Cannot read the file" in dialog.status.text() and "shop.csv" in dialog.status.text()
    assert_usable(dialog)
    assert not dialog.commit_button.isEnabled()
    file.write_bytes(SHOP.encode("gbk"))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)  # reads, then previews
    assert dialog.preview_model.rowCount() == 1 and dialog.commit_button.isEnabled()


def test_products_preview_and_commit(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "p.csv"
    file.write_text(
        "sku,name,barcodes,weight_g\nCUP-9,杯子,6901 6902,300\nX,,,\n", encoding="utf-8"
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData("products"))
    run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert dialog.preview_model.rowCount() == 1 and dialog.problem_model.rowCount() == 1
    assert [cell(dialog.preview_model, 0, c) for c in (0, 3, 4)] == ["CUP-9", "6901 6902", "300 g"]
    with qtbot.waitSignal(dialog.imported) as signal:
        run(qtbot, dialog, dialog.commit, COMMIT)
    assert signal.args[0] == "Imported 1 products, rejected rows 1."
    assert orders.find_product(db, "6902").sku == "CUP-9"


def test_products_are_not_imported_here_at_a_bench_that_takes_them_from_the_hub(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    data_dir: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    Settings.load(data_dir).save(hub__url="postgresql://station@hub.invalid/station")
    dialog.settings = Settings.load(data_dir)  # as a dialog opened once the bench has a hub
    with transaction(db):  # as the hub puller leaves it once it has applied products
        deliveries.set_state(db, TARGET_NAME, revision_key(Kind.PRODUCTS), "7")
    file = tmp_path / "p.csv"
    file.write_text("sku,name\nCUP-9,杯子\n", encoding="utf-8")
    dialog.kind.setCurrentIndex(dialog.kind.findData("products"))
    run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert not dialog.commit()
    assert "station hub products import FILE" in dialog.status.text()
    assert orders.find_product(db, "CUP-9") is None


def test_a_big_file_previews_through_models_with_flags_and_problems(
    dialog: ImportDialog,
    qtbot,
    big_file: tuple[Path, int],  # type: ignore[no-untyped-def]
) -> None:
    file, bad_line = big_file
    dialog.path.setText(str(file))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)  # reads, then previews
    rows = dialog.preview_model
    assert rows.rowCount() == BIG + 1 == len(dialog.plan.orders)
    assert rows.columnCount() == 5
    flagged = row_of(rows, "WXFLAGGED")
    assert "部队" in cell(rows, flagged, 4)
    assert cell(rows, 0, 4) == "" and cell(rows, 0, 1) == "new"
    assert "SKU-" in cell(rows, BIG - 1, 3)
    problems = dialog.problem_model
    assert problems.rowCount() == 1
    assert (cell(problems, 0, 0), cell(problems, 0, 1)) == (str(bad_line), "商品数量")
    assert "flagged 1" in dialog.status.text() and f"New {BIG + 1}" in dialog.status.text()
    # The view scrolls to the end and selects there without making every row.
    dialog.rows.scrollToBottom()
    dialog.rows.selectRow(BIG)
    assert dialog.rows.selectionModel().selectedRows()[0].row() == BIG


def test_the_window_keeps_running_while_a_big_file_is_checked_and_imported(
    dialog: ImportDialog,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    big_file: tuple[Path, int],  # type: ignore[no-untyped-def]
) -> None:
    """The worker waits until a timer on the GUI thread lets it go: with the steps
    on the GUI thread, the timer could not fire and the step would wait in vain."""
    waiting: queue.SimpleQueue[threading.Event] = queue.SimpleQueue()
    workers: list[dict] = []
    states: list[dict] = []

    def gated(real: Callable) -> Callable:
        def step(*args, **kwargs):  # type: ignore[no-untyped-def]
            go = threading.Event()
            waiting.put(go)
            workers.append({"thread": threading.current_thread(), "released": go.wait(20)})
            return real(*args, **kwargs)

        return step

    def tick() -> None:  # on the GUI thread, while the event loop runs
        while not waiting.empty():
            states.append(_state(dialog))
            waiting.get().set()

    timer = QTimer(dialog)
    timer.timeout.connect(tick)
    timer.start(10)
    monkeypatch.setattr(commit, "plan_orders", gated(commit.plan_orders))
    monkeypatch.setattr(commit, "apply_plan", gated(commit.apply_plan))
    dialog.path.setText(str(big_file[0]))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert run(qtbot, dialog, dialog.commit, COMMIT)
    timer.stop()
    assert len(workers) == 3  # planned for the preview, planned again and applied at commit
    assert all(s["released"] for s in workers)
    assert all(s["thread"] is not threading.main_thread() for s in workers)
    assert threading.current_thread() is threading.main_thread()
    assert len(states) == 3
    for state in states:
        assert not state["preview"] and not state["commit"] and not state["browse"]
        assert state["progress"]
    assert states[0]["status"].startswith("Checking")
    assert states[1]["status"] == f"Importing {BIG + 1:,} orders…"
    assert stored_orders(data_dir) == BIG + 1
    assert_usable(dialog)


def _state(dialog: ImportDialog) -> dict:
    return {
        "status": dialog.status.text(),
        "preview": dialog.preview_button.isEnabled(),
        "commit": dialog.commit_button.isEnabled(),
        "browse": dialog.browse_button.isEnabled(),
        "progress": dialog.progress.isVisibleTo(dialog),
    }


def test_closing_during_a_commit_waits_and_leaves_the_whole_import(
    dialog: ImportDialog,
    qtbot,
    data_dir: Path,
    big_file: tuple[Path, int],  # type: ignore[no-untyped-def]
) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.path.setText(str(big_file[0]))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    assert stored_orders(data_dir) == 0
    with (
        qtbot.waitSignal(dialog.finished, timeout=60_000),
        qtbot.waitSignal(dialog.imported, timeout=60_000) as imported,
    ):
        assert dialog.commit()
        assert not dialog.close()  # refused for now: the import is running
        dialog.reject()
        assert dialog.isVisible() and dialog.busy
        assert dialog.status.text() == "Closing when this step has finished…"
    assert not dialog.isVisible()
    assert imported.args[0].startswith(f"Imported {BIG + 1}, ")
    assert stored_orders(data_dir) == BIG + 1  # all of them, never a part
    assert dialog.table is None and dialog.preview_model.rowCount() == 0  # memory given back


def test_a_full_disk_during_commit_imports_nothing_and_commit_can_be_tried_again(
    dialog: ImportDialog,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    big_file: tuple[Path, int],  # type: ignore[no-untyped-def]
) -> None:
    real_connect = database.connect

    def nearly_full(path: Path) -> sqlite_utils.Database:
        """The worker's connection may grow the file by a few pages only: SQLITE_FULL."""
        db = real_connect(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 5}")
        return db

    dialog.path.setText(str(big_file[0]))
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    monkeypatch.setattr(database, "connect", nearly_full)
    assert not run(qtbot, dialog, dialog.commit, COMMIT)
    assert dialog.status.text().startswith("The disk is full: the import stopped.")
    assert stored_orders(data_dir) == 0
    assert_usable(dialog)
    assert dialog.commit_button.isEnabled()  # the preview stands: try again
    monkeypatch.setattr(database, "connect", real_connect)
    assert run(qtbot, dialog, dialog.commit, COMMIT)
    assert stored_orders(data_dir) == BIG + 1


def test_a_database_in_memory_runs_its_steps_on_the_gui_thread(
    qtbot,
    data_dir: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    db = connect(":memory:")
    dialog = ImportDialog(db, data_dir)
    qtbot.addWidget(dialog)
    file = tmp_path / "shop.csv"
    file.write_bytes(SHOP.encode("gbk"))
    assert dialog.load_file(file) and not dialog.busy  # done already
    assert dialog.preview() and dialog.preview_model.rowCount() == 1
    with qtbot.waitSignal(dialog.imported):
        assert dialog.commit()
    assert orders.find_order(db, "U1") is not None
    db.close()

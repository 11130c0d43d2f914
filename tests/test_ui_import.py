"""The import dialog: file, columns, preview with row problems, saved mappings, commit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import QAbstractItemModel

from station.store import orders
from station.ui.import_dialog import ImportDialog

SHOP = (
    "订单号,商品编码,商品数量,收货人,省,市,区,详细地址\n"
    "U1,CUP-350,1,张三,广东省,深圳市,南山区,科技园1栋101\n"
    "U2,CUP-350,many,李四,广东省,深圳市,南山区,科技园2栋\n"
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


def cell(model: QAbstractItemModel, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def row_of(model: QAbstractItemModel, order_no: str) -> int:
    return next(r for r in range(model.rowCount()) if cell(model, r, 0) == order_no)


def test_shop_file_preview_shows_rows_and_problems_then_commits(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "shop.csv"
    file.write_bytes(SHOP.encode("gbk"))
    assert dialog.load_file(file)
    assert not dialog.commit_button.isEnabled()
    assert dialog.preview()
    rows, problems = dialog.preview_model, dialog.problem_model
    assert dialog.rows.model() is rows and dialog.problems.model() is problems
    assert rows.rowCount() == 1 and cell(rows, 0, 0) == "U1"
    assert cell(rows, 0, 1) == "new"
    assert problems.rowCount() == 1
    assert (cell(problems, 0, 0), cell(problems, 0, 1)) == ("3", "商品数量")
    assert orders.find_order(db, "U1") is None
    with qtbot.waitSignal(dialog.imported) as signal:
        dialog.commit()
    assert "Imported 1" in signal.args[0]
    assert orders.find_order(db, "U1") is not None
    assert not dialog.commit_button.isEnabled()


def test_generic_file_needs_columns_and_a_saved_mapping_comes_back(
    dialog: ImportDialog,
    qtbot,
    db: sqlite_utils.Database,
    data_dir: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    file = tmp_path / "g.csv"
    file.write_text("单号,货号,件数,姓名,地址\nG1,CUP-350,2,张三,浙江省杭州市西湖区文三路90号\n")
    dialog.load_file(file)
    assert not dialog.preview()
    assert "Columns missing" in dialog.status.text()
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
    assert dialog.preview() and cell(dialog.preview_model, 0, 0) == "G1"

    again = ImportDialog(db, data_dir)
    qtbot.addWidget(again)
    again.load_file(file)
    again.saved.setCurrentIndex(again.saved.findText("my-shop"))
    assert again.current_mapping().columns == wanted
    assert again.preview()


def test_unreadable_file_is_explained(dialog: ImportDialog, tmp_path: Path) -> None:
    file = tmp_path / "bad.xlsx"
    file.write_bytes(b"PK\x03\x04broken")
    assert not dialog.load_file(file)
    assert "Cannot read the file" in dialog.status.text()
    assert not dialog.preview()


def test_products_preview_and_commit(
    dialog: ImportDialog, db: sqlite_utils.Database, tmp_path: Path
) -> None:
    file = tmp_path / "p.csv"
    file.write_text(
        "sku,name,barcodes,weight_g\nCUP-9,杯子,6901 6902,300\nX,,,\n", encoding="utf-8"
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData("products"))
    dialog.load_file(file)
    assert dialog.preview()
    assert dialog.preview_model.rowCount() == 1 and dialog.problem_model.rowCount() == 1
    assert [cell(dialog.preview_model, 0, c) for c in (0, 3, 4)] == ["CUP-9", "6901 6902", "300 g"]
    dialog.commit()
    assert orders.find_product(db, "6902").sku == "CUP-9"


def test_a_big_file_previews_through_models_with_flags_and_problems(
    dialog: ImportDialog,
    big_file: tuple[Path, int],
) -> None:
    file, bad_line = big_file
    assert dialog.load_file(file) and dialog.preview()
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

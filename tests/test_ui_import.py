"""The import dialog: file, columns, preview with row problems, saved mappings, commit."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from station.store import orders
from station.ui.import_dialog import ImportDialog

SHOP = (
    "订单号,商品编码,商品数量,收货人,省,市,区,详细地址\n"
    "U1,CUP-350,1,张三,广东省,深圳市,南山区,科技园1栋101\n"
    "U2,CUP-350,many,李四,广东省,深圳市,南山区,科技园2栋\n"
)


@pytest.fixture
def dialog(qtbot, db: sqlite_utils.Database, data_dir: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(db, data_dir)
    qtbot.addWidget(dialog)
    return dialog


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
    assert dialog.rows.rowCount() == 1 and dialog.rows.item(0, 0).text() == "U1"
    assert dialog.rows.item(0, 1).text() == "new"
    assert dialog.problems.rowCount() == 1
    assert (dialog.problems.item(0, 0).text(), dialog.problems.item(0, 1).text()) == (
        "3",
        "商品数量",
    )
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
    assert dialog.preview() and dialog.rows.item(0, 0).text() == "G1"

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
    assert dialog.rows.rowCount() == 1 and dialog.problems.rowCount() == 1
    dialog.commit()
    assert orders.find_product(db, "6902").sku == "CUP-9"

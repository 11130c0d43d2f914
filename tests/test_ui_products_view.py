"""The product view: learned weight next to the catalogue's after real single-SKU shipments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shipments_factory import pack_and_record

from station.core.model import Contact, Product
from station.core.weighing import WeightRule
from station.store import orders
from station.store.products import product_weights
from station.ui.products_view import ProductsView

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
RULE = WeightRule(packaging_grams=60)
WHO = Contact("张三", "13800000000", "杭州")


def ship(db, order_no: str, grams: int) -> None:
    pack_and_record(db, order_no, grams, RULE)


@pytest.fixture
def catalogue(db):
    orders.save_products(
        db,
        [
            Product("CUP-350", "保温杯 350ml", ("6900000000014",), weight_g=300, category="杯"),
            Product("TEA-LJ250", "龙井茶 250g", ("6900000000045",), weight_g=290, category="茶"),
            Product("BAG", "帆布袋", (), weight_g=None),
        ],
    )
    for n in range(3):
        orders.save_order(db, f"WX{n:04d}", WHO, [orders.NewLine("CUP-350", "保温杯", 2)])
    orders.save_order(
        db,
        "WX9999",
        WHO,
        [orders.NewLine("CUP-350", "保温杯", 1), orders.NewLine("TEA-LJ250", "茶", 1)],
    )
    # Each cup really weighs 352 g: 17 % over the catalogue, beyond the tolerance.
    for n, grams in enumerate((760, 764, 770)):
        ship(db, f"WX{n:04d}", grams)
    ship(db, "WX9999", 700)
    return db


def cell(view: ProductsView, sku: str, column: int) -> str:
    for row in range(view.proxy.rowCount()):
        if view.proxy.index(row, 0).data() == sku:
            return view.proxy.index(row, column).data()
    raise AssertionError(f"{sku} is not listed")


def test_products_list_learned_and_catalogue_weights(catalogue) -> None:
    by_sku = {p.sku: p for p in product_weights(catalogue)}
    cup = by_sku["CUP-350"]
    assert (cup.weight_g, cup.learned_weight_g, cup.samples, cup.difference_g) == (300, 352, 3, 52)
    assert by_sku["TEA-LJ250"].samples == 0 and by_sku["TEA-LJ250"].difference_g is None
    assert by_sku["CUP-350"].barcodes == ("6900000000014",)


def test_the_view_shows_the_learned_weight_and_flags_a_wrong_catalogue_weight(
    qtbot, catalogue
) -> None:
    view = ProductsView(catalogue, RULE)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert cell(view, "CUP-350", 4) == "300 g"
    assert cell(view, "CUP-350", 5) == "352 g"
    assert cell(view, "CUP-350", 6) == "+52 g (+17%)"
    assert cell(view, "TEA-LJ250", 5) == "—" and cell(view, "BAG", 4) == "—"
    cup = view.model.rows.index(next(r for r in view.model.rows if r.sku == "CUP-350"))
    assert view.model.index(cup, 6).data(Qt.ItemDataRole.ForegroundRole) is not None
    tea = view.model.rows.index(next(r for r in view.model.rows if r.sku == "TEA-LJ250"))
    assert view.model.index(tea, 6).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "3" in view.model.index(cup, 5).data(Qt.ItemDataRole.ToolTipRole)


def test_typing_filters_by_barcode_or_name_and_keys_reach_the_table(qtbot, catalogue) -> None:
    view = ProductsView(catalogue, RULE)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    assert view.proxy.rowCount() == 3 and view.focusWidget() is view.search
    qtbot.keyClicks(view.search, "0045")
    assert view.proxy.rowCount() == 1 and cell(view, "TEA-LJ250", 2) == "龙井茶 250g"
    assert "1 of 3" in view.count.text()
    view.search.setText("保温")
    assert [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())] == ["CUP-350"]
    view.search.clear()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.focusWidget() is view.table and view.table.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert view.proxy.index(0, 0).data() == "CUP-350"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()

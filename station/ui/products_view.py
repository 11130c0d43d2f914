"""The product view: catalogue weight next to the weight learned from parcels.

Type to filter on any column (SKU, barcode, name, category); Enter or Down goes
to the table, a header click or Ctrl+1..7 sorts by that column, Esc closes. A
difference larger than the weight tolerance for one unit is shown in red: that
catalogue weight is probably wrong.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station.app.products import ProductWeight, ProductWeights
from station.core.weighing import WeightRule
from station.ui.categories import category_text

SORT_ROLE = Qt.ItemDataRole.UserRole
WARN = QColor("#c62828")
Index = QModelIndex | QPersistentModelIndex


class ProductWeightModel(QAbstractTableModel):
    """One row per product; numbers sort as numbers, a missing weight as the lowest."""

    def __init__(self, weights: ProductWeights, parent: QObject | None = None):
        super().__init__(parent)
        self.weights = weights
        self.rows: list[ProductWeight] = []
        self.headers = (
            self.tr("SKU"),
            self.tr("Barcodes"),
            self.tr("Name"),
            self.tr("Category"),
            self.tr("Catalogue weight"),
            self.tr("Learned weight"),
            self.tr("Difference"),
        )

    def load(self, rows: list[ProductWeight]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and self.weights.suspicious(row):
            return QBrush(WARN)
        if role == Qt.ItemDataRole.ToolTipRole and column == 5 and row.samples:
            return self.tr("Learned from %n single-item parcel(s)", "", row.samples)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: ProductWeight, column: int) -> str:
        if column == 0:
            return row.sku
        if column == 1:
            return " ".join(row.barcodes)
        if column == 2:
            return row.name
        if column == 3:
            return category_text(row.category)
        if column == 4:
            return _grams(row.weight_g)
        if column == 5:
            return _grams(row.learned_weight_g)
        diff = row.difference_g
        if diff is None:
            return "—"
        if not row.weight_g:
            return f"{diff:+d} g"
        return f"{diff:+d} g ({diff / row.weight_g:+.0%})"

    def _sort_key(self, row: ProductWeight, column: int) -> Any:
        numbers = {4: row.weight_g, 5: row.learned_weight_g, 6: row.difference_g}
        if column in numbers:
            value = numbers[column]
            # Missing weights sort lowest: descending, the biggest come first and none last.
            return float("-inf") if value is None else float(value)
        return self._text(row, column).casefold()


def _grams(value: int | None) -> str:
    return "—" if value is None else f"{value} g"


class ProductsView(QDialog):
    """A read-only, searchable table of products and their weights."""

    def __init__(self, db: sqlite_utils.Database, rule: WeightRule, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("productsView")
        self.setWindowTitle(self.tr("Products and weights"))
        self.resize(1100, 650)
        self.weights = ProductWeights(db, rule)
        self.model = ProductWeightModel(self.weights, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.search = QLineEdit(objectName="productSearch")
        self.search.setPlaceholderText(self.tr("Filter by SKU, barcode, name or category"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._to_table)
        self.search.installEventFilter(self)
        self.table = QTableView(objectName="productTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel(objectName="productCount")
        hint = QLabel(
            self.tr(
                "Learned weights come from parcels holding a single product (median of the "
                "recent ones). Red: the difference is beyond the weight tolerance. "
                "Ctrl+1…7 sorts by a column."
            ),
            wordWrap=True,
            objectName="dialogHint",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(hint)
        for column in range(self.model.columnCount()):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{column + 1}"), self)
            shortcut.activated.connect(lambda c=column: self.sort_by(c))
        self.reload()
        self.search.setFocus()

    def reload(self) -> None:
        self.model.load(self.weights.rows())
        self._show_count()

    def sort_by(self, column: int) -> None:
        """Sort by `column`; again on the same column turns the order round."""
        header = self.table.horizontalHeader()
        order = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == column:
            order = (
                Qt.SortOrder.DescendingOrder
                if header.sortIndicatorOrder() is Qt.SortOrder.AscendingOrder
                else Qt.SortOrder.AscendingOrder
            )
        self.table.sortByColumn(column, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._to_table()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the search field and the table, never to a default button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_count()

    def _to_table(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _show_count(self) -> None:
        self.count.setText(
            self.tr("Showing {shown} of {total} products").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

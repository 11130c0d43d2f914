"""Table models for the import dialog's preview and problems.

A file of 100,000 orders is shown without making 500,000 table items: the model
holds the planned orders (or products, or problems) as they are and turns a row
into its cells only when the view asks for it, which is for the rows on screen.
The flags come grouped by order number (station.app.imports.OrdersChecked).
Problems, flags and actions are translated when shown (station.ui.texts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from station.app.imports import Flag
from station.core.model import Product
from station.importers.commit import ImportAction, PlannedOrder
from station.importers.problems import RowProblem
from station.ui.texts import detail_text, list_text

ACTIONS_CONTEXT = "ImportActions"
# What the import does with each order, as the Action column shows it.
ACTIONS = {
    ImportAction.NEW: QT_TRANSLATE_NOOP("ImportActions", "new"),
    ImportAction.UPDATE: QT_TRANSLATE_NOOP("ImportActions", "update"),
    ImportAction.SHIPPED: QT_TRANSLATE_NOOP("ImportActions", "shipped"),
    ImportAction.REJECTED: QT_TRANSLATE_NOOP("ImportActions", "rejected"),
}

Cells = Callable[[Any], Sequence[str]]
_Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Read-only rows under fixed headers; `cells` turns one row into its texts."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None):
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: Sequence[Any] = ()
        self._cells: Cells = lambda row: ()

    def show(self, rows: Sequence[Any], cells: Cells) -> None:
        """Show `rows` (kept, not copied) instead of what was there."""
        self.beginResetModel()
        self._rows, self._cells = rows, cells
        self.endResetModel()

    def clear(self) -> None:
        self.show((), lambda row: ())

    def row(self, number: int) -> Any:
        return self._rows[number]

    def text(self, row: int, column: int) -> str:
        return self._cells(self._rows[row])[column]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self.text(index.row(), index.column())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def action_text(action: ImportAction) -> str:
    source = ACTIONS.get(action)
    return QCoreApplication.translate(ACTIONS_CONTEXT, str(source)) if source else action


def order_cells(flags: dict[str, list[Flag]]) -> Cells:
    """Order number, action, recipient, lines and flags of a planned order."""

    def cells(planned: PlannedOrder) -> tuple[str, ...]:
        order = planned.order
        lines = ", ".join(f"{line.sku}×{line.quantity}" for line in order.lines)
        return (
            order.order_no,
            action_text(planned.action),
            order.recipient_name,
            lines,
            list_text(detail_text(f.detail, f.text) for f in flags.get(order.order_no, ())),
        )

    return cells


def product_cells(product: Product) -> tuple[str, ...]:
    weight = "" if product.weight_g is None else f"{product.weight_g} g"
    return (product.sku, product.category, product.name, " ".join(product.barcodes), weight)


def problem_cells(problem: RowProblem) -> tuple[str, ...]:
    return (str(problem.line), problem.column, detail_text(problem.problem, problem.text))

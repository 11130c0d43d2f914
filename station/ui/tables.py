"""Tables whose columns show what matters whole: order numbers, waybills, times."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget


def fit_columns(table: QTableWidget, stretch: int | None = None) -> None:
    """Every column as wide as its header and cells (never cut); column `stretch`
    (else the last) takes the room left over."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

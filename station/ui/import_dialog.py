"""The import dialog: pick a file, check its columns, preview every row, then commit.

Orders or products; a WeChat Shop export is recognised by its headers, any other
file gets a column-mapping table that can be saved by name (JSON in the data
folder's `mappings/`) and picked again next time. Nothing is written before
Commit, and Commit re-plans against the database as it is then.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.importers.commit import ImportPlan, apply_plan, plan_orders
from station.importers.mapping import (
    FIELDS,
    FORMATS,
    GENERIC,
    ORDERS,
    PRODUCTS,
    Mapping,
    MappingError,
    choose_mapping,
    load_mapping,
    save_mapping,
    saved_mappings,
)
from station.importers.orders import parse_orders
from station.importers.products import ProductPreview, parse_products
from station.importers.table import Table, UnreadableFile, read_table
from station.settings import Settings, SettingsError
from station.store.db import transaction
from station.store.orders import save_products
from station.ui.import_model import (
    RowsModel,
    flag_texts,
    order_cells,
    problem_cells,
    product_cells,
)

_NO_COLUMN = ""


class ImportDialog(QDialog):
    """`imported` carries a one-line summary after a successful commit."""

    imported = Signal(str)

    def __init__(self, db: sqlite_utils.Database, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.data_dir = Path(data_dir)
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.products: ProductPreview | None = None
        self._format_found = GENERIC
        self.setWindowTitle(self.tr("Import orders or products"))
        self.resize(960, 640)

        self.kind = QComboBox()
        self.kind.addItem(self.tr("Orders"), ORDERS)
        self.kind.addItem(self.tr("Products"), PRODUCTS)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose file…"))
        browse.clicked.connect(self._browse)
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.saved = QComboBox()
        self.mapping_name = QLineEdit()
        self.mapping_name.setPlaceholderText(self.tr("name to save this mapping as"))
        save = QPushButton(self.tr("Save mapping"))
        save.clicked.connect(self.save_current_mapping)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        save_row = QHBoxLayout()
        save_row.addWidget(self.mapping_name, 1)
        save_row.addWidget(save)
        form = QFormLayout()
        form.addRow(self.tr("Import"), self.kind)
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Saved mapping"), self.saved)
        form.addRow("", save_row)

        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Column in the file")])
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.preview_model = RowsModel(
            [
                self.tr("Order / SKU"),
                self.tr("Action"),
                self.tr("Name"),
                self.tr("Lines"),
                self.tr("Flags"),
            ],
            self,
        )
        self.rows = _table_view(self.preview_model, (170, 80, 120, 300))
        self.problem_model = RowsModel(
            [self.tr("Line"), self.tr("Column"), self.tr("Problem")], self
        )
        self.problems = _table_view(self.problem_model, (80, 160))
        self.problems.verticalHeader().hide()  # its numbers are not the file's lines
        self.tabs = QTabWidget()
        self.tabs.addTab(self.columns, self.tr("Columns"))
        self.tabs.addTab(self.rows, self.tr("Preview"))
        self.tabs.addTab(self.problems, self.tr("Problems"))

        self.status = QLabel(self.tr("Choose a file."))
        self.status.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.commit_button = QPushButton(self.tr("Commit"))
        self.commit_button.setEnabled(False)
        self.commit_button.clicked.connect(self.commit)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.commit_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.kind.currentIndexChanged.connect(self._reset_columns)
        self.format.currentIndexChanged.connect(self._reset_columns)
        self.saved.currentIndexChanged.connect(self._apply_saved)
        self._fill_saved()

    # -- steps ----------------------------------------------------------------

    def load_file(self, path: Path | str) -> bool:
        """Read the file and propose a column mapping. False (with the reason shown)
        when the file cannot be read."""
        self.path.setText(str(path))
        self._invalidate()
        try:
            self.table = read_table(path)
        except UnreadableFile as exc:
            self.table = None
            self._say(self.tr("Cannot read the file: {reason}").format(reason=exc))
            return False
        self._reset_columns()
        self._say(
            self.tr("{rows} rows, {encoding}. Check the columns, then Preview.").format(
                rows=len(self.table.rows), encoding=self.table.encoding
            )
        )
        return True

    def current_mapping(self) -> Mapping:
        columns = {}
        for row in range(self.columns.rowCount()):
            field = self.columns.item(row, 0).data(Qt.ItemDataRole.UserRole)
            header = self.columns.cellWidget(row, 1).currentText()
            if header != _NO_COLUMN:
                columns[field] = header
        return Mapping(self._kind(), columns, self._format_found)

    def preview(self) -> bool:
        """Parse and plan without writing; fill the preview and problem tables."""
        self._invalidate()
        if self.table is None and not (self.path.text() and self.load_file(self.path.text())):
            return False
        assert self.table is not None
        mapping = self.current_mapping()
        try:
            mapping.check(self.table.headers)
        except MappingError as exc:
            self._say(self.tr("Columns missing: {reason}").format(reason=exc))
            self.tabs.setCurrentWidget(self.columns)
            return False
        if self._kind() == ORDERS:
            self.plan = plan_orders(
                self.db,
                parse_orders(self.table, mapping),
                f"file:{Path(self.path.text()).name}",
                self._check_words(),
            )
            self._show_orders(self.plan)
        else:
            self.products = parse_products(self.table, mapping)
            self._show_products(self.products)
        self.commit_button.setEnabled(True)
        self.tabs.setCurrentWidget(self.rows)
        return True

    def commit(self) -> str:
        """Write what the preview showed (re-planned against the database now)."""
        if self.plan is None and self.products is None:
            return ""
        if self.plan is not None:
            plan = plan_orders(self.db, self.plan.preview, self.plan.source, self._check_words())
            done = apply_plan(self.db, plan)
            summary = self.tr(
                "Imported {new}, updated {updated}, shipped left alone {shipped}, "
                "rejected rows {rejected}, flagged {flagged}, alerts {alerts}."
            ).format(
                new=done.imported,
                updated=done.updated,
                shipped=done.unchanged_shipped,
                rejected=done.rejected_rows,
                flagged=done.flagged,
                alerts=done.alerts,
            )
        else:
            assert self.products is not None
            with transaction(self.db):
                count = save_products(self.db, self.products.products)
            summary = self.tr("Imported {count} products, rejected rows {rejected}.").format(
                count=count, rejected=self.products.rejected_rows
            )
        self._invalidate()
        self._say(summary)
        self.imported.emit(summary)
        return summary

    def save_current_mapping(self) -> Path | None:
        name = self.mapping_name.text().strip()
        if not name or any(ch in name for ch in "/\\:"):
            self._say(self.tr("Give the mapping a name (no slashes)."))
            return None
        path = self.data_dir / "mappings" / f"{name}.json"
        save_mapping(path, self.current_mapping())
        self._fill_saved(select=name)
        self._say(self.tr("Mapping saved as {name}.").format(name=name))
        return path

    # -- helpers --------------------------------------------------------------

    def _kind(self) -> str:
        return self.kind.currentData()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import file"), str(self.data_dir), self.tr("Tables (*.csv *.xlsx *.txt)")
        )
        if path:
            self.load_file(path)

    def _fill_saved(self, select: str = "") -> None:
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(self.tr("(none)"), None)
        for name, path in saved_mappings(self.data_dir).items():
            self.saved.addItem(name, str(path))
        if select:
            self.saved.setCurrentIndex(self.saved.findText(select))
        self.saved.blockSignals(False)

    def _apply_saved(self) -> None:
        path = self.saved.currentData()
        if path is None or self.table is None:
            return
        try:
            mapping = load_mapping(path)
        except MappingError as exc:
            self._say(str(exc))
            return
        self.kind.setCurrentIndex(self.kind.findData(mapping.kind))
        self._fill_columns(mapping)

    def _reset_columns(self) -> None:
        self._invalidate()
        if self.table is None:
            return
        try:
            mapping = choose_mapping(self.table.headers, self._kind(), self.format.currentText())
        except MappingError:
            mapping = Mapping(self._kind(), {})
        self._format_found = mapping.format
        self._fill_columns(mapping)

    def _fill_columns(self, mapping: Mapping) -> None:
        assert self.table is not None
        fields = FIELDS[mapping.kind]
        self.columns.setRowCount(len(fields))
        for row, field in enumerate(fields):
            label = QTableWidgetItem(field.label + (" *" if field.required else ""))
            label.setData(Qt.ItemDataRole.UserRole, field.name)
            self.columns.setItem(row, 0, label)
            choice = QComboBox()
            choice.addItems([_NO_COLUMN, *(h for h in self.table.headers if h)])
            choice.setCurrentText(mapping.columns.get(field.name, _NO_COLUMN))
            choice.currentIndexChanged.connect(self._invalidate)
            self.columns.setCellWidget(row, 1, choice)
        self.columns.resizeColumnToContents(0)

    def _show_orders(self, plan: ImportPlan) -> None:
        self.preview_model.show(plan.orders, order_cells(flag_texts(plan.flags)))
        self._show_problems(plan.problems)
        self._say(
            self.tr(
                "New {new}, update {updated}, shipped (left alone) {shipped}, "
                "rejected rows {rejected}, flagged {flagged}, alerts {alerts}. Commit to import."
            ).format(
                new=plan.count("new"),
                updated=plan.count("update"),
                shipped=plan.count("shipped"),
                rejected=plan.rejected_rows,
                flagged=len({f.order_no for f in plan.flags}),
                alerts=len(plan.alerts),
            )
        )

    def _show_products(self, preview: ProductPreview) -> None:
        self.preview_model.show(preview.products, product_cells)
        self._show_problems(preview.problems)
        self._say(
            self.tr("{count} products, rejected rows {rejected}. Commit to import.").format(
                count=len(preview.products), rejected=preview.rejected_rows
            )
        )

    def _show_problems(self, problems: list) -> None:
        self.problem_model.show(problems, problem_cells)
        self.tabs.setTabText(2, self.tr("Problems ({count})").format(count=len(problems)))

    def _check_words(self) -> list[str]:
        try:
            return Settings.load(self.data_dir)["address.check_words"]
        except SettingsError:
            return Settings({})["address.check_words"]

    def _invalidate(self) -> None:
        self.plan = None
        self.products = None
        self.commit_button.setEnabled(False)

    def _say(self, text: str) -> None:
        self.status.setText(text)


def _table_view(model: RowsModel, widths: tuple[int, ...]) -> QTableView:
    """A view for many rows: every row one line high, so scrolling never measures text."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    columns = view.horizontalHeader()
    columns.setStretchLastSection(True)
    for column, width in enumerate(widths):
        columns.resizeSection(column, width)
    return view

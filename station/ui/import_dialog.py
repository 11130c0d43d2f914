"""The import dialog: pick a file, check its columns, preview every row, then commit.

Orders or products; a WeChat Shop export is recognised by its headers, any other
file gets a column-mapping table that can be saved by name (JSON in the data
folder's `mappings/`) and picked again next time. Nothing is written before
Commit, and Commit re-plans against the database as it is then.

Reading, checking and importing 100,000 orders take seconds, so each step runs
on a worker thread while the station's window keeps running (scale, scanner):
the dialog shows what it is doing, its buttons wait, and the result comes back
to the GUI thread through the runner's queued signal. The worker opens its own
connection to the database file and closes it when the step ends; the import is
one transaction, all or nothing. Closing the dialog during a step closes it when
the step has finished, so an import is never cut in half by the dialog. A
database without a file (in memory) cannot be shared with another thread: its
steps run on the GUI thread, as they all did before.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from station.app.database import database_file, opener_for
from station.app.imports import (
    ImportSteps,
    OrdersChecked,
    OrdersHub,
    OrdersImported,
    StorageError,
    StorageProblem,
    hub_orders_for,
)
from station.importers.commit import ImportPlan
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
from station.importers.problems import RowProblem
from station.importers.products import ProductPreview, parse_products
from station.importers.table import Limits, Table, UnreadableFile, read_table
from station.runner import Runner, SyncRunner
from station.settings import Settings, SettingsError
from station.ui.categories import format_text
from station.ui.import_model import RowsModel, order_cells, problem_cells, product_cells
from station.ui.runner import QtRunner
from station.ui.texts import field_label, list_text, problem_text

log = logging.getLogger("station.ui.import_dialog")

_NO_COLUMN = ""
READ, PREVIEW, COMMIT = "read", "preview", "commit"


class ImportDialog(QDialog):
    """`imported` carries a one-line summary after a successful commit.

    `load_file`, `preview` and `commit` start a step and return whether it started;
    `step_finished` (step, succeeded) follows once its result is shown. `runner`
    runs the steps (default: a worker thread of the dialog's own for each step).
    """

    imported = Signal(str)
    step_finished = Signal(str, bool)
    _counted = Signal(int)  # from the worker: the orders being checked

    def __init__(
        self,
        db: sqlite_utils.Database,
        data_dir: Path,
        parent: QWidget | None = None,
        runner: Runner | None = None,
        settings: Settings | None = None,
        hub: OrdersHub | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.data_dir = Path(data_dir)
        self.settings = settings if settings is not None else settings_of(self.data_dir)
        self.hub = hub if hub is not None else hub_orders_for(self.settings)
        """Where committed orders go for every bench too (None: no hub)."""
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.products: ProductPreview | None = None
        self._format_found = GENERIC
        self._open_db = opener_for(db)
        if runner is None and database_file(db) is None:
            # A database in memory exists only on this connection: no worker can open it.
            runner = SyncRunner()
        self._runner = runner  # None: a worker thread of its own for each step
        self._step: str | None = None
        self._then: Callable[[], object] | None = None
        self._close_when_done = False
        self.setWindowTitle(self.tr("Import orders or products"))
        self.resize(960, 640)

        self.kind = QComboBox()
        self.kind.addItem(self.tr("Orders"), ORDERS)
        self.kind.addItem(self.tr("Products"), PRODUCTS)
        self.path = QLineEdit()
        self.path.textEdited.connect(self._path_edited)
        self.browse_button = QPushButton(self.tr("Choose file…"))
        self.browse_button.clicked.connect(self._browse)
        self.format = QComboBox()
        for name in FORMATS:
            self.format.addItem(format_text(name), name)
        self.saved = QComboBox()
        self.mapping_name = QLineEdit()
        self.mapping_name.setPlaceholderText(self.tr("name to save this mapping as"))
        self.save_button = QPushButton(self.tr("Save mapping"))
        self.save_button.clicked.connect(self.save_current_mapping)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse_button)
        save_row = QHBoxLayout()
        save_row.addWidget(self.mapping_name, 1)
        save_row.addWidget(self.save_button)
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
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, for as long as it takes
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.commit_button = QPushButton(self.tr("Commit"))
        self.commit_button.setEnabled(False)
        self.commit_button.clicked.connect(self.commit)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.commit_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        # What a step must not see change under it; the tables stay scrollable.
        self._inputs: list[QWidget] = [
            self.kind,
            self.path,
            self.browse_button,
            self.format,
            self.saved,
            self.mapping_name,
            self.save_button,
            self.columns,
            self.preview_button,
        ]
        self.kind.currentIndexChanged.connect(self._reset_columns)
        self.format.currentIndexChanged.connect(self._reset_columns)
        self.saved.currentIndexChanged.connect(self._apply_saved)
        self._counted.connect(self._checking_orders)
        self._fill_saved()

    @property
    def busy(self) -> bool:
        """A step is running."""
        return self._step is not None

    # -- steps ----------------------------------------------------------------

    def load_file(self, path: Path | str, then_preview: bool = False) -> bool:
        """Start reading the file; its columns get a proposed mapping when it has
        been read (or the reason it cannot be read is shown). False when busy."""
        if self.busy:
            return False
        self.path.setText(str(path))
        self.table = None
        self._invalidate()
        return self._start(
            READ,
            self.tr("Reading {file}…").format(file=Path(path).name),
            lambda: read_table(path, Limits.of(self.settings)),
            lambda table: self._file_read(table, then_preview),
        )

    def current_mapping(self) -> Mapping:
        columns = {}
        for row in range(self.columns.rowCount()):
            item, box = self.columns.item(row, 0), self.columns.cellWidget(row, 1)
            assert item is not None and isinstance(box, QComboBox), "a row of _fill_columns"
            field = item.data(Qt.ItemDataRole.UserRole)
            header = box.currentText()
            if header != _NO_COLUMN:
                columns[field] = header
        return Mapping(self._kind(), columns, self._format_found)

    def preview(self) -> bool:
        """Start parsing and planning, without writing; the preview and problem
        tables fill when it is done. False when it cannot start (busy, no file,
        columns missing: the status line says why)."""
        if self.busy:
            return False
        self._invalidate()
        if self.table is None:
            if not self.path.text():
                self._say(self.tr("Choose a file."))
                return False
            return self.load_file(self.path.text(), then_preview=True)
        table = self.table
        mapping = self.current_mapping()
        try:
            mapping.check(table.headers)
        except MappingError as exc:
            self._columns_missing(exc)
            return False
        rows = len(table.rows)
        if self._kind() == ORDERS:
            source = f"file:{Path(self.path.text()).name}"
            use_case, counted = self._imports(), self._counted.emit
            return self._start(
                PREVIEW,
                self.tr("Checking {rows} rows…").format(rows=f"{rows:,}"),
                lambda: use_case.check_orders(table, mapping, source, counted),
                self._show_orders,
            )
        return self._start(
            PREVIEW,
            self.tr("Checking {rows} rows…").format(rows=f"{rows:,}"),
            lambda: parse_products(table, mapping),
            self._show_products,
        )

    def commit(self) -> bool:
        """Start writing what the preview showed (re-planned against the database
        now, in one transaction). `imported` carries the summary once written."""
        if self.busy or (self.plan is None and self.products is None):
            return False
        use_case = self._imports()
        if self.plan is not None:
            preview, source = self.plan.preview, self.plan.source
            return self._start(
                COMMIT,
                self.tr("Importing {count} orders…").format(count=f"{len(preview.orders):,}"),
                lambda: use_case.import_orders(preview, source),
                self._orders_imported,
            )
        products = self.products
        assert products is not None
        if use_case.products_from_hub():
            self._say(
                self.tr(
                    "This bench takes its products from the warehouse hub: a supervisor "
                    "imports them there (station hub products import FILE), and every "
                    "bench gets them. Nothing was imported."
                )
            )
            return False
        return self._start(
            COMMIT,
            self.tr("Importing {count} products…").format(count=f"{len(products.products):,}"),
            lambda: use_case.import_products(products),
            lambda count: self._products_imported(count, products),
        )

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

    def done(self, result: int) -> None:
        """Close, except during a step: then close once it has finished, so an
        import is written whole (or not at all) and never left to a dying dialog."""
        if self.busy:
            self._close_when_done = True
            self._say(self.tr("Closing when this step has finished…"))
            return
        # The Tools menu keeps a closed dialog; a big file's rows and plan need not stay.
        self.table = None
        self._invalidate()
        self.preview_model.clear()
        self.problem_model.clear()
        super().done(result)

    # -- running a step -------------------------------------------------------

    def _start(
        self,
        step: str,
        doing: str,
        work: Callable[[], Any],
        show: Callable[[Any], None],
    ) -> bool:
        self._step = step
        self._set_busy(True)
        self._say(doing)
        self._submit(
            work,
            lambda result: self._step_done(step, show, result),
            lambda exc: self._step_failed(step, exc),
        )
        return True

    def _submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """On the given runner, else on a worker thread that lives for this step."""
        if self._runner is not None:
            self._runner.submit(work, done, failed)
            return
        worker = QtRunner()

        def ending(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def end(value: Any) -> None:
                worker.stop()  # idle by now: its thread ends at once
                callback(value)

            return end

        worker.submit(work, ending(done), ending(failed))

    def _step_done(self, step: str, show: Callable[[Any], None], result: Any) -> None:
        if not Shiboken.isValid(self):
            return
        self._step = None
        self._set_busy(False)
        show(result)
        self.step_finished.emit(step, True)
        then, self._then = self._then, None
        if self._close_when_done:
            self._close_now()
        elif then is not None:
            then()

    def _step_failed(self, step: str, exc: BaseException) -> None:
        if not Shiboken.isValid(self):
            return
        self._step = None
        self._then = None
        self._set_busy(False)
        self._explain(exc)
        self.step_finished.emit(step, False)
        if self._close_when_done:
            self._close_now()

    def _close_now(self) -> None:
        self._close_when_done = False
        self.reject()

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        self.commit_button.setEnabled(not busy and self._can_commit())
        self.progress.setVisible(busy)

    def _can_commit(self) -> bool:
        return self.plan is not None or self.products is not None

    def _imports(self) -> ImportSteps:
        """The import use case as a step gets it: on a connection of its own to the
        file, closed after the step; the dialog's own only when there is no file
        (and so the step runs here, on the GUI thread)."""
        return ImportSteps(self._open_db, self.settings, self.hub)

    def _explain(self, exc: BaseException) -> None:
        """An error of a step, in plain words in the status line."""
        if isinstance(exc, UnreadableFile):
            self._say(
                self.tr("Cannot read the file: {reason}").format(reason=problem_text(exc.text))
            )
        elif isinstance(exc, MappingError):
            self._columns_missing(exc)
        elif isinstance(exc, StorageError):
            # Imports write in short transactions: what was written before stays.
            if exc.problem is StorageProblem.DISK_FULL:
                text = self.tr(
                    "The disk is full: the import stopped. Free some space, then import "
                    "the file again to finish it (orders already imported stay)."
                )
            elif exc.problem is StorageProblem.READ_ONLY:
                text = self.tr(
                    "The data folder cannot be written to: the import stopped. Check that "
                    "the disk is not write-protected and this user may write to it."
                )
            elif exc.problem is StorageProblem.BUSY:
                text = self.tr(
                    "Another program kept the database busy: the import stopped. Import the "
                    "file again in a moment to finish it (orders already imported stay)."
                )
            else:
                text = self.tr(
                    "The disk reported an error: the import stopped. Check the disk, then "
                    "import the file again to finish it."
                )
            log.warning("import step failed: %s", exc)
            self._say(text)
        elif isinstance(exc, sqlite3.Error):
            log.warning("import step failed: %s", exc)
            self._say(
                self.tr("The database refused the import: {reason}. Nothing was imported.").format(
                    reason=exc
                )
            )
        else:
            log.error("import step failed", exc_info=exc)
            self._say(
                self.tr(
                    "Unexpected error: {reason}. Nothing was imported; the log has the details."
                ).format(reason=exc)
            )

    # -- results --------------------------------------------------------------

    def _file_read(self, table: Table, then_preview: bool) -> None:
        self.table = table
        self._reset_columns()
        self._say(
            self.tr("{rows} rows, {encoding}. Check the columns, then Preview.").format(
                rows=len(table.rows), encoding=table.encoding
            )
        )
        if then_preview:
            self._then = self.preview  # the next step, once this one has finished

    def _checking_orders(self, count: int) -> None:
        if self._step == PREVIEW:
            self._say(self.tr("Checking {count} orders…").format(count=f"{count:,}"))

    def _show_orders(self, checked: OrdersChecked) -> None:
        self.plan = checked.plan
        self.preview_model.show(checked.plan.orders, order_cells(checked.flags))
        self._show_problems(checked.plan.problems)
        self._say(
            self.tr(
                "New {new}, update {updated}, shipped (left alone) {shipped}, "
                "rejected rows {rejected}, flagged {flagged}, alerts {alerts}. Commit to import."
            ).format(
                new=checked.new,
                updated=checked.updated,
                shipped=checked.shipped,
                rejected=checked.rejected,
                flagged=checked.flagged,
                alerts=checked.alerts,
            )
        )
        self._previewed()

    def _show_products(self, preview: ProductPreview) -> None:
        self.products = preview
        self.preview_model.show(preview.products, product_cells)
        self._show_problems(preview.problems)
        self._say(
            self.tr("{count} products, rejected rows {rejected}. Commit to import.").format(
                count=len(preview.products), rejected=preview.rejected_rows
            )
        )
        self._previewed()

    def _previewed(self) -> None:
        self.commit_button.setEnabled(True)
        self.tabs.setCurrentWidget(self.rows)

    def _show_problems(self, problems: Sequence[RowProblem]) -> None:
        self.problem_model.show(problems, problem_cells)
        self.tabs.setTabText(2, self.tr("Problems ({count})").format(count=len(problems)))

    def _orders_imported(self, imported: OrdersImported) -> None:
        done = imported.summary
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
        hub = imported.hub
        if hub is not None and hub.reached:
            summary += " " + self.tr(
                "Sent to the hub for every bench: {changed} orders new or changed there."
            ).format(changed=hub.changed)
        elif hub is not None:
            summary += " " + self.tr(
                "The hub could not be reached ({reason}): the orders are imported at this "
                "bench only. Import the file again when the hub is back, so every bench "
                "sees them."
            ).format(reason=hub.error)
        self._imported(summary)

    def _products_imported(self, count: int, preview: ProductPreview) -> None:
        self._imported(
            self.tr("Imported {count} products, rejected rows {rejected}.").format(
                count=count, rejected=preview.rejected_rows
            )
        )

    def _imported(self, summary: str) -> None:
        self._invalidate()
        self._say(summary)
        self.imported.emit(summary)

    # -- helpers --------------------------------------------------------------

    def _kind(self) -> str:
        kind: str = self.kind.currentData()
        return kind

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import file"), str(self.data_dir), self.tr("Tables (*.csv *.xlsx *.txt)")
        )
        if path:
            self.load_file(path)

    def _path_edited(self) -> None:
        """A path typed by hand is read again at Preview."""
        self.table = None
        self._invalidate()

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
            self._say(mapping_error_text(exc))
            return
        self.kind.setCurrentIndex(self.kind.findData(mapping.kind))
        self._fill_columns(mapping)

    def _reset_columns(self) -> None:
        self._invalidate()
        if self.table is None:
            return
        try:
            mapping = choose_mapping(self.table.headers, self._kind(), self.format.currentData())
        except MappingError:
            mapping = Mapping(self._kind(), {})
        self._format_found = mapping.format
        self._fill_columns(mapping)

    def _fill_columns(self, mapping: Mapping) -> None:
        assert self.table is not None
        fields = FIELDS[mapping.kind]
        self.columns.setRowCount(len(fields))
        for row, field in enumerate(fields):
            label = QTableWidgetItem(field_label(field.name) + (" *" if field.required else ""))
            label.setData(Qt.ItemDataRole.UserRole, field.name)
            self.columns.setItem(row, 0, label)
            choice = QComboBox()
            choice.addItems([_NO_COLUMN, *(h for h in self.table.headers if h)])
            choice.setCurrentText(mapping.columns.get(field.name, _NO_COLUMN))
            choice.currentIndexChanged.connect(self._invalidate)
            self.columns.setCellWidget(row, 1, choice)
        self.columns.resizeColumnToContents(0)

    def _columns_missing(self, exc: MappingError) -> None:
        self._say(self.tr("Columns missing: {reason}").format(reason=mapping_error_text(exc)))
        self.tabs.setCurrentWidget(self.columns)

    def _invalidate(self) -> None:
        self.plan = None
        self.products = None
        self.commit_button.setEnabled(False)

    def _say(self, text: str) -> None:
        self.status.setText(text)


# -- the steps' work, on the worker thread: no widgets, no self.db ----------------


def mapping_error_text(exc: MappingError) -> str:
    """What is wrong with a mapping, in the interface language."""
    hint = () if exc.hint is None else (exc.hint,)
    return list_text(problem_text(t) for t in (*exc.texts, *hint))


def settings_of(data_dir: Path) -> Settings:
    """The data folder's settings; the defaults if they cannot be read (an import
    needs only its limits and address words)."""
    try:
        return Settings.load(data_dir)
    except SettingsError:
        return Settings({})


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

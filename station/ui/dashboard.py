"""The dashboard: today's (or a chosen range's) parcels per hour, cycle times,
exceptions per station and packer, carrier mix and the upload queue, and the
exceptions for the supervisor (flagged orders unconfirmed for a day, parcels whose
shipping cost ran over the allowed share of the order value).

It reads through its own read-only connection (WAL lets it read while the bench
writes) and refreshes on a timer; call `refresh()` after a shipment is recorded
for an immediate update. The carrier table sets shipping cost (from the rate
tables, recorded with each shipment) against the order value.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pyqtgraph as pg
import sqlite_utils
from PySide6.QtCore import QCoreApplication, QDate, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.app.reports import Dashboard, Exceptions, Figures, Period, Reports
from station.app.sync_status import SyncStatus, UploadStatus
from station.core.routing import percent
from station.ui.sync_status import not_set_up_text
from station.ui.tables import fit_columns

_TODAY, _YESTERDAY, _WEEK, _CUSTOM = range(4)


def read_only(db_path: Path | str) -> sqlite_utils.Database:
    conn = sqlite3.connect(
        f"file:{Path(db_path).as_posix()}?mode=ro", uri=True, check_same_thread=False
    )
    conn.execute("PRAGMA busy_timeout=2000")
    return sqlite_utils.Database(conn)


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} s"


def _count_rate(count: int, rate: float) -> str:
    return f"{count} ({rate:.1%})"


class DashboardWidget(QWidget):
    def __init__(
        self,
        db_path: Path | str,
        parent: QWidget | None = None,
        refresh_seconds: int = 10,
        sync_folder: Path | None = None,
        cost_alert_percent: float = 12.0,
        low_balance: int = 200,
    ):
        """`sync_folder`: where sync.toml is (default: the database's folder);
        `low_balance`: the e-waybill stock below which an account is listed."""
        super().__init__(parent)
        self.cost_alert_percent = cost_alert_percent
        self.low_balance = low_balance
        self.setObjectName("dashboard")
        self.db_path = Path(db_path)
        self.sync_folder = sync_folder or Path(db_path).parent
        self.report: Dashboard | None = None
        self.range_box = QComboBox(objectName="dashboardRange")
        self.range_box.addItems(
            [self.tr("Today"), self.tr("Yesterday"), self.tr("Last 7 days"), self.tr("Dates…")]
        )
        self.first_edit = QDateEdit(QDate.currentDate(), calendarPopup=True)
        self.last_edit = QDateEdit(QDate.currentDate(), calendarPopup=True)
        for edit in (self.first_edit, self.last_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.refresh)
        self.range_box.currentIndexChanged.connect(self._range_changed)
        self.summary = QLabel(objectName="dashboardSummary")
        self.summary.setWordWrap(True)
        self.queue = QLabel(objectName="dashboardQueue", wordWrap=True)
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMinimumHeight(120)
        self.chart.setLabel("left", self.tr("Parcels"))
        self.chart.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush="#2f6fb0")
        self.chart.addItem(self.bars)
        self.stations = self._figures_table("dashboardStations")
        self.packers = self._figures_table("dashboardPackers")
        self.carriers = QTableWidget(0, 6, objectName="dashboardCarriers")
        self.carriers.setHorizontalHeaderLabels(
            [
                self.tr("Carrier"),
                self.tr("Parcels"),
                self.tr("Weight kg"),
                self.tr("Order value ¥"),
                self.tr("Shipping cost ¥"),
                self.tr("Cost / value"),
            ]
        )
        fit_columns(self.carriers)
        self.exceptions = QTableWidget(0, 3, objectName="dashboardExceptions")
        self.exceptions.setHorizontalHeaderLabels(
            [self.tr("Exception"), self.tr("Order"), self.tr("Detail")]
        )
        self.exceptions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.exceptions.horizontalHeader().setStretchLastSection(True)
        tabs = QTabWidget()
        self.tabs = tabs
        tabs.addTab(self.stations, self.tr("Per &station"))
        tabs.addTab(self.packers, self.tr("Per &packer"))
        tabs.addTab(self.carriers, self.tr("&Carriers"))
        tabs.addTab(self.exceptions, "")
        top = QHBoxLayout()
        period = QLabel(self.tr("&Period"))
        period.setBuddy(self.range_box)
        top.addWidget(period)
        for widget in (self.range_box, self.first_edit, self.last_edit):
            top.addWidget(widget)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.queue)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        layout.addWidget(tabs, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.set_refresh_seconds(refresh_seconds)
        self.refresh()

    def _figures_table(self, name: str) -> QTableWidget:
        table: QTableWidget = QTableWidget(0, 10, objectName=name)
        table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Parcels"),
                self.tr("Per hour"),
                self.tr("Cycle p50"),
                self.tr("Cycle p95"),
                self.tr("Wrong items"),
                self.tr("Weight mismatches"),
                self.tr("Overrides"),
                self.tr("Reprints"),
                self.tr("Voids"),
            ]
        )
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        fit_columns(table)
        return table

    def set_refresh_seconds(self, seconds: int) -> None:
        self.timer.stop()
        if seconds > 0:
            self.timer.start(seconds * 1000)

    def period(self) -> Period:
        today = date.today()
        index = self.range_box.currentIndex()
        if index == _YESTERDAY:
            return Period.days(today - timedelta(days=1))
        if index == _WEEK:
            return Period.days(today - timedelta(days=6), today)
        if index == _CUSTOM:
            first, last = self.first_edit.date().toPython(), self.last_edit.date().toPython()
            return Period.days(min(first, last), max(first, last))
        return Period.days(today)

    def _range_changed(self, index: int) -> None:
        for edit in (self.first_edit, self.last_edit):
            edit.setEnabled(index == _CUSTOM)
        self.refresh()

    def refresh(self) -> None:
        # A connection per refresh, closed at once: the widget holds none open
        # between refreshes, and none is left when it is dropped without a close.
        with read_only(self.db_path) as db:
            reports = Reports(db, self.cost_alert_percent, low_balance=self.low_balance)
            report = reports.dashboard(self.period())
            uploads = SyncStatus(db, self.sync_folder).status()
            exceptions = reports.exceptions(self.period())
        self._fill_exceptions(exceptions)
        self.report = report
        total = report.total
        self.summary.setText(
            self.tr(
                "{parcels} parcels, {per_hour:.1f} per hour; cycle p50 {p50}, p95 {p95}; "
                "wrong items {wrong}, weight mismatches {weight}, overrides {overrides}, "
                "reprints {reprints}, voids {voids}"
            ).format(
                parcels=total.parcels,
                per_hour=total.parcels_per_hour,
                p50=_seconds(total.cycle_p50_s),
                p95=_seconds(total.cycle_p95_s),
                wrong=_count_rate(total.wrong_items, total.rate(total.wrong_items)),
                weight=_count_rate(total.weight_mismatches, total.rate(total.weight_mismatches)),
                overrides=_count_rate(total.overrides, total.rate(total.overrides)),
                reprints=_count_rate(total.reprints, total.rate(total.reprints)),
                voids=_count_rate(total.voids, total.rate(total.voids)),
            )
        )
        self.queue.setText(self._upload_line(uploads, report))
        self._fill_figures(self.stations, report.stations)
        self._fill_figures(self.packers, report.packers)
        self._fill_carriers(report)
        self._draw_chart(report)

    def _upload_line(self, uploads: UploadStatus, report: Dashboard) -> str:
        """As the status light says it: sync.toml wrong, no target set up, else the
        queue's rows (waiting and needing attention now, done in the period)."""
        if uploads.config_error:
            wrong = QCoreApplication.translate("SyncStatusWidget", "Upload settings wrong")
            return f"{wrong}: {uploads.config_error}"
        if not uploads.set_up:
            return not_set_up_text(self.sync_folder, uploads.waiting_locally)
        return self.tr(
            "Upload queue: {queued} waiting, {attention} need attention, {done} done"
        ).format(**report.outbox)

    def _fill_exceptions(self, exceptions: Exceptions) -> None:
        """Flagged orders unconfirmed for 24 h (whatever the period), then the period's
        parcels over the shipping-cost limit, then e-waybill cancels refused for good and
        e-waybill accounts running low (whatever the period)."""
        limit = exceptions.cost_alert_percent
        rows = [
            (self.tr("Flagged, unconfirmed for 24 h"), s.order_no, s.flags)
            for s in exceptions.stale_flagged
        ]
        rows += [
            (
                self.tr("Shipping cost over {limit}%").format(limit=f"{limit:g}"),
                c.order_no,
                self.tr("{carrier} {tracking_no}: {cost} yuan is {share} of {value} yuan").format(
                    carrier=c.carrier,
                    tracking_no=c.tracking_no,
                    cost=f"{c.cost_fen / 100:,.2f}",
                    share=percent(c.share, limit),
                    value=f"{c.order_value_fen / 100:,.2f}",
                ),
            )
            for c in exceptions.costly
        ]
        rows += [
            (
                self.tr("E-waybill cancel refused"),
                r.order_no,
                self.tr(
                    "{waybill_no} ({provider}): {reason}. Settle it with the carrier, then "
                    "station waybill cancel {waybill_no} to try again."
                ).format(waybill_no=r.waybill_no, provider=r.provider, reason=r.reason),
            )
            for r in exceptions.refused_cancels
        ]
        rows += [
            (
                self.tr("E-waybill balance low"),
                "",
                self.tr("{provider} {carrier} account {account}: {available} numbers left").format(
                    provider=b.provider,
                    carrier=b.carrier,
                    account=b.account,
                    available=b.available,
                ),
            )
            for b in exceptions.low_balances
        ]
        self.exceptions.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.exceptions.setItem(row, column, QTableWidgetItem(text))
        index = self.tabs.indexOf(self.exceptions)
        self.tabs.setTabText(index, self.tr("&Exceptions ({count})").format(count=len(rows)))

    def _fill_figures(self, table: QTableWidget, figures: list[Figures]) -> None:
        table.setRowCount(len(figures))
        for row, f in enumerate(figures):
            cells = (
                f.name,
                str(f.parcels),
                f"{f.parcels_per_hour:.1f}",
                _seconds(f.cycle_p50_s),
                _seconds(f.cycle_p95_s),
                _count_rate(f.wrong_items, f.rate(f.wrong_items)),
                _count_rate(f.weight_mismatches, f.rate(f.weight_mismatches)),
                _count_rate(f.overrides, f.rate(f.overrides)),
                _count_rate(f.reprints, f.rate(f.reprints)),
                _count_rate(f.voids, f.rate(f.voids)),
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))

    def _fill_carriers(self, report: Dashboard) -> None:
        self.carriers.setRowCount(len(report.carriers))
        for row, c in enumerate(report.carriers):
            cells = (
                c.carrier,
                str(c.parcels),
                f"{c.weight_g / 1000:,.2f}",
                f"{c.order_value_fen / 100:,.2f}",
                f"{c.shipping_cost_fen / 100:,.2f}" if c.priced else "–",
                f"{c.cost_share:.1%}" if c.priced and c.cost_share is not None else "–",
            )
            for column, text in enumerate(cells):
                self.carriers.setItem(row, column, QTableWidgetItem(text))

    def _draw_chart(self, report: Dashboard) -> None:
        counts = [count for _, count in report.hourly]
        self.bars.setOpts(x=list(range(len(counts))), height=counts, width=0.8)
        step = max(1, len(counts) // 24)
        labels = [
            (i, f"{moment:%H}" if len(counts) <= 24 else f"{moment:%m-%d %H}")
            for i, (moment, _) in enumerate(report.hourly)
            if i % step == 0
        ]
        self.chart.getAxis("bottom").setTicks([labels])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)

"""The dashboard's Warehouse view, when the bench has a hub: every bench's state
(online or offline, last seen, packer, queue depth, parcels this hour, cycle p50,
exceptions) and today's parcels per hour, per packer and per carrier.

It reads the hub through the Floor use case on a worker thread, so a slow or
unreachable hub never freezes the window; it refreshes every second while shown
(a refresh reads the hub's hourly roll-up, a few milliseconds) and not at all
while hidden, and says when the hub cannot be reached, keeping the last figures.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.app.floor import (
    BenchState,
    Floor,
    FloorReport,
    HubNotInitialised,
    HubTooNew,
    HubUnreachable,
    Period,
    Presence,
    Rate,
)
from station.ui.tables import fit_columns

REFRESH_MS = 1000
_OFFLINE = QColor("#b00020")


class _Answers(QObject):
    """Carries a worker thread's answer to the window's thread."""

    report = Signal(object)
    failed = Signal(str)


class WarehouseWidget(QWidget):
    def __init__(self, floor: Floor, parent: QWidget | None = None, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        self.setObjectName("warehouse")
        self.floor = floor
        self.report: FloorReport | None = None
        self._worker: threading.Thread | None = None
        self._answers = _Answers(self)
        self._answers.report.connect(self._show)
        self._answers.failed.connect(self._failed)
        self.problem = QLabel(objectName="warehouseProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        self.summary = QLabel(objectName="warehouseSummary", wordWrap=True)
        self.benches = QTableWidget(0, 9, objectName="warehouseBenches")
        self.benches.setHorizontalHeaderLabels(
            [
                self.tr("Bench"),
                self.tr("State"),
                self.tr("Last seen"),
                self.tr("Packer"),
                self.tr("Queue"),
                self.tr("Today"),
                self.tr("This hour"),
                self.tr("Cycle p50"),
                self.tr("Exceptions"),
            ]
        )
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMinimumHeight(110)
        self.chart.setLabel("left", self.tr("Parcels"))
        self.chart.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush="#2f6fb0")
        self.chart.addItem(self.bars)
        self.packers = self._rates_table("warehousePackers", self.tr("Packer"))
        self.carriers = self._rates_table("warehouseCarriers", self.tr("Carrier"))
        for table in (self.benches, self.packers, self.carriers):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            fit_columns(table)
        tabs = QTabWidget()
        tabs.addTab(self.packers, self.tr("Per p&acker"))
        tabs.addTab(self.carriers, self.tr("Per ca&rrier"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.summary)
        layout.addWidget(self.benches, 2)
        layout.addWidget(self.chart, 1)
        layout.addWidget(tabs, 1)
        self.timer = QTimer(self, interval=refresh_ms)
        self.timer.timeout.connect(self.refresh)

    def _rates_table(self, name: str, first: str) -> QTableWidget:
        table: QTableWidget = QTableWidget(0, 5, objectName=name)
        table.setHorizontalHeaderLabels(
            [first, self.tr("Parcels"), self.tr("Per hour"), self.tr("Voids"), self.tr("Weight kg")]
        )
        return table

    def refresh(self) -> None:
        """Ask the hub for today's floor (on a worker thread); one question at a time."""
        if self._worker is not None and self._worker.is_alive():
            return
        self._worker = threading.Thread(target=self._ask, name="warehouse", daemon=True)
        self._worker.start()

    def _ask(self) -> None:
        try:
            report = self.floor.report(Period.today())
        except (HubUnreachable, HubNotInitialised, HubTooNew) as exc:
            self._answer(self._answers.failed, str(exc))
            return
        self._answer(self._answers.report, report)

    @staticmethod
    def _answer(signal: SignalInstance, value: object) -> None:
        # RuntimeError: the window was deleted while the hub answered.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)

    def wait(self, timeout: float = 10.0) -> None:
        """Until the question in flight is answered (on closing, and in tests)."""
        if self._worker is not None:
            self._worker.join(timeout)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        self.wait()
        super().closeEvent(event)

    def _failed(self, reason: str) -> None:
        self.problem.setText(
            self.tr("The hub cannot be reached: {reason}. Showing the last figures.").format(
                reason=reason
            )
        )
        self.problem.show()

    def _show(self, report: FloorReport) -> None:
        self.report = report
        self.problem.hide()
        total = report.total
        self.summary.setText(
            self.tr(
                "Floor today: {parcels} parcels, {per_hour:.1f} per hour, {this_hour} this hour; "
                "{online} of {benches} benches online"
            ).format(
                parcels=total.parcels,
                per_hour=total.parcels_per_hour,
                this_hour=report.parcels_this_hour,
                online=report.online,
                benches=len(report.benches),
            )
        )
        self._fill_benches(report)
        self._fill_rates(self.packers, report.packers)
        self._fill_rates(self.carriers, report.carriers)
        self._draw_chart(report.hourly)

    def _fill_benches(self, report: FloorReport) -> None:
        self.benches.setRowCount(len(report.benches))
        for row, bench in enumerate(report.benches):
            cells = (
                bench.bench,
                self.tr("Online") if bench.presence is Presence.ONLINE else self.tr("Offline"),
                self._age(bench, report.taken_at),
                bench.packer or "–",
                str(bench.queue_depth),
                str(bench.parcels),
                str(bench.parcels_this_hour),
                "–" if bench.cycle_p50_s is None else f"{bench.cycle_p50_s:.0f} s",
                str(bench.exceptions),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if bench.presence is Presence.OFFLINE:
                    item.setForeground(QBrush(_OFFLINE))
                self.benches.setItem(row, column, item)

    def _age(self, bench: BenchState, now: datetime) -> str:
        if bench.last_seen is None:
            return self.tr("never")
        seconds = max(0, int((now - bench.last_seen).total_seconds()))
        if seconds < 120:
            return self.tr("{n} s ago").format(n=seconds)
        return f"{bench.last_seen.astimezone():%H:%M}"

    def _fill_rates(self, table: QTableWidget, rates: list[Rate]) -> None:
        table.setRowCount(len(rates))
        for row, rate in enumerate(rates):
            cells = (
                rate.name or "–",
                str(rate.parcels),
                f"{rate.parcels_per_hour:.1f}",
                str(rate.voids),
                f"{rate.weight_g / 1000:,.2f}",
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))

    def _draw_chart(self, hourly: list[tuple[datetime, int]]) -> None:
        counts = [count for _, count in hourly]
        self.bars.setOpts(x=list(range(len(counts))), height=counts, width=0.8)
        self.chart.getAxis("bottom").setTicks(
            [[(i, f"{moment.astimezone():%H}") for i, (moment, _) in enumerate(hourly)]]
        )


class DashboardTabs(QTabWidget):
    """The dashboard with a hub: this bench's figures, and the warehouse's."""

    def __init__(self, bench: QWidget, warehouse: WarehouseWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboardTabs")
        self.bench = bench
        self.warehouse = warehouse
        self.addTab(bench, self.tr("This &bench"))
        self.addTab(warehouse, self.tr("&Warehouse"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.warehouse.close()
        super().closeEvent(event)

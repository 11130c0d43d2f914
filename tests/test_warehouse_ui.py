"""The dashboard's Warehouse view (pytest-qt) against a real PostgreSQL hub."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from PySide6.QtGui import QColor

from station.app.floor import Floor
from station.hub.db import connect
from station.hub.heartbeat import BenchReport, send
from station.hub.push import HubTarget
from station.settings import Settings
from station.store.db import DB_FILE
from station.ui.app import build_station
from station.ui.dashboard import DashboardWidget
from station.ui.warehouse import DashboardTabs, WarehouseWidget
from tests.test_hub_floor import recorded, today_at


def push(url: str, bench: str, first: int, count: int, packer: str, carrier: str) -> None:
    target = HubTarget(url)
    nine = today_at(9)
    target.deliver(
        [
            recorded(bench, n, packer, carrier, nine + timedelta(minutes=n), 500)
            for n in range(first, first + count)
        ],
        {},
    )
    target.close()


def cells(widget: WarehouseWidget, row: int) -> list[str]:
    table = widget.benches
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_the_view_shows_every_bench_and_the_floors_figures_and_follows_new_shipments(
    qtbot, hub_url: str
) -> None:
    push(hub_url, "bench-1", 0, 3, "li", "ZTO")
    push(hub_url, "bench-2", 0, 2, "wu", "SF")
    with connect(hub_url) as conn:
        send(conn, "bench-1", BenchReport("li", 4, 1, 37.5))
        send(conn, "bench-2", BenchReport("wu", 0, 0, None))
        conn.execute(
            "UPDATE bench_heartbeats SET last_seen = now() - interval '1 h' WHERE bench = 'bench-2'"
        )
    widget = WarehouseWidget(Floor(hub_url), refresh_ms=100)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.report is not None, timeout=10_000)
    one = cells(widget, 0)
    assert one[0] == "bench-1" and one[1] == "Online" and one[2].endswith("s ago")
    this_hour = 3 if today_at(9).hour == datetime.now().astimezone().hour else 0
    assert one[3:] == ["li", "4", "3", str(this_hour), "38 s", "1"]
    two = cells(widget, 1)
    assert two[:2] == ["bench-2", "Offline"] and two[5] == "2" and two[7] == "–"
    assert widget.benches.item(1, 0).foreground().color() == QColor("#b00020")
    assert "5 parcels" in widget.summary.text() and "1 of 2 benches online" in widget.summary.text()
    packers = {
        widget.packers.item(r, 0).text(): widget.packers.item(r, 1).text()
        for r in range(widget.packers.rowCount())
    }
    assert packers == {"li": "3", "wu": "2"}
    assert widget.carriers.item(0, 0).text() == "ZTO"

    push(hub_url, "bench-2", 2, 4, "wu", "SF")  # a bench records more: the view follows
    qtbot.waitUntil(lambda: widget.report.total.parcels == 9, timeout=10_000)
    assert "9 parcels" in widget.summary.text()
    widget.close()


def test_an_unreachable_hub_is_said_and_the_last_figures_stay(qtbot, pg_url: str) -> None:
    widget = WarehouseWidget(Floor("postgresql://x:y@127.0.0.1:1/station", 2.0), refresh_ms=60_000)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.problem.isVisible(), timeout=10_000)
    assert "The hub cannot be reached" in widget.problem.text()
    assert widget.report is None and widget.benches.rowCount() == 0
    widget.close()

    uninitialised = WarehouseWidget(Floor(pg_url), refresh_ms=60_000)
    qtbot.addWidget(uninitialised)
    uninitialised.show()
    qtbot.waitUntil(lambda: uninitialised.problem.isVisible(), timeout=10_000)
    assert "station hub init" in uninitialised.problem.text()
    uninitialised.close()


def test_the_view_asks_the_hub_only_while_shown(qtbot, hub_url: str) -> None:
    widget = WarehouseWidget(Floor(hub_url), refresh_ms=50)
    qtbot.addWidget(widget)
    assert not widget.timer.isActive()
    widget.show()
    assert widget.timer.isActive()
    widget.hide()
    assert not widget.timer.isActive()
    widget.close()


def test_the_dashboard_gains_a_warehouse_tab(qtbot, hub_url: str, db, data_dir: Path) -> None:
    bench = DashboardWidget(data_dir / DB_FILE, refresh_seconds=0)
    tabs = DashboardTabs(bench, WarehouseWidget(Floor(hub_url)))
    qtbot.addWidget(tabs)
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["This &bench", "&Warehouse"]
    tabs.show()
    assert not tabs.warehouse.timer.isActive()  # the bench's tab is in front
    tabs.setCurrentWidget(tabs.warehouse)
    qtbot.waitUntil(lambda: tabs.warehouse.report is not None, timeout=10_000)
    tabs.close()
    assert not tabs.warehouse.timer.isActive()
    with psycopg.connect(hub_url, autocommit=True) as conn:
        # the view left nothing open at the hub
        others = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = 'packing-station'"
        ).fetchone()
    assert others == (0,)


def test_a_bench_with_a_hub_beats_and_its_dashboard_shows_it_in_the_warehouse_tab(
    qtbot, qapp, data_dir: Path, settings: Settings, hub_url: str
) -> None:
    with_hub = settings.with_values(hub__url=hub_url, station__name="bench-7")
    built = build_station(qapp, data_dir, with_hub, demo=True, sound_backend=lambda path: None)
    try:
        built.tools.uploader.start()  # the uploader thread sends the heartbeat
        built.tools.show_dashboard()
        tabs = built.tools.dashboard.findChild(DashboardTabs)
        assert tabs is not None
        tabs.setCurrentWidget(tabs.warehouse)
        qtbot.waitUntil(
            lambda: (
                tabs.warehouse.report is not None
                and [b.bench for b in tabs.warehouse.report.benches] == ["bench-7"]
            ),
            timeout=20_000,
        )
        assert cells(tabs.warehouse, 0)[:2] == ["bench-7", "Online"]
    finally:
        built.stop()


def test_a_bench_without_a_hub_has_no_warehouse_tab(
    qtbot, qapp, data_dir: Path, settings: Settings
) -> None:
    built = build_station(qapp, data_dir, settings, demo=True, sound_backend=lambda path: None)
    try:
        built.tools.show_dashboard()
        assert built.tools.dashboard.findChild(DashboardTabs) is None
        assert built.tools.dashboard.findChild(DashboardWidget) is not None
    finally:
        built.stop()

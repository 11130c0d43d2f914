"""Dashboard figures checked against a known set of shipments, and the widget."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from station.store.db import DB_FILE, transaction
from station.store.reports import Period, dashboard
from tests.shipments_factory import make_shipment, override, scan_event


@pytest.fixture
def nine(db: sqlite_utils.Database) -> datetime:
    """Today 09:00 local: bench-1/li packs 10 parcels 09:00-09:45 and 3 at 10:xx,
    bench-2/wu packs 4 at 11:xx (one voided), plus exceptions; one parcel yesterday."""
    nine = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    for n in range(10):
        make_shipment(db, nine + timedelta(minutes=5 * n), cycle_s=10.0 * (n + 1))
    for n in range(3):
        made = make_shipment(db, nine + timedelta(hours=1, minutes=n), print_count=2 + n)
    override(db, made, nine + timedelta(hours=1, minutes=3))
    for n in range(4):
        make_shipment(
            db,
            nine + timedelta(hours=2, minutes=n),
            station="bench-2",
            packer="wu",
            carrier="SF",
            cycle_s=None if n == 0 else 200.0,
            voided=n == 3,
            order_value_fen=5000,
            weight_g=1000,
        )
    make_shipment(db, nine - timedelta(days=1))
    for kind, result, packer, detail in (
        ("item", "refused", "li", "item_not_in_order"),
        ("item", "refused", "li", "item_too_many"),
        ("item", "refused", "wu", "item_unknown"),
        # Scanned before CONFIRM, or while weighing: no wrong item.
        ("item", "refused", "li", "confirm_needed"),
        ("item", "refused", "wu", "item_not_expected"),
        ("weight", "mismatch", "wu", ""),
        ("item", "ok", "li", ""),
        ("tracking", "refused", "li", "tracking_invalid"),
    ):
        station = "bench-1" if packer == "li" else "bench-2"
        scan_event(db, nine + timedelta(minutes=30), kind, result, station, packer, detail)
    with transaction(db):
        for state in ("queued", "queued", "attention", "done"):
            db.execute(
                "INSERT INTO outbox (event, order_no, idempotency_key, payload, state, created_at) "
                "VALUES ('shipment.recorded', 'T', ?, '{}', ?, ?)",
                (
                    f"k{db.execute('SELECT count(*) FROM outbox').fetchone()[0]}",
                    state,
                    nine.isoformat(),
                ),
            )
    return nine


def test_figures_per_station_and_packer(db: sqlite_utils.Database, nine: datetime) -> None:
    report = dashboard(db, Period.today(nine))
    total = report.total
    assert (total.parcels, total.voids, total.recorded) == (16, 1, 17)
    assert total.reprints == 1 + 2 + 3
    assert (total.wrong_items, total.weight_mismatches, total.overrides) == (3, 1, 1)
    assert total.active_hours == 3
    assert total.parcels_per_hour == pytest.approx(16 / 3)
    assert total.rate(total.wrong_items) == pytest.approx(3 / 17)
    [li] = [f for f in report.packers if f.name == "li"]
    assert (li.parcels, li.wrong_items, li.overrides, li.active_hours) == (13, 2, 1, 2)
    # cycles of li: 10..100 s (ten parcels) and three of 60 s
    assert li.cycle_p50_s == pytest.approx(60.0, abs=0.01)
    assert li.cycle_p95_s == pytest.approx(100.0, abs=0.01)
    [bench2] = [f for f in report.stations if f.name == "bench-2"]
    assert (bench2.parcels, bench2.voids, bench2.weight_mismatches) == (3, 1, 1)
    assert bench2.cycle_p50_s == pytest.approx(200.0, abs=0.01)
    assert [s.name for s in report.stations] == ["bench-1", "bench-2"]


def test_hourly_carriers_and_upload_queue(db: sqlite_utils.Database, nine: datetime) -> None:
    report = dashboard(db, Period.today(nine))
    hourly = {moment.hour: count for moment, count in report.hourly if count}
    assert hourly == {9: 10, 10: 3, 11: 3}
    assert len(report.hourly) == 24
    mix = {c.carrier: (c.parcels, c.weight_g, c.order_value_fen) for c in report.carriers}
    assert mix == {"ZTO": (13, 13 * 500, 13 * 10_000), "SF": (3, 3000, 15_000)}
    assert report.outbox == {"queued": 2, "attention": 1, "done": 1}


def test_a_range_of_days_includes_yesterday(db: sqlite_utils.Database, nine: datetime) -> None:
    period = Period.days((nine - timedelta(days=1)).date(), nine.date())
    assert dashboard(db, period).total.parcels == 17
    assert dashboard(db, Period.days((nine - timedelta(days=1)).date())).total.parcels == 1


def test_the_widget_shows_the_figures_and_updates_live(
    qtbot, db: sqlite_utils.Database, data_dir: Path, nine: datetime
) -> None:
    from station.ui.dashboard import DashboardWidget

    widget = DashboardWidget(data_dir / DB_FILE, refresh_seconds=0)
    qtbot.addWidget(widget)
    assert widget.report.total.parcels == 16
    assert "16 parcels" in widget.summary.text()
    assert widget.stations.rowCount() == 2 and widget.packers.item(0, 0).text() == "li"
    assert widget.packers.item(0, 1).text() == "13"
    assert "2 waiting" in widget.queue.text()
    make_shipment(db, datetime.now().astimezone(), packer="zz")
    widget.set_refresh_seconds(1)
    qtbot.waitUntil(lambda: widget.report.total.parcels == 17, timeout=3000)
    assert widget.packers.rowCount() == 3
    widget.range_box.setCurrentIndex(1)
    assert widget.report.total.parcels == 1

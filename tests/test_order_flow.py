"""Flagged and costly orders as the bench and the supervisor see them: routing known
before the weight, the shipping-cost alert on the banner and in the dashboard's
exceptions, flagged orders unconfirmed for a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from test_bench import open_order, put, scan_all_items

from station.bench import Bench
from station.core.routing import percent
from station.store.db import DB_FILE
from station.store.exceptions import costly_shipments, stale_flagged
from station.store.reports import Period

FROZEN = "WX20261121000025"  # the demo's 冷冻和牛牛排, missing from the catalogue


def test_the_bench_knows_the_carrier_before_the_weight_and_updates_it(bench: Bench) -> None:
    """The frozen order goes JD cold chain: the bench says so from the scan on (it
    said the default ZTO until the weight)."""
    bench.scan(FROZEN)
    assert bench.session is not None and bench.session.carrier is None
    assert bench.routed is not None
    assert (bench.routed.carrier, bench.routed.service) == ("JD", "cold_chain")
    plain = open_order(bench.db)
    bench.scan("CMD-CANCEL")
    bench.scan(plain)
    assert bench.routed is not None and bench.routed.carrier == "ZTO"
    scan_all_items(bench, plain)
    put(bench, bench.session.expected_grams + 40_000)  # heavier: over-tolerance
    bench.scan("CMD-CANCEL")
    assert bench.routed is None


def test_the_packer_hears_of_a_costly_parcel(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.db.execute("UPDATE orders SET order_value_fen = 990 WHERE order_no = ?", [order_no])
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    result = bench.recorder.feedback[-2]  # then "printed"
    assert result.message.key == "recorded_cost_alert"
    assert result.message.params["limit"] == "12%"
    assert "tell the supervisor" in result.message.english()
    cheap = bench.db.execute(
        "SELECT shipping_cost_fen FROM shipments WHERE order_no = ?", [order_no]
    ).fetchone()[0]
    assert result.message.params["share"] == percent(100 * cheap / 990, 12)


def test_a_share_is_never_printed_as_the_limit() -> None:
    assert percent(12.5, 12) == "12.5%"
    assert percent(14.3, 12) == "14%"
    assert percent(12.04, 12) == "12.04%"
    assert percent(12.001, 12) == "12.00%"  # at most two decimals


def test_costly_shipments_and_stale_flags_are_the_supervisors_exceptions(
    bench: Bench, demo_db: sqlite_utils.Database
) -> None:
    order_no = open_order(demo_db)
    demo_db.execute("UPDATE orders SET order_value_fen = 990 WHERE order_no = ?", [order_no])
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    costly = costly_shipments(demo_db, *Period.today().bounds(), 12.0)
    assert [c.order_no for c in costly] == [order_no]
    assert costly_shipments(demo_db, *Period.today().bounds(), 100.0) == []

    now = datetime.now(UTC)
    assert stale_flagged(demo_db, now) == []  # the demo's flagged orders are new
    stale = [s.order_no for s in stale_flagged(demo_db, now + timedelta(hours=25))]
    assert stale == ["WX20261121000022", "WX20261121000023", "WX20261121000024"]


def test_the_dashboard_lists_the_exceptions(
    qtbot, bench: Bench, demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.ui.dashboard import DashboardWidget

    demo_db.execute(
        "UPDATE orders SET created_at = '2026-01-01T00:00:00.000Z' "
        "WHERE order_no = 'WX20261121000023'"
    )
    order_no = open_order(demo_db)
    demo_db.execute("UPDATE orders SET order_value_fen = 990 WHERE order_no = ?", [order_no])
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    widget = DashboardWidget(data_dir / DB_FILE, refresh_seconds=0)
    qtbot.addWidget(widget)
    table = widget.exceptions
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert [r[1] for r in rows] == ["WX20261121000023", order_no]
    assert "unconfirmed for 24 h" in rows[0][0] and "phone" in rows[0][2]
    assert rows[1][0] == "Shipping cost over 12%" and "% of 9.90 yuan" in rows[1][2]
    assert widget.tabs.tabText(widget.tabs.indexOf(table)) == "&Exceptions (2)"


@pytest.fixture
def bench(demo_db: sqlite_utils.Database, settings, tmp_path: Path) -> Bench:
    from test_bench import Clock, Recorder

    from printers import open_printer
    from station.core.reading import ScaleLink

    recorder = Recorder()
    clock = Clock()
    made = Bench(
        demo_db,
        settings,
        open_printer(f"pdf:{tmp_path / 'labels'}"),
        listener=recorder,
        clock=clock,
    )
    made.recorder = recorder  # type: ignore[attr-defined]
    made.test_clock = clock  # type: ignore[attr-defined]
    made.scale_link(ScaleLink.CONNECTED)
    return made


# -- flags that need a supervisor, and the address for whoever confirms ------------

WORD = "WX20261121000024"  # the demo's 部队 address
TYPO = "WX20261121000022"  # the demo's 广洲市


def test_a_word_flag_needs_a_supervisors_pin(bench: Bench, demo_db: sqlite_utils.Database) -> None:
    from station.demo import DEMO_SUPERVISOR_PIN

    assert bench.scan(WORD).message.key == "order_flagged"
    refused = bench.scan("CMD-CONFIRM")
    assert refused.message.key == "confirm_needs_supervisor"
    assert "部队" in refused.message.params["words"]
    assert bench.recorder.override_requests == ["flags"]
    assert bench.session is not None and bench.session.phase.value == "confirm"
    assert bench.override("0000", "checked").message.key == "override_denied"
    assert bench.session.phase.value == "confirm"
    done = bench.override(DEMO_SUPERVISOR_PIN, "Address checked with the buyer")
    assert done.message.key == "flags_confirmed_by"
    assert bench.session.phase.value == "verify"
    scan_all_items(bench, WORD)
    put(bench, bench.session.expected_grams)
    assert bench.last is not None and bench.last.order.order_no == WORD
    kind, subject = demo_db.execute(
        "SELECT kind, subject FROM overrides WHERE order_no = ?", [WORD]
    ).fetchone()
    assert kind == "flags" and "部队" in subject


def test_the_setting_lets_the_packer_confirm_word_flags(
    demo_db: sqlite_utils.Database, settings, tmp_path: Path
) -> None:
    from printers import open_printer

    relaxed = settings.with_values(address__check_words_need_supervisor=False)
    bench = Bench(demo_db, relaxed, open_printer(f"pdf:{tmp_path}"))
    bench.scan(WORD)
    assert bench.scan("CMD-CONFIRM").message.key == "flags_confirmed"


def test_other_flags_are_confirmed_by_the_packer(bench: Bench) -> None:
    bench.scan(TYPO)
    assert bench.scan("CMD-CONFIRM").message.key == "flags_confirmed"
    assert bench.recorder.override_requests == []


def test_the_confirmer_sees_the_whole_address_masked_otherwise(qtbot, bench: Bench) -> None:
    from station.ui.order_panel import OrderPanel

    panel = OrderPanel()
    qtbot.addWidget(panel)
    bench.scan(WORD)
    session = bench.session
    assert session is not None
    street = "某某部队营区3号楼"
    panel.show_order(session.order, session.progress, confirming=True)
    assert street in panel.recipient.text()
    assert session.order.recipient.name not in panel.recipient.text()
    panel.show_order(session.order, session.progress)
    assert street not in panel.recipient.text()

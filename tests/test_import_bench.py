"""Imported flags, alerts, routing and the pool warning as the packer meets them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.bench import Bench
from station.core.messages import Tone
from station.core.model import Contact, OrderLine, OrderStatus
from station.core.reading import Reading, ScaleLink
from station.core.session import PackingSession, Phase
from station.core.weighing import WeightRule
from station.importers.commit import apply_plan, plan_orders
from station.importers.mapping import wechat_shop_mapping
from station.importers.orders import parse_orders
from station.importers.table import table_from_bytes
from station.settings import Settings
from station.store import flags, orders, pool
from station.store.db import transaction

HEADER = (
    "订单号,商品编码,商品名称,商品数量,收货人,收货人手机号,省,市,区,详细地址,"
    "订单状态,售后状态,下单时间\n"
)
T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def import_csv(db: sqlite_utils.Database, body: str) -> None:
    table = table_from_bytes((HEADER + body).encode())
    preview = parse_orders(table, wechat_shop_mapping(table.headers))
    assert not preview.problems
    apply_plan(db, plan_orders(db, preview, "test"))


def row(order_no: str, sku: str = "CUP-350", detail: str = "科技园1栋101", refund: str = "") -> str:
    return (
        f"{order_no},{sku},保温杯,1,张三,13812345678,广东省,深圳市,南山区,{detail},"
        f"待发货,{refund},2026-11-21 10:00:00\n"
    )


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def bench(demo_db: sqlite_utils.Database, settings: Settings, tmp_path: Path) -> Bench:
    bench = Bench(demo_db, settings, open_printer(f"pdf:{tmp_path / 'labels'}"), clock=Clock())
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def put(bench: Bench, grams: int) -> None:
    bench.reading(Reading(Decimal(grams), True, at=bench.clock.now))


def test_a_flagged_order_needs_confirm_before_items(bench: Bench) -> None:
    import_csv(bench.db, row("IMP-1", detail="某大厦"))
    started = bench.scan("IMP-1")
    assert started.tone is Tone.WARN and started.message.key == "order_flagged"
    assert "house number missing" in started.message.params["flags"]
    refused = bench.scan("CUP-350")
    assert refused.message.key == "confirm_needed"
    assert bench.scan("CMD-CONFIRM").message.key == "flags_confirmed"
    assert bench.scan("CUP-350").message.key == "items_complete"
    assert bench.session is not None and bench.session.phase is Phase.WEIGH
    kinds = [e.kind for e in bench.session.events]
    assert kinds == ["order", "item", "confirm", "item"]


def test_an_unflagged_order_starts_normally_and_confirm_is_refused(bench: Bench) -> None:
    import_csv(bench.db, row("IMP-2"))
    assert bench.scan("IMP-2").message.key == "order_started"
    assert bench.scan("CMD-CONFIRM").message.key == "command_not_now"


def test_a_suspected_duplicate_flags_both_orders(bench: Bench) -> None:
    import_csv(bench.db, row("IMP-3") + row("IMP-4"))
    for order_no, twin in (("IMP-3", "IMP-4"), ("IMP-4", "IMP-3")):
        found = orders.find_order(bench.db, order_no)
        assert any("duplicate" in f and twin in f for f in found.flags)


def test_refund_after_shipping_is_an_alert_that_blocks_until_confirmed(bench: Bench) -> None:
    import_csv(bench.db, row("IMP-5"))
    bench.scan("IMP-5")
    bench.scan("CUP-350")
    put(bench, 320 + 60)
    shipped = orders.find_order(bench.db, "IMP-5")
    assert shipped.status is OrderStatus.SHIPPED
    import_csv(bench.db, row("IMP-5", refund="退款成功"))
    assert orders.find_order(bench.db, "IMP-5").status is OrderStatus.SHIPPED
    alert = bench.scan("WX20261121000002")
    assert alert.tone is Tone.ERROR and alert.message.key == "alert_intercept"
    assert alert.message.params["order_no"] == "IMP-5"
    assert shipped.shipped.tracking_no in alert.message.params["detail"]
    assert bench.scan("CMD-CONFIRM").message.key == "alert_acknowledged"
    assert flags.open_alerts(bench.db) == []
    assert bench.scan("WX20261121000002").message.key == "order_started"


def test_refund_before_shipping_blocks_packing(bench: Bench) -> None:
    import_csv(bench.db, row("IMP-6"))
    import_csv(bench.db, row("IMP-6", refund="退款中"))
    result = bench.scan("IMP-6")
    assert result.tone is Tone.ERROR and result.message.key == "order_refunded"
    assert flags.open_alerts(bench.db) == []


def test_an_order_without_carrier_is_routed_and_gets_the_routed_service(
    bench: Bench, data_dir: Path
) -> None:
    (data_dir / "routing.toml").write_text(
        '[[rule]]\nname = "all SF express"\ncarrier = "SF"\nservice = "express"\n',
        encoding="utf-8",
    )
    import_csv(bench.db, row("IMP-7"))
    bench.scan("IMP-7")
    bench.scan("CUP-350")
    put(bench, 380)
    shipment = next(bench.db.query("SELECT carrier, service FROM shipments"))
    assert shipment == {"carrier": "SF", "service": "express"}


def test_an_explicit_order_carrier_wins_over_routing(bench: Bench, data_dir: Path) -> None:
    (data_dir / "routing.toml").write_text(
        '[[rule]]\nname = "all SF"\ncarrier = "SF"\n', encoding="utf-8"
    )
    order_no = "WX20261121000002"
    assert orders.find_order(bench.db, order_no).carrier == "ZTO"
    bench.scan(order_no)
    for line in orders.find_order(bench.db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    put(bench, bench.session.expected_grams)
    assert next(bench.db.query("SELECT carrier FROM shipments"))["carrier"] == "ZTO"


class Told:
    def __init__(self) -> None:
        self.outcomes: list = []

    def bench_changed(self) -> None:
        pass

    def bench_feedback(self, result) -> None:  # type: ignore[no-untyped-def]
        self.outcomes.append(result)

    def bench_override_requested(self, kind: str) -> None:
        pass

    def bench_label_printed(self, shipment_id, waybill, result) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.mark.parametrize(("numbers_left", "key"), [(10, "recorded_pool_low"), (30, "recorded")])
def test_a_low_pool_warns_when_recording(bench: Bench, numbers_left: int, key: str) -> None:
    told = Told()
    bench.listener = told
    with transaction(bench.db):
        bench.db.execute(
            "DELETE FROM tracking_pool WHERE carrier = 'ZTO' AND tracking_no NOT IN "
            "(SELECT tracking_no FROM tracking_pool WHERE carrier = 'ZTO' "
            "ORDER BY tracking_no LIMIT ?)",
            [numbers_left],
        )
    order_no = "WX20261121000002"
    bench.scan(order_no)
    for line in orders.find_order(bench.db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    put(bench, bench.session.expected_grams)
    result = next(o for o in told.outcomes if o.message.key.startswith("recorded"))
    assert result.message.key == key
    if key == "recorded_pool_low":
        assert result.tone is Tone.WARN and result.message.params["left"] == numbers_left - 1
    assert pool.free_count(bench.db, "ZTO") == numbers_left - 1


def test_session_confirm_phase_without_lines_goes_to_weigh() -> None:
    from station.core.model import Order

    order = Order("WX9", OrderStatus.OPEN, Contact("张三", "1", "x"), (), flags=("address: x",))
    rule = WeightRule(min_grams=20, tolerance_grams=50, tolerance_percent=5, packaging_grams=60)
    session = PackingSession(order, rule, started_at=T0)
    assert session.phase is Phase.CONFIRM
    assert session.confirm_flags(T0) is True
    assert session.phase is Phase.WEIGH
    assert session.confirm_flags(T0) is False


def test_session_refuses_items_while_confirming() -> None:
    from station.core.model import Order

    line = OrderLine(1, "CUP-350", "保温杯", 1)
    order = Order("WX9", OrderStatus.OPEN, Contact("张三", "1", "x"), (line,), flags=("dup",))
    rule = WeightRule(min_grams=20, tolerance_grams=50, tolerance_percent=5, packaging_grams=60)
    session = PackingSession(order, rule, started_at=T0)
    assert session.scan_item("CUP-350", T0, True).message.key == "confirm_needed"
    assert session.progress[0].scanned == 0

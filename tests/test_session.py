"""The packing session state machine on its own: no database, no Qt, no devices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station.core.carriers import carrier
from station.core.messages import Tone, outcome
from station.core.model import Contact, Order, OrderLine, OrderStatus
from station.core.session import PackingSession, Phase, ScanKind, ScanResult, TrackingSource
from station.core.weighing import WeightRule

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
RULE = WeightRule(min_grams=20, tolerance_grams=50, tolerance_percent=5, packaging_grams=60)


def order(*lines: OrderLine) -> Order:
    return Order("WX1", OrderStatus.OPEN, Contact("张三", "13812345678", "杭州市"), lines)


CUP = OrderLine(
    1, "CUP-350", "保温杯", 2, barcodes=("6900000000014", "4006381333931"), unit_weight_g=320
)
TEA = OrderLine(2, "TEA-LJ250", "龙井茶", 1, barcodes=("6900000000045",), unit_weight_g=290)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_lines_tick_up_by_any_barcode_and_sku_then_weigh() -> None:
    session = PackingSession(order(CUP, TEA), RULE, T0)
    assert session.scan_item("6900000000014", at(1), True).message.key == "item_ok"
    assert session.scan_item("4006381333931", at(2), True).message.params["scanned"] == 2
    assert session.phase is Phase.VERIFY
    done = session.scan_item("tea-lj250", at(3), True)
    assert done.message.key == "items_complete"
    assert session.phase is Phase.WEIGH
    assert session.verified_at == at(3)
    assert [p.scanned for p in session.progress] == [2, 1]


def test_item_not_in_order_and_unknown_code_are_refused_and_recorded() -> None:
    session = PackingSession(order(TEA), RULE, T0)
    assert session.scan_item("6900000000014", at(1), True).message.key == "item_not_in_order"
    unknown = session.scan_item("XYZ", at(2), False)
    assert unknown.tone is Tone.ERROR and unknown.message.key == "item_unknown"
    assert [e.result for e in session.events] == ["ok", "refused", "refused"]
    assert session.phase is Phase.VERIFY


def test_one_too_many_is_refused_without_counting() -> None:
    session = PackingSession(order(CUP, TEA), RULE, T0)
    session.scan_item("CUP-350", at(1), True)
    session.scan_item("CUP-350", at(2), True)
    too_many = session.scan_item("CUP-350", at(3), True)
    assert too_many.message.key == "item_too_many"
    assert too_many.message.params["quantity"] == 2
    assert session.progress[0].scanned == 2


def test_expected_weight_is_items_plus_packaging_and_tolerance_is_the_larger_slack() -> None:
    session = PackingSession(order(CUP, TEA), RULE, T0)
    assert session.expected_grams == 320 * 2 + 290 + 60
    low, high = RULE.bounds(1010)
    assert (low, high) == (1010 - 51, 1010 + 51)
    assert RULE.bounds(200) == (150, 250)


def _verified(*lines: OrderLine) -> PackingSession:
    session = PackingSession(order(*lines), RULE, T0)
    for line in lines:
        for _ in range(line.quantity):
            session.scan_item(line.sku, at(1), True)
    return session


def test_weight_in_tolerance_moves_to_tracking_and_records_the_check() -> None:
    session = _verified(TEA)
    result = session.weigh(350, at(5))
    assert result.message.key == "weight_ok"
    assert session.phase is Phase.TRACKING
    assert session.weight is not None and session.weight.expected == 350
    assert session.weighed_at == at(5)


@pytest.mark.parametrize("grams", [240, 460])
def test_weight_out_of_tolerance_blocks_with_both_numbers(grams: int) -> None:
    session = _verified(TEA)
    result = session.weigh(grams, at(5))
    assert result.tone is Tone.ERROR
    assert result.message.params["grams"] == grams
    assert result.message.params["expected"] == 350
    assert session.phase is Phase.WEIGHT_MISMATCH
    assert session.reweigh(at(6)) and session.phase is Phase.WEIGH


def test_supervisor_weight_override_is_recorded_with_who_and_why() -> None:
    session = _verified(TEA)
    session.weigh(900, at(5))
    result = session.override_weight(at(6), "王主管", "extra gift card box")
    assert result.message.key == "override_weight"
    assert session.phase is Phase.TRACKING
    assert session.overrides[0].supervisor == "王主管"
    assert session.overrides[0].reason == "extra gift card box"
    assert session.overrides[0].kind == "weight"


def test_line_override_completes_the_line_and_then_the_order() -> None:
    session = PackingSession(order(CUP), RULE, T0)
    session.scan_item("CUP-350", at(1), True)
    session.override_line(at(2), "王主管", "label torn")
    assert session.phase is Phase.WEIGH
    assert session.progress[0].overridden
    assert session.overrides[0].subject == "CUP-350"
    assert session.override_line(at(3), "王主管", "again").message.key == "override_nothing"


def test_unknown_item_weight_skips_the_tolerance_check() -> None:
    session = _verified(OrderLine(1, "NEW", "新品", 1))
    result = session.weigh(777, at(5))
    assert result.message.key == "weight_unchecked"
    assert session.phase is Phase.TRACKING


def test_scanned_waybill_is_validated_against_the_carrier_pattern() -> None:
    session = _verified(TEA)
    session.weigh(350, at(5))
    session.assign_carrier(carrier("SF"))
    refused = session.scan_tracking("YT7512345678901", at(6))
    assert refused is not None and refused.message.key == "tracking_invalid"
    assert session.phase is Phase.TRACKING
    assert session.scan_tracking("sf1023574470215", at(7)) is None
    assert session.tracking_no == "SF1023574470215"
    assert session.tracking_source == "scanned"
    assert session.phase is Phase.READY


def test_a_waybill_refused_by_the_bench_is_forgotten_and_another_is_awaited() -> None:
    session = _verified(TEA)
    session.weigh(350, at(5))
    session.assign_carrier(carrier("SF"))
    assert session.scan_tracking("SF1023574470215", at(6)) is None
    used = outcome(Tone.ERROR, "tracking_used", code="SF1023574470215", order_no="WX0")
    assert session.refuse_tracking(at(7), "SF1023574470215", used) is used
    assert (session.phase, session.tracking_no, session.tracking_source) == (
        Phase.TRACKING,
        "",
        TrackingSource.NONE,
    )
    last = session.events[-1]
    assert (last.kind, last.result, last.detail) == (
        ScanKind.TRACKING,
        ScanResult.REFUSED,
        "tracking_used",
    )
    assert not session.record_again()


def test_a_failed_recording_keeps_a_scanned_waybill_for_the_next_try() -> None:
    session = _verified(TEA)
    session.weigh(350, at(5))
    session.assign_carrier(carrier("SF"))
    assert session.scan_tracking("SF1023574470215", at(6)) is None
    session.record_failed(at(7), outcome(Tone.ERROR, "record_disk_full", order_no="WX1"))
    assert (session.phase, session.tracking_no) == (Phase.TRACKING, "SF1023574470215")
    assert session.record_again()
    assert session.phase is Phase.READY


def test_callers_cannot_change_the_sessions_state_from_outside() -> None:
    session = _verified(TEA)
    with pytest.raises(AttributeError):
        session.phase = Phase.READY  # type: ignore[misc]
    with pytest.raises(AttributeError):
        session.events.append(session.events[0])  # type: ignore[attr-defined]
    assert not hasattr(session, "use_tracking")


def test_items_are_not_accepted_after_verification() -> None:
    session = _verified(TEA)
    assert session.scan_item("TEA-LJ250", at(3), True).message.key == "item_not_expected"


def test_packing_guide_follows_the_order_categories() -> None:
    from station.core.packing_guide import packing_guide

    guides = packing_guide(("clothing", "fragile", "unknown-category"))
    assert [g.key for g in guides] == ["guide_clothing", "guide_fragile"]
    assert "bubble" in guides[1].english()


def test_packing_guides_match_chinese_categories_and_cold_product_names() -> None:
    from station.core.packing_guide import packing_guide

    assert [g.key for g in packing_guide(("易碎品",))] == ["guide_fragile"]
    assert [g.key for g in packing_guide(("服装",))] == ["guide_clothing"]
    assert [g.key for g in packing_guide((), ("冷冻和牛牛排",))] == ["guide_frozen"]
    assert [g.key for g in packing_guide(("海鲜",))] == ["guide_fresh"]
    frozen_food = packing_guide(("food", "frozen"))
    assert [g.key for g in frozen_food] == ["guide_food", "guide_frozen"]
    assert all("ice packs" in g.english() for g in frozen_food)
    # a name says nothing of fragility: only the category does
    assert packing_guide((), ("玻璃杯",)) == []

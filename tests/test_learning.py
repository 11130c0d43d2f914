"""Learned item weights: single-SKU parcels tighten the gate, outliers do not move it."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from shipments_factory import pack_and_record

from station.core.learning import MIN_SAMPLES, learned_weight, sample_from_parcel
from station.core.model import Contact, Product
from station.core.weighing import WeightRule
from station.store import orders

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_only_single_sku_parcels_give_a_sample() -> None:
    assert sample_from_parcel([("A", 2)], 760, 60).grams_per_unit == 350
    assert sample_from_parcel([("A", 1), ("B", 1)], 760, 60) is None
    assert sample_from_parcel([("A", 1)], 50, 60) is None


def test_median_ignores_a_single_outlier_and_needs_a_few_samples() -> None:
    assert learned_weight([300, 310]) is None
    assert learned_weight([300, 310, 2000]) == 310
    assert learned_weight([300, 305, 298, 5000, 302]) == 302


@given(st.lists(st.integers(1, 100_000), min_size=MIN_SAMPLES, max_size=40))
def test_learned_weight_stays_within_the_recent_samples(samples: list[int]) -> None:
    value = learned_weight(samples)
    recent = samples[-15:]
    assert min(recent) <= value <= max(recent)


def test_recorded_single_sku_parcels_teach_the_product_and_orders_use_it(db) -> None:
    rule = WeightRule(packaging_grams=60)
    orders.save_products(db, [Product("CUP", "保温杯", ("690001",), weight_g=300)])
    for n in range(5):
        orders.save_order(db, f"O{n}", Contact("张三", "1", "x"), [orders.NewLine("CUP", "杯", 2)])
    for n, grams in enumerate([760, 764, 770]):
        pack_and_record(db, f"O{n}", grams, rule)
    product = orders.find_product(db, "CUP")
    assert product.weight_g == 300 and product.learned_weight_g == 352
    assert orders.find_order(db, "O3").lines[0].unit_weight_g == 352
    pack_and_record(db, "O3", 5000, rule)
    assert 350 <= orders.find_product(db, "CUP").learned_weight_g <= 355

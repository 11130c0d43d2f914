"""The product weights use case: the listing from a real SQLite file, and a learned
weight called suspicious exactly outside the bench's tolerance."""

from __future__ import annotations

from station.app.products import ProductWeight, ProductWeights
from station.core.model import Product
from station.core.weighing import WeightRule
from station.store import orders

RULE = WeightRule(tolerance_grams=20, tolerance_percent=5)


def weighed(catalogue: int | None, learned: int | None) -> ProductWeight:
    return ProductWeight("SKU", "name", "", (), catalogue, learned, 3)


def test_a_learned_weight_is_suspicious_only_outside_the_tolerance(db) -> None:
    weights = ProductWeights(db, RULE)
    low, high = RULE.bounds(1000)
    assert (low, high) == (950, 1050)
    assert not weights.suspicious(weighed(1000, low))
    assert not weights.suspicious(weighed(1000, high))
    assert weights.suspicious(weighed(1000, low - 1))
    assert weights.suspicious(weighed(1000, high + 1))
    assert not weights.suspicious(weighed(None, 5000))
    assert not weights.suspicious(weighed(1000, None))


def test_the_rows_list_every_product_by_sku(db) -> None:
    orders.save_products(
        db,
        [
            Product("TEA", "茶", ("6900000000045",), weight_g=290),
            Product("BAG", "帆布袋", (), weight_g=None),
        ],
    )
    rows = ProductWeights(db, RULE).rows()
    assert [(r.sku, r.weight_g, r.learned_weight_g) for r in rows] == [
        ("BAG", None, None),
        ("TEA", 290, None),
    ]

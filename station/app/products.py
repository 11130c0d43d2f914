"""The products and their weights for the products window: the catalogue's weight
beside the weight learned from single-item parcels, and which learned weights are
suspicious (outside the bench's weight tolerance around the catalogue's)."""

from __future__ import annotations

import sqlite_utils

from station.core.weighing import WeightRule
from station.store.products import ProductWeight, product_weights

__all__ = ["ProductWeight", "ProductWeights"]


class ProductWeights:
    def __init__(self, db: sqlite_utils.Database, rule: WeightRule):
        self.db = db
        self.rule = rule
        """The bench's weight rule: its tolerance decides what is suspicious."""

    def rows(self) -> list[ProductWeight]:
        """Every product with its weights and how many parcels it learned from, by SKU."""
        return product_weights(self.db)

    def suspicious(self, row: ProductWeight) -> bool:
        """The learned weight is outside the tolerance around the catalogue weight."""
        if row.weight_g is None or row.learned_weight_g is None:
            return False
        low, high = self.rule.bounds(row.weight_g)
        return not low <= row.learned_weight_g <= high

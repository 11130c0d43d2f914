"""Products as the product view lists them: catalogue and learned weights side by side."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from station.core.model import Product

_WEIGHTS = """
SELECT p.sku, p.name, p.category, p.weight_g, p.learned_weight_g,
       (SELECT group_concat(b.barcode, char(31)) FROM product_barcodes b
         WHERE b.sku = p.sku) AS barcodes,
       (SELECT count(*) FROM weight_samples s WHERE s.sku = p.sku) AS samples
FROM products p ORDER BY p.sku
"""


@dataclass(frozen=True, slots=True)
class ProductWeight:
    sku: str
    name: str
    category: str
    barcodes: tuple[str, ...]
    weight_g: int | None
    learned_weight_g: int | None
    samples: int

    @property
    def difference_g(self) -> int | None:
        """Learned minus catalogue weight, when there are both."""
        if self.weight_g is None or self.learned_weight_g is None:
            return None
        return self.learned_weight_g - self.weight_g


def product_weights(db: sqlite_utils.Database) -> list[ProductWeight]:
    """Every product with its weights and how many parcels it has learned from, by SKU."""
    return [
        ProductWeight(
            sku,
            name,
            category,
            tuple(barcodes.split("\x1f")) if barcodes else (),
            weight,
            learned,
            samples,
        )
        for sku, name, category, weight, learned, barcodes, samples in db.execute(_WEIGHTS)
    ]


def all_products(db: sqlite_utils.Database) -> list[Product]:
    """Every product as the catalogue holds it, with its barcodes, by SKU."""
    return [
        Product(
            sku,
            name,
            tuple(barcodes.split("\x1f")) if barcodes else (),
            weight,
            learned,
            category,
            value,
            image,
        )
        for sku, name, barcodes, weight, learned, category, value, image in db.execute(
            """SELECT p.sku, p.name,
                      (SELECT group_concat(b.barcode, char(31)) FROM
                         (SELECT barcode FROM product_barcodes WHERE sku = p.sku
                          ORDER BY barcode) b) AS barcodes,
                      p.weight_g, p.learned_weight_g, p.category, p.declared_value_fen, p.image
               FROM products p ORDER BY p.sku"""
        )
    ]

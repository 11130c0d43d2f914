"""Keeping weight samples and each product's learned weight up to date."""

from __future__ import annotations

import sqlite_utils

from station.core.learning import WINDOW, Sample, learned_weight
from station.store.db import now_utc


def add_sample(db: sqlite_utils.Database, sample: Sample, shipment_id: int) -> int | None:
    """Store a sample and refresh the product's learned weight (inside the caller's
    transaction). Returns the new learned weight, if there is one yet."""
    db.execute(
        "INSERT INTO weight_samples (sku, grams_per_unit, shipment_id, at) VALUES (?, ?, ?, ?)",
        (sample.sku, sample.grams_per_unit, shipment_id, now_utc()),
    )
    recent = [
        grams
        for (grams,) in db.execute(
            "SELECT grams_per_unit FROM weight_samples WHERE sku = ? ORDER BY id DESC LIMIT ?",
            (sample.sku, WINDOW),
        ).fetchall()
    ]
    learned = learned_weight(list(reversed(recent)))
    if learned is not None:
        db.execute("UPDATE products SET learned_weight_g = ? WHERE sku = ?", (learned, sample.sku))
    return learned

"""Learned item weights: single-SKU parcels refine the SKU's expected weight.

The estimate is the median of the most recent samples: one parcel with a
forgotten item or an extra gift box cannot move it, and a catalogue weight that
was simply wrong is corrected after a few parcels.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

WINDOW = 15
MIN_SAMPLES = 3


@dataclass(frozen=True, slots=True)
class Sample:
    sku: str
    grams_per_unit: int


def sample_from_parcel(
    lines: list[tuple[str, int]], parcel_grams: int, packaging_grams: int
) -> Sample | None:
    """A per-unit sample from a parcel holding a single SKU, else None.

    `lines` are (sku, quantity) pairs. Mixed parcels teach nothing: their
    weight cannot be split between the SKUs.
    """
    skus = {sku.casefold() for sku, _ in lines}
    if len(skus) != 1:
        return None
    quantity = sum(q for _, q in lines)
    net = parcel_grams - packaging_grams
    if quantity <= 0 or net <= 0:
        return None
    return Sample(lines[0][0], round(net / quantity))


def learned_weight(samples: list[int]) -> int | None:
    """The robust estimate from the newest-last list of per-unit samples."""
    recent = samples[-WINDOW:]
    if len(recent) < MIN_SAMPLES:
        return None
    return round(statistics.median(recent))

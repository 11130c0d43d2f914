"""The weight gate: never 0 g, never a stale or previous parcel's weight."""

from __future__ import annotations

from decimal import Decimal

from station.core.reading import Reading, ScaleLink, WeightState
from station.core.weighing import WeightGate


def r(grams: str, stable: bool = True, at: float = 0.0) -> Reading:
    return Reading(Decimal(grams), stable, at=at)


def test_stable_reading_above_threshold_is_taken() -> None:
    gate = WeightGate(min_grams=20)
    gate.observe(r("412.6", at=1.0))
    assert gate.take(now=1.5) == 413


def test_unstable_tiny_stale_and_disconnected_readings_are_not_taken() -> None:
    gate = WeightGate(min_grams=20, max_age_s=3.0)
    gate.observe(r("400", stable=False, at=1.0))
    assert gate.take(1.0) is None
    gate.observe(r("15", at=2.0))
    assert gate.take(2.0) is None
    gate.observe(r("400", at=3.0))
    assert gate.take(6.5) is None
    assert gate.take(5.0) == 400
    gate.link_changed(ScaleLink.DISCONNECTED)
    assert gate.take(5.0) is None


def test_overload_frame_is_not_a_weight() -> None:
    gate = WeightGate()
    gate.observe(Reading(None, True, state=WeightState.OVERLOAD, at=1.0))
    assert gate.take(1.0) is None


def test_previous_parcels_weight_is_not_reused() -> None:
    gate = WeightGate(min_grams=20, fresh_delta_grams=10)
    gate.observe(r("500", at=1.0))
    assert gate.take(1.0) == 500
    gate.recorded(500)
    gate.observe(r("500", at=2.0))
    assert gate.take(2.0) is None
    gate.observe(r("505", at=3.0))
    assert gate.take(3.0) is None


def test_a_new_parcel_counts_after_near_zero_even_at_the_same_weight() -> None:
    gate = WeightGate(min_grams=20)
    gate.recorded(500)
    gate.observe(r("0", at=1.0))
    gate.observe(r("500", at=2.0))
    assert gate.take(2.0) == 500


def test_a_changed_weight_counts_without_passing_zero() -> None:
    gate = WeightGate(min_grams=20, fresh_delta_grams=10)
    gate.recorded(500)
    gate.observe(r("730", at=2.0))
    assert gate.take(2.0) == 730


def test_reweigh_requires_a_fresh_reading() -> None:
    gate = WeightGate(min_grams=20)
    gate.observe(r("900", at=1.0))
    gate.require_fresh()
    assert gate.take(1.0) is None
    gate.observe(r("3", at=2.0))
    gate.observe(r("880", at=3.0))
    assert gate.take(3.0) == 880

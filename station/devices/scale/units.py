"""Weight units as scales send them, and their exact size in grams."""

from __future__ import annotations

from decimal import Decimal

# Exact definitions: the international pound (1959) and its ounce, the metric
# carat, the troy ounce and pennyweight, the long ton.
GRAMS_PER_UNIT: dict[str, Decimal] = {
    "mg": Decimal("0.001"),
    "g": Decimal(1),
    "kg": Decimal(1000),
    "t": Decimal(1000000),
    "ct": Decimal("0.2"),
    "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
    "ozt": Decimal("31.1034768"),
    "dwt": Decimal("1.55517384"),
    "ton": Decimal("1016046.9088"),
}


def to_grams(value: Decimal, unit: str) -> Decimal | None:
    """`value` in `unit` as exact grams, or None for a unit that is not a weight."""
    factor = GRAMS_PER_UNIT.get(unit.strip().lower())
    return None if factor is None else value * factor


def from_grams(grams: Decimal, unit: str) -> Decimal:
    """Grams expressed in `unit` (the simulator's side of `to_grams`)."""
    return grams / GRAMS_PER_UNIT[unit.strip().lower()]

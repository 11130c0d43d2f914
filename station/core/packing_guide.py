"""Packing instructions for the goods' categories, shown when an order is scanned."""

from __future__ import annotations

from station.core.messages import Message

GUIDE_KEYS: dict[str, str] = {
    "fragile": "guide_fragile",
    "food": "guide_food",
    "fresh": "guide_fresh",
    "clothing": "guide_clothing",
    "electronics": "guide_electronics",
    "cosmetics": "guide_cosmetics",
}


def packing_guide(categories: tuple[str, ...]) -> list[Message]:
    """One instruction per category that has one, in the order given."""
    return [Message(GUIDE_KEYS[c]) for c in categories if c in GUIDE_KEYS]

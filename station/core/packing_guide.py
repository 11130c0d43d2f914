"""Packing instructions for the goods, shown when an order is scanned.

A guide is chosen by words found in the goods' categories (English keys of the
catalogue such as `fragile`, or Chinese ones such as `易碎品`) and, for goods that
must stay cold, in the products' names too (`冷冻和牛牛排` missing from the
catalogue still needs ice packs).
"""

from __future__ import annotations

from collections.abc import Iterable

from station.core.messages import Message

# Guide key -> the words that call for it.
GUIDE_WORDS: dict[str, tuple[str, ...]] = {
    "guide_frozen": ("frozen", "冷冻", "冻品", "速冻"),
    "guide_fresh": ("fresh", "chilled", "生鲜", "冷藏", "海鲜", "水果", "鲜花", "鲜果"),
    "guide_fragile": ("fragile", "易碎", "玻璃", "陶瓷", "瓷器"),
    "guide_food": ("food", "食品", "零食", "食物"),
    "guide_clothing": ("clothing", "服装", "服饰", "衣服", "鞋"),
    "guide_electronics": ("electronics", "电子", "数码", "电器"),
    "guide_cosmetics": ("cosmetics", "化妆品", "美妆", "护肤"),
}
# Guides that product names call for too (cold goods); the others go by category.
_BY_NAME = frozenset({"guide_frozen", "guide_fresh"})


def packing_guide(categories: Iterable[str], names: Iterable[str] = ()) -> list[Message]:
    """One instruction per kind of goods the order holds, each once, in the order of
    the categories (then the names) that call for them."""
    found: dict[str, None] = {}
    texts = [(c.casefold(), False) for c in categories] + [(n.casefold(), True) for n in names]
    for text, is_name in texts:
        for key, words in GUIDE_WORDS.items():
            if (not is_name or key in _BY_NAME) and any(word in text for word in words):
                found.setdefault(key)
    return [Message(key) for key in found]

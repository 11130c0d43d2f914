"""Product categories and import formats in the interface language.

Catalogues name categories with English keys (fragile, food ...) or in Chinese;
the keys the station knows read in the interface language, anything else as it
was written.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from station.importers.mapping import GENERIC, WECHAT_SHOP

CONTEXT = "Categories"

CATEGORY_NAMES: dict[str, object] = {
    "fragile": QT_TRANSLATE_NOOP("Categories", "fragile"),
    "food": QT_TRANSLATE_NOOP("Categories", "food"),
    "fresh": QT_TRANSLATE_NOOP("Categories", "fresh"),
    "frozen": QT_TRANSLATE_NOOP("Categories", "frozen"),
    "clothing": QT_TRANSLATE_NOOP("Categories", "clothing"),
    "electronics": QT_TRANSLATE_NOOP("Categories", "electronics"),
    "cosmetics": QT_TRANSLATE_NOOP("Categories", "cosmetics"),
    "stationery": QT_TRANSLATE_NOOP("Categories", "stationery"),
    "toys": QT_TRANSLATE_NOOP("Categories", "toys"),
}

FORMAT_NAMES: dict[str, object] = {
    "auto": QT_TRANSLATE_NOOP("Categories", "automatic (recognised from the columns)"),
    WECHAT_SHOP: QT_TRANSLATE_NOOP("Categories", "WeChat Shop export"),
    GENERIC: QT_TRANSLATE_NOOP("Categories", "other CSV or Excel file"),
}


def category_text(category: str) -> str:
    """A category as the interface shows it: a known key translated, else as written."""
    source = CATEGORY_NAMES.get(category.strip().lower())
    return category if source is None else QCoreApplication.translate(CONTEXT, str(source))


def format_text(name: str) -> str:
    """An import format's name in the interface language."""
    source = FORMAT_NAMES.get(name)
    return name if source is None else QCoreApplication.translate(CONTEXT, str(source))

"""Cells a spreadsheet must not take for a formula (CSV or formula injection).

Excel, LibreOffice and WPS read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and one that starts with a tab or carriage return may become one once
trimmed. The station's CSV files carry text it did not choose (order numbers,
packer and carrier names from imports, patterns, zones) and are UTF-8 with a BOM,
so Excel opens them straight away: a cell `=HYPERLINK("http://…"&A2)` would run.

OWASP's CSV Injection page (https://owasp.org/www-community/attacks/CSV_Injection)
says to start such a cell with a single quote, which spreadsheets show as text;
OWASP ASVS 5.0 requirement 1.2.10 names the same characters and adds NUL.
`neutralised` does that to every text cell the station writes
(`neutralised_row`); numbers are written as numbers and left alone, so a
negative amount stays a number. A cell that already starts with a quote gets a
second one, so `restored` (used by the importers that read the station's own
exports back) gives the exact text written, whatever it was.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = frozenset("=+-@\t\r\0")
"""First characters that make a spreadsheet cell a formula (OWASP, ASVS)."""
QUOTE = "'"


def neutralised(value: object) -> object:
    """A text cell that cannot start a formula; any other value as it is."""
    if isinstance(value, str) and value and (value[0] in FORMULA_STARTS or value[0] == QUOTE):
        return QUOTE + value
    return value


def neutralised_row(values: Iterable[object]) -> list[object]:
    """One row of cells, each `neutralised`: what every CSV writer of the station writes."""
    return [neutralised(v) for v in values]


def restored(text: str) -> str:
    """The text `neutralised` was given: one leading quote taken off."""
    return text[1:] if text.startswith(QUOTE) else text

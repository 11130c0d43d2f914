"""Fitting text into a box: wrap, then shrink, never cut.

A text either fits its box at a size between the layout's maximum and the
smallest legible size, or `fit_text` refuses with a PrinterError('no_fit') that
names the field. Widths come from real font metrics (the TrueType advance
widths, or a label printer's fixed character cells), so what is measured here
is what gets drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from printers.errors import PrinterError
from printers.fonts import PT_MM, advance_widths

LEADING = 1.2
"""Line pitch as a multiple of the font size."""

_NO_LINE_START = set("，。、；：？！）」』】》〉”’,.;:?!)]}%·…—～")
_NO_LINE_END = set("（「『【《〈“‘([{")
_WORD = re.compile(r"[A-Za-z0-9#@&+\-_./]+ *| +|.", re.S)


class TextMetrics(Protocol):
    """How wide text is in one kind of font, and which sizes that font comes in."""

    def sizes(self, max_pt: float, min_pt: float) -> Sequence[float]:
        """Candidate sizes in points, largest first."""
        ...

    def width_mm(self, text: str, size_pt: float) -> float: ...

    def supports(self, char: str) -> bool: ...


class TrueTypeMetrics:
    """The label's TrueType font: any size in half-point steps."""

    step_pt = 0.5

    def __init__(self, widths: dict[int, float] | None = None) -> None:
        self._widths = widths if widths is not None else advance_widths()

    def sizes(self, max_pt: float, min_pt: float) -> list[float]:
        count = round((max_pt - min_pt) / self.step_pt)
        return [max_pt - i * self.step_pt for i in range(count + 1)]

    def width_mm(self, text: str, size_pt: float) -> float:
        w = self._widths
        return sum(w.get(ord(c), 1000.0) for c in text) / 1000 * size_pt * PT_MM

    def supports(self, char: str) -> bool:
        return ord(char) in self._widths


class CellMetrics:
    """A printer's bitmap font: full-width characters fill a square cell, others half.

    `cell_mm` lists the character heights the printer offers (font x magnification).
    A bitmap font is drawn for its pixel size, so its smallest cell counts as
    legible whatever minimum the layout asks of a TrueType font.
    """

    def __init__(self, cell_mm: Sequence[float], encoding: str = "gbk") -> None:
        self._cells_pt = sorted((c / PT_MM for c in cell_mm), reverse=True)
        self._encoding = encoding

    def sizes(self, max_pt: float, min_pt: float) -> list[float]:
        smallest = self._cells_pt[-1]
        floor = min(min_pt, smallest)
        fitting = [s for s in self._cells_pt if floor - 1e-6 <= s <= max_pt + 1e-6]
        return fitting or [smallest]

    def width_mm(self, text: str, size_pt: float) -> float:
        cells = sum(1.0 if _is_wide(c) else 0.5 for c in text)
        return cells * size_pt * PT_MM

    def supports(self, char: str) -> bool:
        try:
            char.encode(self._encoding)
        except UnicodeEncodeError:
            return False
        return True


def _is_wide(char: str) -> bool:
    return ord(char) > 0x7F


@dataclass(frozen=True)
class FittedText:
    """Text wrapped into lines at one size; `line_mm` is the line pitch."""

    lines: tuple[str, ...]
    size_pt: float
    line_mm: float

    @property
    def height_mm(self) -> float:
        return len(self.lines) * self.line_mm


def printable(text: str, supports: Callable[[str], bool]) -> str:
    """Collapse whitespace and deal with characters the font lacks.

    Symbols and marks (emoji in WeChat nicknames, variation selectors) are
    dropped; any other missing character becomes '?', so the reader sees that
    something was there.
    """
    out = []
    for c in " ".join(text.split()):
        if c == " " or supports(c):
            out.append(c)
        elif unicodedata.category(c) not in {"So", "Sk", "Cf", "Mn", "Me", "Cs", "Co", "Cn"}:
            out.append("?")
    return "".join(out)


def fit_text(
    text: str,
    width_mm: float,
    height_mm: float,
    metrics: TextMetrics,
    max_pt: float,
    min_pt: float,
    what: str,
    max_lines: int | None = None,
) -> FittedText:
    """The largest size at which `text` wraps into the box, or PrinterError('no_fit')."""
    text = printable(text, metrics.supports)
    tokens = _tokens(text)
    for size in metrics.sizes(max_pt, min_pt):
        line_mm = size * PT_MM * LEADING
        allowed = int((height_mm + 1e-6) // line_mm)
        if max_lines is not None:
            allowed = min(allowed, max_lines)
        if allowed < 1:
            continue
        lines = _wrap(tokens, width_mm, size, metrics, allowed)
        if lines is not None:
            return FittedText(tuple(lines), size, line_mm)
    raise PrinterError(
        "no_fit",
        f"The {what} is too long to print legibly on this label "
        f"(it would need to be smaller than {min_pt:g} pt). "
        f"Shorten the {what}, or choose a larger label size.",
    )


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: ASCII words, single CJK characters with their punctuation held on."""
    raw = _WORD.findall(text)
    tokens: list[str] = []
    glue_next = False
    for piece in raw:
        if tokens and (glue_next or piece[0] in _NO_LINE_START):
            tokens[-1] += piece
        else:
            tokens.append(piece)
        glue_next = piece[-1] in _NO_LINE_END
    return tokens


def _wrap(
    tokens: list[str], width: float, size: float, metrics: TextMetrics, max_lines: int
) -> list[str] | None:
    """Greedy wrap; None as soon as it needs more than `max_lines` lines."""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + token
        if metrics.width_mm(candidate.rstrip(), size) <= width:
            current = candidate
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        token = token.lstrip()
        for char in token:
            if not current and char == " ":
                continue
            if metrics.width_mm((current + char).rstrip(), size) <= width:
                current += char
            elif not current or metrics.width_mm(char, size) > width:
                return None  # the character alone is wider than the line
            else:
                lines.append(current.rstrip())
                current = char
            if len(lines) > max_lines:
                return None
        if len(lines) > max_lines:
            return None
    if current.strip():
        lines.append(current.rstrip())
    return lines if len(lines) <= max_lines else None

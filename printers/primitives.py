"""Drawing primitives: what a layout produces and every renderer draws.

All positions are in millimetres from the label's top-left corner. Text has
already been wrapped and sized by the layout, so renderers only place it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode

from printers import code128


def dot_mm(dpi: int) -> float:
    """The dot pitch of a print head: 203 dpi heads have 8 dots/mm, 300 dpi heads 12."""
    per_mm = {203: 8, 300: 12, 600: 24}.get(dpi, dpi / 25.4)
    return 1 / per_mm


@dataclass(frozen=True)
class TextLine:
    """One line of text; (x, y) is the top-left of its em box, `size_pt` its font size."""

    x: float
    y: float
    text: str
    size_pt: float
    bold: bool = False
    white: bool = False


@dataclass(frozen=True)
class Badge:
    """White text on a black box, for marks such as 补打 and the 收 / 寄 tags."""

    x: float
    y: float
    w: float
    h: float
    line: TextLine


@dataclass(frozen=True)
class Barcode:
    """A Code 128 symbol; x is its first bar (the quiet zones are left clear around it)."""

    x: float
    y: float
    module_mm: float
    height_mm: float
    data: str

    @property
    def width_mm(self) -> float:
        return code128.module_count(self.data) * self.module_mm


@dataclass(frozen=True)
class QrCode:
    """A QR code (error correction M); x, y is the top-left of its first module."""

    x: float
    y: float
    module_mm: float
    data: str

    @property
    def size_mm(self) -> float:
        return qr_modules(self.data) * self.module_mm


@dataclass(frozen=True)
class Rule:
    """A straight line of the given stroke width."""

    x1: float
    y1: float
    x2: float
    y2: float
    width_mm: float = 0.3
    dashed: bool = False


@dataclass(frozen=True)
class Frame:
    """A rectangle outline."""

    x: float
    y: float
    w: float
    h: float
    width_mm: float = 0.3


Item = TextLine | Badge | Barcode | QrCode | Rule | Frame


@dataclass(frozen=True)
class Page:
    """A whole label: its size and what to draw on it, in drawing order."""

    width_mm: float
    height_mm: float
    items: tuple[Item, ...]


MASK = 2
"""The QR mask pattern used for every label (pattern 2: every third column)."""


def _qr(data: str) -> qrcode.QRCode:
    # A fixed mask skips scoring all eight (two thirds of the time spent on a
    # label's QR); every mask is valid and readers handle any of them.
    code = qrcode.QRCode(
        border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=MASK
    )
    code.add_data(data)
    return code


@lru_cache(maxsize=256)
def qr_modules(data: str) -> int:
    """Modules across the QR code, without building it (TSPL and native QR never need to)."""
    version: int = _qr(data).best_fit()
    return 17 + 4 * version


@lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules (True = dark), without the quiet zone."""
    code = _qr(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())

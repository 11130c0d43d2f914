"""The label font, loaded once per process and shared by every renderer.

The PDF and raster renderers and the text fitter all use the same TrueType
font (WenQuanYi Micro Hei, Apache-2.0, in resources/fonts), so a line the fitter
measured is exactly as wide when drawn.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import ImageFont

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

FONT_PATH = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"
PDF_FONT_NAME = "WenQuanYiMicroHei"
PT_MM = 25.4 / 72
BASELINE_EM = 0.86
"""Baseline below the top of a line's em box, in ems: the font's ideographs reach 0.81 em
above the baseline and its descenders 0.24 em below, so this keeps the ink inside
a line pitch of 1.2 em."""

_register_lock = threading.Lock()


@cache
def _reportlab_font() -> TTFont:
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont(PDF_FONT_NAME, str(FONT_PATH), subfontIndex=0)


def register_pdf_font() -> str:
    """Register the font with reportlab (once; parsing it takes ~0.2 s) and return its name."""
    from reportlab.pdfbase import pdfmetrics

    with _register_lock:
        if PDF_FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_reportlab_font())
    return PDF_FONT_NAME


@cache
def advance_widths() -> dict[int, float]:
    """Advance width of every glyph in the font, by code point, in 1/1000 em."""
    return dict(_reportlab_font().face.charWidths)


@cache
def pillow_font(size_px: int) -> ImageFont.FreeTypeFont:
    """The font at a pixel size for the raster renderer (cached per size)."""
    return ImageFont.truetype(
        str(FONT_PATH), size_px, index=0, layout_engine=ImageFont.Layout.BASIC
    )

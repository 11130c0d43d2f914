"""Reports written to files: the courier manifest and the throughput report (PDF, CSV).

Qt-free; reportlab draws the PDFs with the bundled CJK font.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from station.paths import resource

FONT = "StationCJK"


@cache
def cjk_font() -> str:
    """Register the bundled WenQuanYi Micro Hei once; returns its reportlab name."""
    pdfmetrics.registerFont(
        TTFont(FONT, str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0)
    )
    return FONT

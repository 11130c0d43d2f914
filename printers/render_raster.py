"""Drawing a label as a 1-bit image: for raster printing and the on-screen preview.

The image is drawn with ink as bit value 1 on a 0 background, so its packed
bytes are already in ESC/POS raster order (1 = burn a dot); `to_preview`
turns it into black-on-white for the screen.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from printers import code128
from printers.fonts import BASELINE_EM, PT_MM, pillow_font
from printers.primitives import (
    Badge,
    Barcode,
    Frame,
    Page,
    QrCode,
    Rule,
    TextLine,
    dot_mm,
    qr_matrix,
)

INK = 1
PAPER = 0


def render(page: Page, dpi: int) -> Image.Image:
    """The page as a mode '1' image, ink = 1, at `dpi`."""
    dot = dot_mm(dpi)
    size = (_dots(page.width_mm, dot), _dots(page.height_mm, dot))
    image = Image.new("1", size, PAPER)
    draw = ImageDraw.Draw(image)
    for item in page.items:
        match item:
            case TextLine():
                _text(draw, item, dot)
            case Badge():
                draw.rectangle(_box(item.x, item.y, item.w, item.h, dot), fill=INK)
                _text(draw, item.line, dot)
            case Barcode():
                _barcode(draw, item, dot)
            case QrCode():
                _qr(draw, item, dot)
            case Rule():
                _rule(draw, item, dot)
            case Frame():
                width = max(1, _dots(item.width_mm, dot))
                draw.rectangle(_box(item.x, item.y, item.w, item.h, dot), outline=INK, width=width)
    return image


def to_preview(image: Image.Image) -> Image.Image:
    """Black ink on white paper, for showing on screen."""
    return image.point(lambda v: 0 if v else 255, mode="1")


def _dots(mm: float, dot: float) -> int:
    return round(mm / dot)


def _box(x: float, y: float, w: float, h: float, dot: float) -> tuple[int, int, int, int]:
    left, top = _dots(x, dot), _dots(y, dot)
    return left, top, left + _dots(w, dot) - 1, top + _dots(h, dot) - 1


def _text(draw: ImageDraw.ImageDraw, line: TextLine, dot: float) -> None:
    size_px = max(1, round(line.size_pt * PT_MM / dot))
    font = pillow_font(size_px)
    fill = PAPER if line.white else INK
    baseline = line.y + line.size_pt * PT_MM * BASELINE_EM
    draw.text(
        (_dots(line.x, dot), _dots(baseline, dot)),
        line.text,
        font=font,
        fill=fill,
        anchor="ls",
        stroke_width=1 if line.bold and not line.white and size_px >= 20 else 0,
        stroke_fill=fill,
    )


def _barcode(draw: ImageDraw.ImageDraw, code: Barcode, dot: float) -> None:
    module = _dots(code.module_mm, dot)
    left, top = _dots(code.x, dot), _dots(code.y, dot)
    bottom = top + _dots(code.height_mm, dot) - 1
    for start, width in code128.bar_runs(code.data):
        x = left + start * module
        draw.rectangle((x, top, x + width * module - 1, bottom), fill=INK)


def _qr(draw: ImageDraw.ImageDraw, code: QrCode, dot: float) -> None:
    module = _dots(code.module_mm, dot)
    left, top = _dots(code.x, dot), _dots(code.y, dot)
    for r, row in enumerate(qr_matrix(code.data)):
        for col, dark in enumerate(row):
            if dark:
                x, y = left + col * module, top + r * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=INK)


def _rule(draw: ImageDraw.ImageDraw, rule: Rule, dot: float) -> None:
    width = max(1, _dots(rule.width_mm, dot))
    start = (_dots(rule.x1, dot), _dots(rule.y1, dot))
    end = (_dots(rule.x2, dot), _dots(rule.y2, dot))
    if not rule.dashed:
        draw.line((start, end), fill=INK, width=width)
        return
    dash = _dots(2.0, dot)
    length = max(abs(end[0] - start[0]), abs(end[1] - start[1]))
    horizontal = start[1] == end[1]
    for offset in range(0, length, 2 * dash):
        a = offset
        b = min(offset + dash, length)
        if horizontal:
            draw.line(((start[0] + a, start[1]), (start[0] + b, start[1])), fill=INK, width=width)
        else:
            draw.line(((start[0], start[1] + a), (start[0], start[1] + b)), fill=INK, width=width)

"""TSPL print jobs for Chinese label printers (Gprinter, TSC, HPRT, Deli).

The label is laid out with the printer's own bitmap fonts as metrics (so a
line measured by the fitter is as wide as the printer draws it), then each
primitive becomes one command. Text is GBK in the printer's simplified-Chinese
fonts TSS16.BF2 / TSS24.BF2, magnified for the larger sizes.
"""

from __future__ import annotations

from collections.abc import Callable

from printers import layout
from printers.fit import CellMetrics
from printers.fonts import PT_MM
from printers.primitives import Badge, Barcode, Frame, Page, QrCode, Rule, TextLine, dot_mm
from printers.waybill import Waybill

FONTS = {
    16: ("TSS16.BF2", 1),
    24: ("TSS24.BF2", 1),
    32: ("TSS16.BF2", 2),
    48: ("TSS24.BF2", 2),
    72: ("TSS24.BF2", 3),
}
"""Character height in dots -> (font, magnification)."""
GAP_MM = 2


def metrics(dpi: int) -> CellMetrics:
    """The printer fonts' sizes as text metrics for the layout."""
    return CellMetrics([dots * dot_mm(dpi) for dots in FONTS])


def job(waybill: Waybill, layout_name: str, dpi: int) -> bytes:
    """The TSPL program printing one label."""
    page = layout.build(waybill, layout_name, dpi, metrics(dpi))
    return program(page, dpi).encode("gbk")


def program(page: Page, dpi: int) -> str:
    """The page as TSPL commands, one per line (CR LF)."""
    dot = dot_mm(dpi)

    def d(mm: float) -> int:
        return round(mm / dot)

    commands = [
        f"SIZE {page.width_mm:g} mm,{page.height_mm:g} mm",
        f"GAP {GAP_MM} mm,0 mm",
        "DIRECTION 1",
        "REFERENCE 0,0",
        "CLS",
    ]
    for item in page.items:
        match item:
            case TextLine():
                commands.append(_text(item, d))
            case Badge():
                commands.append(_text(item.line, d))
                commands.append(f"REVERSE {d(item.x)},{d(item.y)},{d(item.w)},{d(item.h)}")
            case Barcode():
                module = d(item.module_mm)
                commands.append(
                    f'BARCODE {d(item.x)},{d(item.y)},"128",{d(item.height_mm)},0,0,'
                    f'{module},{module},"{item.data}"'
                )
            case QrCode():
                commands.append(
                    f'QRCODE {d(item.x)},{d(item.y)},M,{d(item.module_mm)},A,0,"{item.data}"'
                )
            case Rule():
                commands.extend(_rule(item, d))
            case Frame():
                commands.append(
                    f"BOX {d(item.x)},{d(item.y)},{d(item.x + item.w)},{d(item.y + item.h)},"
                    f"{max(1, d(item.width_mm))}"
                )
    commands.append("PRINT 1,1")
    return "".join(c + "\r\n" for c in commands)


def _text(line: TextLine, d: Callable[[float], int]) -> str:
    font, mult = FONTS[d(line.size_pt * PT_MM)]
    text = line.text.replace("¥", "￥").replace('"', '\\["]')
    return f'TEXT {d(line.x)},{d(line.y)},"{font}",0,{mult},{mult},"{text}"'


def _rule(rule: Rule, d: Callable[[float], int]) -> list[str]:
    """BARs for a horizontal or vertical line; dashes are 2 mm on, 2 mm off."""
    x, y = d(min(rule.x1, rule.x2)), d(min(rule.y1, rule.y2))
    w, h = d(abs(rule.x2 - rule.x1)), d(abs(rule.y2 - rule.y1))
    thick = max(1, d(rule.width_mm))
    horizontal = h == 0
    length = w if horizontal else h
    step = d(2.0)
    pieces = range(0, length, 2 * step) if rule.dashed else [0]
    out = []
    for start in pieces:
        span = min(step, length - start) if rule.dashed else length
        if horizontal:
            out.append(f"BAR {x + start},{y},{span},{thick}")
        else:
            out.append(f"BAR {x},{y + start},{thick},{span}")
    return out

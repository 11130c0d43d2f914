"""Drawing a label as a one-page PDF with reportlab, the CJK font embedded.

The page is exactly the label's size. Bars and QR modules are drawn as
filled rectangles from the same Code 128 / QR data the raster renderer uses.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printers import code128
from printers.fonts import BASELINE_EM, PT_MM, register_pdf_font
from printers.primitives import Badge, Barcode, Frame, Page, QrCode, Rule, TextLine, qr_matrix

BOLD_STROKE_PT = 0.35
"""Outline added to glyphs for bold: the font has no bold face."""


def render(page: Page, title: str = "waybill") -> bytes:
    """The page as PDF bytes."""
    font = register_pdf_font()
    buffer = io.BytesIO()
    pdf = Canvas(
        buffer,
        pagesize=(page.width_mm * mm, page.height_mm * mm),
        pageCompression=1,
        invariant=1,
        initialFontName=font,
        initialFontSize=10,
    )
    pdf.setTitle(title)
    pdf.setCreator("Packing Station")
    height = page.height_mm
    for item in page.items:
        match item:
            case TextLine():
                _text(pdf, font, item, height)
            case Badge():
                pdf.setFillGray(0)
                pdf.rect(
                    item.x * mm,
                    (height - item.y - item.h) * mm,
                    item.w * mm,
                    item.h * mm,
                    stroke=0,
                    fill=1,
                )
                _text(pdf, font, item.line, height)
            case Barcode():
                _barcode(pdf, item, height)
            case QrCode():
                _qr(pdf, item, height)
            case Rule():
                _rule(pdf, item, height)
            case Frame():
                pdf.setLineWidth(item.width_mm * mm)
                pdf.rect(
                    item.x * mm,
                    (height - item.y - item.h) * mm,
                    item.w * mm,
                    item.h * mm,
                    stroke=1,
                    fill=0,
                )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _text(pdf: Canvas, font: str, line: TextLine, height: float) -> None:
    gray = 1 if line.white else 0
    baseline = line.y + line.size_pt * PT_MM * BASELINE_EM
    # Render mode and line width are graphics state that outlive a text object: fence them.
    pdf.saveState()
    text = pdf.beginText(line.x * mm, (height - baseline) * mm)
    text.setFont(font, line.size_pt)
    text.setFillGray(gray)
    if line.bold and not line.white:
        text.setStrokeGray(gray)
        pdf.setLineWidth(BOLD_STROKE_PT)
        text.setTextRenderMode(2)
    text.textOut(line.text)
    pdf.drawText(text)
    pdf.restoreState()


def _barcode(pdf: Canvas, code: Barcode, height: float) -> None:
    pdf.setFillGray(0)
    bottom = (height - code.y - code.height_mm) * mm
    for start, width in code128.bar_runs(code.data):
        x = code.x + start * code.module_mm
        pdf.rect(x * mm, bottom, width * code.module_mm * mm, code.height_mm * mm, stroke=0, fill=1)


def _qr(pdf: Canvas, code: QrCode, height: float) -> None:
    pdf.setFillGray(0)
    size = code.module_mm
    for r, row in enumerate(qr_matrix(code.data)):
        y = (height - code.y - (r + 1) * size) * mm
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            pdf.rect(
                (code.x + start * size) * mm,
                y,
                (col - start) * size * mm,
                size * mm,
                stroke=0,
                fill=1,
            )


def _rule(pdf: Canvas, rule: Rule, height: float) -> None:
    pdf.setStrokeGray(0)
    pdf.setLineWidth(rule.width_mm * mm)
    pdf.setDash(2 * mm, 2 * mm) if rule.dashed else pdf.setDash()
    pdf.line(rule.x1 * mm, (height - rule.y1) * mm, rule.x2 * mm, (height - rule.y2) * mm)
    pdf.setDash()

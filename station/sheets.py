"""The barcode sheet: commands, orders and products as Code128, so a real scanner
can drive the bench (and the demo) without a keyboard or mouse."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import sqlite_utils
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from station.core.commands import COMMAND_LABELS
from station.paths import resource
from station.store.crypto import reveal

FONT = "StationCJK"
_CELL_W, _CELL_H = 90 * mm, 30 * mm
_MARGIN = 12 * mm


@cache
def _register_font() -> str:
    pdfmetrics.registerFont(
        TTFont(FONT, str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0)
    )
    return FONT


def write_sheet(db: sqlite_utils.Database, path: Path, limit: int = 200) -> Path:
    """Write the sheet PDF: command barcodes first, then open orders, then products."""
    _register_font()
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle("Packing Station barcode sheet")
    commands = [(cmd.value, f"{label} / {cmd.value}") for cmd, label in COMMAND_LABELS.items()]
    orders = [
        (
            row["order_no"],
            f"{row['order_no']}  {reveal(db, 'recipient_name', row['recipient_name'])[:1]}*  "
            f"[{row['status']}]",
        )
        for row in db.query(
            "SELECT order_no, recipient_name, status FROM orders ORDER BY order_no LIMIT ?",
            [limit],
        )
    ]
    products = [
        (row["barcode"] or row["sku"], f"{row['name']}  {row['sku']}")
        for row in db.query(
            """SELECT p.sku, p.name, min(b.barcode) AS barcode FROM products p
               LEFT JOIN product_barcodes b ON b.sku = p.sku GROUP BY p.sku ORDER BY p.sku
               LIMIT ?""",
            [limit],
        )
    ]
    for title, cells in (
        ("Commands 命令", commands),
        ("Orders 订单", orders),
        ("Products 商品", products),
    ):
        _section(canvas, title, cells)
    canvas.save()
    return path


def _section(canvas: Canvas, title: str, cells: Iterable[tuple[str, str]]) -> None:
    width, height = A4
    per_row = int((width - 2 * _MARGIN) // _CELL_W)
    top = height - _MARGIN - 10 * mm
    canvas.setFont(FONT, 16)
    canvas.drawString(_MARGIN, height - _MARGIN - 4 * mm, title)
    for index, (value, caption) in enumerate(cells):
        slot = index % (per_row * int((top - _MARGIN) // _CELL_H))
        if index and slot == 0:
            canvas.showPage()
            canvas.setFont(FONT, 16)
            canvas.drawString(_MARGIN, height - _MARGIN - 4 * mm, title)
        col, row = slot % per_row, slot // per_row
        x = _MARGIN + col * _CELL_W
        y = top - (row + 1) * _CELL_H
        barcode = Code128(value, barHeight=14 * mm, barWidth=0.33 * mm, quiet=True)
        barcode.drawOn(canvas, x, y + 9 * mm)
        canvas.setFont(FONT, 9)
        canvas.drawString(x + 3 * mm, y + 4 * mm, caption[:48])
    canvas.showPage()

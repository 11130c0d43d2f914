"""The barcode sheet: every command, order and product scans back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import zxingcpp

from station.core.commands import Command
from station.sheets import write_sheet


def decoded_pages(path: Path) -> list[tuple[set[str], str]]:
    pdf = pypdfium2.PdfDocument(path)
    pages = []
    for page in pdf:
        image = page.render(scale=300 / 72).to_pil()
        codes = {r.text for r in zxingcpp.read_barcodes(image)}
        pages.append((codes, page.get_textpage().get_text_range()))
    return pages


def test_sheet_barcodes_scan_back(demo_db, tmp_path: Path) -> None:
    path = write_sheet(demo_db, tmp_path / "sheet.pdf")
    pages = decoded_pages(path)
    codes = set().union(*(c for c, _ in pages))
    text = "".join(t for _, t in pages)
    assert {c.value for c in Command} <= codes
    assert "WX20261121000001" in codes
    assert "6900000000014" in codes
    assert "取消当前订单" in text and "Cancel current order" in text

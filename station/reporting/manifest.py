"""The courier manifest (交接单) as PDF and CSV.

The PDF lists every parcel with its waybill number as a Code128 barcode (so the
courier's scanner can check the sheet), the parcel count and total weight up
front, and a signature line at the end. The CSV is the same list, UTF-8 with a
byte-order mark so spreadsheet programs show the Chinese text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from station.core.formulas import neutralised_row
from station.core.handover import Manifest, ShippedParcel
from station.reporting import cjk_font
from station.reporting.by_suffix import write_by_suffix

CSV_COLUMNS = (
    "carrier",
    "tracking_no",
    "order_no",
    "weight_g",
    "recorded_at",
    "station",
    "packer",
)

_MARGIN = 12 * mm
_HEADER = 30 * mm
_FOOTER = 12 * mm
_ROW_H = 21 * mm
_COLUMNS = 2
_SIGNATURE_H = 40 * mm


def write_manifest(manifest: Manifest, path: Path) -> Path:
    """Write a .pdf or .csv manifest, by the file's suffix, whole or not at all (a full
    disk leaves no empty or cut-short sheet behind)."""
    writers = {".pdf": write_pdf, ".csv": write_csv}
    return write_by_suffix(manifest, path, writers, "a manifest")


def write_csv(manifest: Manifest, path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for p in manifest.parcels:
            writer.writerow(
                neutralised_row(
                    (
                        p.carrier,
                        p.tracking_no,
                        p.order_no,
                        p.weight_g,
                        p.recorded_at,
                        p.station,
                        p.packer,
                    )
                )
            )
    return path


def carrier_title(manifest: Manifest) -> str:
    """The carrier as the sheet names it: the catalogue's names and the code."""
    names = " ".join(n for n in (manifest.carrier_name_zh, manifest.carrier_name_en) if n)
    return f"{names} ({manifest.carrier})" if names else manifest.carrier


def write_pdf(manifest: Manifest, path: Path) -> Path:
    font = cjk_font()
    width, height = A4
    per_page = _COLUMNS * int((height - _HEADER - _FOOTER - _MARGIN) // _ROW_H)
    pages = _page_count(manifest.count, per_page, height)
    # Built in memory, then written: reportlab leaves its file open when a write fails.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"交接单 {manifest.carrier} {manifest.title}")
    column_w = (width - 2 * _MARGIN) / _COLUMNS
    for page in range(pages):
        _header(canvas, manifest, font, page + 1, pages)
        chunk = manifest.parcels[page * per_page : (page + 1) * per_page]
        for slot, parcel in enumerate(chunk):
            row, column = divmod(slot, _COLUMNS)
            x = _MARGIN + column * column_w
            y = height - _HEADER - (row + 1) * _ROW_H
            _parcel(canvas, parcel, page * per_page + slot + 1, x, y, font)
        if page == pages - 1:
            used_rows = -(-len(chunk) // _COLUMNS)
            _signature(canvas, manifest, font, height - _HEADER - used_rows * _ROW_H - 8 * mm)
        canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


def _page_count(count: int, per_page: int, height: float) -> int:
    """Pages for the parcels, plus one when the signature does not fit under the last."""
    pages = max(1, -(-count // per_page))
    last = count - (pages - 1) * per_page
    rows_used = -(-last // _COLUMNS)
    free = height - _HEADER - _FOOTER - rows_used * _ROW_H
    return pages + (1 if free < _SIGNATURE_H + 8 * mm and count else 0)


def _header(canvas: Canvas, manifest: Manifest, font: str, page: int, pages: int) -> None:
    width, height = A4
    canvas.setFont(font, 15)
    canvas.drawString(
        _MARGIN,
        height - _MARGIN - 4 * mm,
        f"快递交接单 Courier handover — {carrier_title(manifest)}",
    )
    canvas.setFont(font, 10)
    kg = manifest.total_weight_g / 1000
    line = (
        f"{manifest.title}   发货台 Station: {manifest.station or '—'}   "
        f"件数 Parcels: {manifest.count}   总重量 Total weight: {kg:,.2f} kg"
    )
    canvas.drawString(_MARGIN, height - _MARGIN - 11 * mm, line)
    canvas.drawRightString(width - _MARGIN, _MARGIN - 4 * mm, f"{page} / {pages}")
    canvas.line(_MARGIN, height - _HEADER + 2 * mm, width - _MARGIN, height - _HEADER + 2 * mm)


def _parcel(
    canvas: Canvas, parcel: ShippedParcel, index: int, x: float, y: float, font: str
) -> None:
    barcode = Code128(parcel.tracking_no, barHeight=11 * mm, barWidth=0.33 * mm, quiet=True)
    barcode.drawOn(canvas, x + 8 * mm, y + 7 * mm)
    canvas.setFont(font, 9)
    canvas.drawString(x, y + 11 * mm, f"{index}")
    canvas.drawString(x + 10 * mm, y + 3 * mm, parcel.tracking_no)
    canvas.setFont(font, 7)
    canvas.drawString(x + 10 * mm, y, f"{parcel.order_no}  {parcel.weight_g} g")


def _signature(canvas: Canvas, manifest: Manifest, font: str, top: float) -> None:
    width, _ = A4
    canvas.setFont(font, 11)
    lines = (
        f"共 {manifest.count} 件 / {manifest.count} parcels, "
        f"{manifest.total_weight_g / 1000:,.2f} kg",
        f"快递员 Courier: {manifest.courier or '______________'}   "
        "签字 Courier signature: ______________   日期时间 Date/time: ____________",
        "实收件数 Parcels received: __________   "
        f"发货人 Shipper: {manifest.shipper or '______________________'}",
    )
    for n, text in enumerate(lines):
        canvas.drawString(_MARGIN, top - n * 11 * mm, text)
    canvas.line(_MARGIN, top + 6 * mm, width - _MARGIN, top + 6 * mm)

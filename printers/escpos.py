"""ESC/POS print jobs: native (printer fonts and codes) and raster (exact layout).

Native mode sends GBK text, the printer's own Code 128 (`{C` digit pairs) and
its own QR: a few hundred bytes, quick even over a 9600-baud serial link, but
line by line, so it is a simpler rendering of the same Waybill. Raster mode
sends the laid-out label as `GS v 0` images: exactly the PDF's layout, but
tens of kilobytes.

Command bytes come from python-escpos's Dummy printer (its barcode() announces
itself on stdout, which is swallowed). The raster image is packed here
directly from Pillow's 1-bit buffer: the bytes are identical to Dummy.image()
(a test checks), ten times faster, which keeps raster rendering inside its
budget.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from printers import carrier_layout, code128, layout
from printers.errors import PrinterError
from printers.fit import CellMetrics, fit_text
from printers.primitives import dot_mm
from printers.waybill import Waybill

INIT = b"\x1b@"
CHINESE_MODE = b"\x1c&"
"""FS &: double-byte (GBK) characters on; most Chinese printers need it for text."""
RASTER_FRAGMENT_ROWS = 960
CELL_DOTS = 24
"""Font A is 12x24 dots; a GBK character takes a 24x24 cell."""


@dataclass(frozen=True)
class EscposProfile:
    """What a printer can do: head resolution and how wide it prints."""

    dpi: int = 203
    print_width_mm: float = 76.0

    @property
    def print_width_dots(self) -> int:
        return round(self.print_width_mm / dot_mm(self.dpi))


def raster_job(image: Image.Image) -> bytes:
    """A 1-bit image (ink = 1) as ESC @ + GS v 0 blocks of at most 960 rows, then a cut."""
    if image.mode != "1":
        raise ValueError("raster_job needs a mode '1' image with ink = 1")
    width_bytes = (image.width + 7) // 8
    data = image.tobytes()
    parts = [INIT]
    for top in range(0, image.height, RASTER_FRAGMENT_ROWS):
        rows = min(RASTER_FRAGMENT_ROWS, image.height - top)
        header = b"\x1dv0\x00" + _u16(width_bytes) + _u16(rows)
        parts.append(header + data[top * width_bytes : (top + rows) * width_bytes])
    parts.append(_cut())
    return b"".join(parts)


def _u16(value: int) -> bytes:
    return value.to_bytes(2, "little")


def _cut() -> bytes:
    printer = Dummy()
    printer.cut()
    output: bytes = printer.output
    return output


class NativeJob:
    """Builds a native ESC/POS job line by line on a Dummy printer."""

    def __init__(self, profile: EscposProfile) -> None:
        self.profile = profile
        self.printer = Dummy()
        dot = dot_mm(profile.dpi)
        self._metrics = CellMetrics([CELL_DOTS * k * dot for k in (1, 2, 3)])
        self._cell_pt = {k: CELL_DOTS * k * dot / (25.4 / 72) for k in (1, 2, 3)}
        self.printer._raw(INIT + CHINESE_MODE)

    @property
    def width_mm(self) -> float:
        return self.profile.print_width_dots * dot_mm(self.profile.dpi)

    def style(self, align: str = "left", bold: bool = False, size: int = 1) -> None:
        self.printer.set(align=align, bold=bold, custom_size=True, width=size, height=size)

    def lines(self, text: str, what: str, size: int = 1) -> None:
        """Text wrapped to the paper at `size`; refuses (no_fit) only a character wider than it."""
        if not text.strip():
            return
        text = text.replace("¥", "￥")
        pt = self._cell_pt[size]
        fitted = fit_text(text, self.width_mm, 10_000, self._metrics, pt, pt, what)
        for line in fitted.lines:
            self.printer._raw(line.encode("gbk") + b"\n")

    def rule(self) -> None:
        self.style()
        self.printer._raw(b"-" * (self.profile.print_width_dots // (CELL_DOTS // 2)) + b"\n")

    def barcode(self, tracking: str) -> None:
        modules = code128.module_count(tracking) + 2 * code128.QUIET_MODULES
        width = min(4, self.profile.print_width_dots // modules)
        if width < 2:
            raise PrinterError(
                "no_fit",
                f"The tracking number {tracking} is too long for a barcode on this paper; "
                "use wider paper or raster mode.",
            )
        height = int(12 / dot_mm(self.profile.dpi))
        with contextlib.redirect_stdout(io.StringIO()):
            self.printer.barcode(
                code128.escpos_data(tracking),
                "CODE128",
                height=min(255, height),
                width=width,
                pos="OFF",
                align_ct=True,
                function_type="B",
            )
        self.printer._raw(b"\n")

    def qr(self, data: str) -> None:
        self.printer.set(align="center")
        self.printer.qr(data, ec=QR_ECLEVEL_M, size=6, native=True)
        self.printer._raw(b"\n")

    def finish(self) -> bytes:
        self.style()
        self.printer.cut()
        output: bytes = self.printer.output
        return output


def native_job(waybill: Waybill, profile: EscposProfile, slip: bool = False) -> bytes:
    """A waybill (or its packing slip) in printer fonts and codes."""
    layout.check_tracking(waybill.tracking_number)
    job = NativeJob(profile)
    (_native_slip if slip else _native_waybill)(job, waybill)
    return job.finish()


def _native_waybill(job: NativeJob, wb: Waybill) -> None:
    """The label top to bottom in printer fonts; an e-waybill adds its carrier's sort
    codes, and SF's privacy label its route label fields and 丰密 masking."""
    route = wb.sf_route
    job.style(bold=True, size=2)
    job.lines(wb.carrier, "carrier name", size=2)
    job.style()
    if route is not None:
        job.style(bold=True)
        job.lines(f"{route.pro_code} {route.pro_name}".strip(), "product code")
        job.style()
    else:
        service = layout.header_service(wb)
        if service:
            job.lines(service, "service name")
    shown = layout.marks(wb)
    if shown:
        job.style(bold=True)
        job.lines(" ".join(f"【{m}】" for m in shown), "marks")
    job.barcode(wb.tracking_number)
    job.style(align="center", bold=True, size=2)
    job.lines(layout.tracking_line(wb), "tracking number", size=2)
    if route is not None:
        _native_sf_route(job, wb)
    else:
        _native_sort_codes(job, wb)
    job.rule()
    r, s = (
        carrier_layout.sf_parties(wb)
        if route is not None
        else (wb.shown_recipient, wb.shown_sender)
    )
    job.style(bold=True, size=2)
    job.lines(f"收 {r.name} {r.phone}", "recipient's name and phone", size=2)
    job.style(bold=True)
    job.lines(r.address, "recipient's address")
    job.rule()
    job.lines(f"寄 {s.name} {s.phone}", "sender's name and phone")
    job.lines(s.address, "sender's address")
    job.rule()
    job.lines(f"内件：{wb.summary}" if wb.summary else "", "contents summary")
    facts = [f"共 {wb.item_count} 件"] if wb.item_count else []
    if wb.weight_g is not None:
        facts.append(f"重量 {layout.weight_text(wb.weight_g)}")
    job.lines("   ".join(facts), "item count and weight")
    job.lines(layout.parent_text(wb), "mother waybill number")
    job.lines(f"订单 {wb.order_number}" if wb.order_number else "", "order number")
    job.qr(carrier_layout.qr_content(wb))
    job.style()
    job.lines("签收人/时间：", "signature line")
    job.lines(
        f"打印 {wb.printed_at:%Y-%m-%d %H:%M}" + ("  补打" if wb.reprint else ""), "print time"
    )


def _native_sort_codes(job: NativeJob, wb: Waybill) -> None:
    """三段码 (else 大头笔) triple size, a 大头笔 given besides it double, then 集包地."""
    code = carrier_layout.sort_code(wb)
    if code:
        job.style(align="center", bold=True, size=3)
        job.lines(code, "routing code", size=3)
    if wb.sorting_code and wb.routing_code:
        job.style(align="center", bold=True, size=2)
        job.lines(wb.routing_code, "routing code", size=2)
    centre = wb.package_centre or wb.bag_code
    if centre:
        job.style(align="center", bold=bool(wb.package_centre))
        job.lines(f"集包地 {centre} {wb.package_centre_code}".rstrip(), "bag code")


def _native_sf_route(job: NativeJob, wb: Waybill) -> None:
    """SF's destination route label triple size, the mapping codes and marks double."""
    route = wb.sf_route
    assert route is not None
    job.style(align="center", bold=True, size=3)
    job.lines(route.dest_route_label or carrier_layout.sort_code(wb), "route label", size=3)
    flags = [route.ab_flag] if route.ab_flag else []
    if route.xb_flag == "1":
        flags.append("XB")
    codes = " ".join(c for c in (route.coding_mapping, route.coding_mapping_out, *flags) if c)
    job.style(align="center", bold=True, size=2)
    job.lines(codes, "mapping codes", size=2)


def _native_slip(job: NativeJob, wb: Waybill) -> None:
    job.style(align="center", bold=True, size=2)
    job.lines("发货清单" + ("（补打）" if wb.reprint else ""), "slip title", size=2)
    job.style()
    r = wb.shown_recipient
    job.lines(f"订单 {wb.order_number}" if wb.order_number else "", "order number")
    job.lines(f"{wb.carrier} {wb.tracking_number}", "tracking number")
    job.lines(f"收件人 {r.name} {r.phone}", "recipient's name and phone")
    job.lines(f"打印 {wb.printed_at:%Y-%m-%d %H:%M}", "print time")
    job.rule()
    for item in wb.contents:
        name = f"{item.name} [{item.sku}]" if item.sku else item.name
        job.lines(f"{name} ×{item.quantity}", "item name")
    job.rule()
    job.style(bold=True)
    weight = f"   重量 {layout.weight_text(wb.weight_g)}" if wb.weight_g else ""
    job.lines(f"共 {wb.item_count} 件{weight}", "slip totals")

"""Where everything goes on a label, for every size, as drawing primitives in mm.

The areas follow GB/T 41833-2022 from top to bottom: header (carrier, service,
marks), code/number area (码号区), destination (目的地信息区, the routing code
large), recipient (收件人信息区), sender (寄件人信息区), contents (内件信息区,
with the QR code) and signature (签收区). 100x180 adds a tear-off stub.

A layout is built for one kind of text metrics (the TrueType font for PDF and
raster, a label printer's fixed cells for TSPL) and one dot pitch, so text is
measured as it will be drawn and bars and QR modules land on whole dots.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from printers import code128
from printers.errors import PrinterError
from printers.fit import FittedText, TextMetrics, TrueTypeMetrics, fit_text
from printers.fonts import PT_MM
from printers.primitives import (
    Badge,
    Barcode,
    Frame,
    Item,
    Page,
    QrCode,
    Rule,
    TextLine,
    dot_mm,
    qr_modules,
)
from printers.waybill import Party, Template, Waybill


class Align(StrEnum):
    """Where a line of text sits across its box."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class VAlign(StrEnum):
    """Where a block of text sits down its box."""

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


LAYOUTS = ("76x130", "100x150", "100x180", "slip")
SLIP_WIDTH_MM = 80.0
MIN_MODULE_MM = 0.25
"""Narrowest Code 128 bar we print: thinner bars smear on thermal heads."""
MAX_MODULE_MM = 0.5


@dataclass(frozen=True)
class LabelSize:
    """A waybill size: page, margin, the height of each area, a font scale."""

    width_mm: float
    height_mm: float
    header: float
    code: float
    destination: float
    recipient: float
    sender: float
    contents: float
    signature: float
    stub: float = 0.0
    scale: float = 1.0
    margin: float = 2.0


SIZES = {
    "76x130": LabelSize(76, 130, 10, 24, 13, 28, 15, 26, 10),
    "100x150": LabelSize(100, 150, 12, 30, 18, 32, 17, 27, 10, scale=1.25),
    "100x180": LabelSize(100, 180, 12, 30, 18, 32, 17, 27, 10, stub=30, scale=1.25),
}


def page_size(layout: str) -> tuple[float, float] | None:
    """(width, height) in mm of a fixed-size layout; None for the slip, whose height varies."""
    size = SIZES.get(layout)
    return None if size is None else (size.width_mm, size.height_mm)


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise PrinterError(
            "unsupported",
            f"There is no label layout called {layout!r}; choose one of {', '.join(LAYOUTS)}.",
        )
    return layout


def build(
    waybill: Waybill, layout: str = "76x130", dpi: int = 203, metrics: TextMetrics | None = None
) -> Page:
    """Lay a waybill out on a label; PrinterError('no_fit') if something cannot fit legibly."""
    check_layout(layout)
    check_tracking(waybill.tracking_number)
    canvas = _Canvas(metrics or TrueTypeMetrics(), dot_mm(dpi))
    if layout == "slip":
        return _slip(canvas, waybill)
    if waybill.template is not Template.GENERAL:
        from printers import carrier_layout  # it builds on this module's canvas and areas

        return carrier_layout.build(canvas, waybill, layout)
    return _waybill(canvas, waybill, SIZES[layout])


ORDER_NUMBER_MIN_PT = 5.5
SAFE_ORDER_NUMBER_LENGTH = 20
MAX_ORDER_NUMBER_LENGTH = 100
"""No label fits more (an upper bound, so a huge cell is not measured)."""
"""ASCII order numbers this long fit every label (20 'W' do on 76x130; tested)."""


def order_number_fits(order_number: str, layout: str = "76x130") -> bool:
    """Whether the order number prints on one line of the label `layout` (the
    narrowest by default; the packing slip takes any), as `build` would lay it
    out. Importers check it, so an order that cannot be labelled is refused at
    import rather than after its shipment is recorded."""
    if len(order_number) <= SAFE_ORDER_NUMBER_LENGTH and order_number.isascii():
        return True
    size = SIZES.get(layout)
    if size is None:
        return True
    if len(order_number) > MAX_ORDER_NUMBER_LENGTH:
        return False
    w = size.width_mm - 2 * size.margin
    qr_size = min(size.contents - 2, 24.0 * size.scale)
    try:
        fit_text(
            f"订单 {order_number}",
            w - qr_size - 3 - 1,
            4.2 * size.scale,
            _label_metrics(),
            ORDER_NUMBER_MIN_PT,
            ORDER_NUMBER_MIN_PT,
            "order number",
            max_lines=1,
        )
    except PrinterError:
        return False
    return True


@functools.cache
def _label_metrics() -> TrueTypeMetrics:
    return TrueTypeMetrics()


def check_tracking(tracking: str) -> None:
    """Refuse a tracking number no barcode can hold (empty, spaces, non-ASCII)."""
    if not tracking or any(not ("!" <= c <= "~") for c in tracking):
        raise PrinterError(
            "bad_data",
            f"The tracking number {tracking!r} cannot be printed as a barcode: it may only "
            "hold letters, digits and dashes. Check the tracking number and scan it again.",
        )


class _Canvas:
    """Collects primitives; knows the metrics and the dot pitch to snap to."""

    def __init__(self, metrics: TextMetrics, dot_mm: float) -> None:
        self.metrics = metrics
        self.dot_mm = dot_mm
        self.items: list[Item] = []

    def snap(self, mm: float) -> float:
        """The nearest whole dot."""
        return round(mm / self.dot_mm) * self.dot_mm

    def text(
        self,
        text: str,
        box: tuple[float, float, float, float],
        max_pt: float,
        min_pt: float,
        what: str,
        *,
        bold: bool = False,
        align: Align = Align.LEFT,
        valign: VAlign = VAlign.TOP,
        max_lines: int | None = None,
    ) -> FittedText | None:
        """Fit text into box (x, y, w, h) and place its lines; nothing for empty text."""
        if not text.strip():
            return None
        x, y, w, h = box
        fitted = fit_text(text, w, h, self.metrics, max_pt, min_pt, what, max_lines)
        top = y + _vertical_offset(valign, h, fitted.height_mm)
        self.place(fitted, x, top, w, bold=bold, align=align)
        return fitted

    def place(
        self,
        fitted: FittedText,
        x: float,
        top: float,
        w: float,
        *,
        bold: bool = False,
        align: Align = Align.LEFT,
        white: bool = False,
    ) -> None:
        size_mm = fitted.size_pt * PT_MM
        pad = (fitted.line_mm - size_mm) / 2
        for i, line in enumerate(fitted.lines):
            width = self.metrics.width_mm(line, fitted.size_pt)
            dx = {Align.LEFT: 0.0, Align.CENTER: (w - width) / 2, Align.RIGHT: w - width}[align]
            self.items.append(
                TextLine(x + dx, top + pad + i * fitted.line_mm, line, fitted.size_pt, bold, white)
            )

    def badges(self, marks: list[str], right: float, y: float, h: float, size_pt: float) -> None:
        """White-on-black marks placed leftwards from `right`."""
        x = right
        for mark in reversed(marks):
            width = self.metrics.width_mm(mark, size_pt) + 1.6
            x -= width
            line_top = y + (h - size_pt * PT_MM) / 2
            self.items.append(
                Badge(x, y, width, h, TextLine(x + 0.8, line_top, mark, size_pt, True, True))
            )
            x -= 1.0

    def barcode(self, data: str, x: float, y: float, w: float, h: float) -> Barcode:
        """Centre a Code 128 in (x, w) with 10-module quiet zones, bars on whole dots."""
        modules = code128.module_count(data) + 2 * code128.QUIET_MODULES
        dots = int(min(w / modules, MAX_MODULE_MM) / self.dot_mm)
        module = dots * self.dot_mm
        if module < MIN_MODULE_MM - 1e-9:
            raise PrinterError(
                "no_fit",
                f"The tracking number {data} is too long for a barcode that scans on this "
                "label; use a wider label size.",
            )
        left = self.snap(x + (w - (modules - 2 * code128.QUIET_MODULES) * module) / 2)
        code = Barcode(left, y, module, h, data)
        self.items.append(code)
        return code

    def qr(self, data: str, x: float, y: float, size: float) -> QrCode:
        count = qr_modules(data)
        module = int(size / count / self.dot_mm) * self.dot_mm
        if module <= 0:
            raise PrinterError("no_fit", "The QR code does not fit on this label.")
        code = QrCode(self.snap(x + (size - count * module) / 2), self.snap(y), module, data)
        self.items.append(code)
        return code

    def hrule(
        self, x1: float, x2: float, y: float, width: float = 0.3, dashed: bool = False
    ) -> None:
        self.items.append(Rule(x1, y, x2, y, width, dashed))

    def vrule(self, x: float, y1: float, y2: float, width: float = 0.3) -> None:
        self.items.append(Rule(x, y1, x, y2, width))


def _vertical_offset(valign: VAlign, box_h: float, text_h: float) -> float:
    offsets = {VAlign.TOP: 0.0, VAlign.MIDDLE: (box_h - text_h) / 2, VAlign.BOTTOM: box_h - text_h}
    return offsets[valign]


def grouped(tracking: str) -> str:
    """The tracking number in groups of four for reading aloud: 'SF10 2357 4470 215'.
    A parcel suffix stays whole: 'JDAW X000 0000 0000 1-2-3' (JD's 运单号-序号-总件数)."""
    number, dash, suffix = tracking.partition("-")
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) + dash + suffix


def tracking_line(waybill: Waybill) -> str:
    """The number under the barcode, with 'n/N' for a parcel of a multi-parcel shipment."""
    line = grouped(waybill.tracking_number)
    if waybill.parcel_count > 1:
        line += f"  {waybill.parcel_number}/{waybill.parcel_count}"
    return line


def parent_text(waybill: Waybill) -> str:
    """'母单 NUMBER' on a child parcel of a multi-parcel shipment, else empty."""
    parent = waybill.parent_tracking
    return f"母单 {parent}" if parent and parent != waybill.tracking_number else ""


def marks(waybill: Waybill) -> list[str]:
    """The marks a courier must notice: reprint, cold chain, insured value."""
    out = []
    if waybill.reprint:
        out.append("补打")
    if waybill.cold_chain:
        out.append("冷链")
    if waybill.insured_value is not None:
        out.append(f"保价￥{waybill.insured_value:,.2f}")
    return out


def header_service(waybill: Waybill) -> str:
    """The service named in the header, unless a mark already says it (冷链 and
    保价 were printed twice, the mark being the one a courier notices)."""
    service = waybill.service
    if service and any(mark.startswith(service) for mark in marks(waybill)):
        return ""
    return service


def weight_text(weight_g: int | None) -> str:
    return "" if weight_g is None else f"{weight_g / 1000:.2f} kg"


def _waybill(c: _Canvas, wb: Waybill, size: LabelSize) -> Page:
    s = size.scale
    m = size.margin
    x0, x1 = m, size.width_mm - m
    w = x1 - x0
    y = m
    areas: list[tuple[float, Callable[[float, float], None]]] = [
        (size.header, lambda y, h: _header(c, wb, x0, y, w, h, s)),
        (size.code, lambda y, h: _code_area(c, wb, x0, y, w, h, s)),
        (size.destination, lambda y, h: _destination(c, wb, x0, y, w, h, s)),
        (size.recipient, lambda y, h: _recipient(c, wb, x0, y, w, h, s)),
        (size.sender, lambda y, h: _sender(c, wb, x0, y, w, h, s)),
        (size.contents, lambda y, h: _contents(c, wb, x0, y, w, h, s)),
        (size.signature, lambda y, h: _signature(c, wb, x0, y, w, h, s)),
    ]
    if size.stub:
        areas.append((size.stub, lambda y, h: _stub(c, wb, x0, y, w, h, s)))
    c.items.append(Frame(x0, y, w, sum(h for h, _ in areas), 0.4))
    for i, (h, draw) in enumerate(areas):
        if i:
            dashed = draw is areas[-1][1] and bool(size.stub)
            c.hrule(x0, x1, y, 0.6 if dashed else 0.3, dashed)
        draw(y, h)
        y += h
    return Page(size.width_mm, size.height_mm, tuple(c.items))


def _header(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    left_w = w * 0.5
    _carrier_name(c, wb, x, y, left_w, h, s)
    right = (x + left_w, y + 0.5, w - left_w - 1, h / 2 - 0.5)
    c.text(header_service(wb), right, 10 * s, 6, "service name", align=Align.RIGHT, max_lines=1)
    shown = marks(wb)
    if shown:
        _header_marks(c, shown, x + w - 1, y, w - left_w - 1, h, s)


def _carrier_name(
    c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float
) -> None:
    """The carrier's name, large, on the left `w` of a header."""
    c.text(
        wb.carrier,
        (x + 1, y, w - 1, h),
        16 * s,
        8,
        "carrier name",
        bold=True,
        valign=VAlign.MIDDLE,
        max_lines=1,
    )


def _header_marks(
    c: _Canvas, shown: list[str], right: float, y: float, w: float, h: float, s: float
) -> None:
    """The marks as badges in the lower half of a header, ending at `right`, within `w`."""
    badge_h = h / 2 - 1
    size_pt = _badge_size(c, shown, w, badge_h, 10 * s)
    c.badges(shown, right, y + h / 2 + 0.5, badge_h, size_pt)


def _bold_line(
    c: _Canvas,
    text: str,
    box: tuple[float, float, float, float],
    max_pt: float,
    min_pt: float,
    what: str,
) -> None:
    """One bold line centred in its box: a number or code a courier reads from afar."""
    c.text(
        text,
        box,
        max_pt,
        min_pt,
        what,
        bold=True,
        align=Align.CENTER,
        valign=VAlign.MIDDLE,
        max_lines=1,
    )


def _badge_size(c: _Canvas, shown: list[str], width: float, h: float, max_pt: float) -> float:
    """The largest size at which the marks, padded and spaced, fit the header's right half."""
    for size in c.metrics.sizes(min(max_pt, h / PT_MM / 1.15), 6):
        total = sum(c.metrics.width_mm(mk, size) + 2.6 for mk in shown)
        if total <= width:
            return size
    raise PrinterError(
        "no_fit",
        "The marks (reprint, cold chain, insured value) do not fit on this label; "
        "choose a larger label size.",
    )


def _code_area(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    digits_h = 5.0 * s
    bars_h = h - digits_h - 2.5
    c.barcode(wb.tracking_number, x, y + 1.5, w, bars_h)
    _bold_line(
        c, tracking_line(wb), (x, y + 1.5 + bars_h, w, digits_h), 13 * s, 8, "tracking number"
    )


def _destination(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    bag_h = 4.0 * s if wb.bag_code else 0.0
    c.text(
        wb.routing_code,
        (x + 1, y, w - 2, h - bag_h),
        28 * s,
        12,
        "routing code",
        bold=True,
        align=Align.CENTER,
        valign=VAlign.MIDDLE,
        max_lines=2,
    )
    if wb.bag_code:
        c.text(
            f"集包地 {wb.bag_code}",
            (x + 1, y + h - bag_h, w - 2, bag_h),
            9 * s,
            6,
            "bag code",
            align=Align.CENTER,
            valign=VAlign.MIDDLE,
            max_lines=1,
        )


def _tagged(c: _Canvas, tag: str, x: float, y: float, h: float, s: float) -> float:
    """The 收 / 寄 tag down the left of an area; returns the width it takes."""
    tag_w = 6.0 * s
    size_pt = c.metrics.sizes(12 * s, 8)[0]
    c.items.append(
        Badge(
            x,
            y,
            tag_w,
            h,
            TextLine(
                x + (tag_w - size_pt * PT_MM) / 2,
                y + (h - size_pt * PT_MM) / 2,
                tag,
                size_pt,
                True,
                True,
            ),
        )
    )
    return tag_w


@dataclass(frozen=True)
class PartyStyle:
    """How a party is drawn: its tag (收 / 寄), who it is (for fit errors), the height
    of the name-and-phone line, the gaps above and below, the sizes (max, min) of the
    name line and of the address in points, and whether both are bold (all mm and pt
    before the label's scale)."""

    tag: str
    who: str
    line_mm: float
    top_mm: float
    bottom_mm: float
    name_pt: tuple[float, float]
    address_pt: tuple[float, float]
    bold: bool


RECIPIENT = PartyStyle("收", "recipient", 6.5, 0.8, 1.3, (13, 8), (12, 7), bold=True)
SENDER = PartyStyle("寄", "sender", 4.5, 0.6, 1.0, (9, 6), (9, 6), bold=False)


def _party(
    c: _Canvas, style: PartyStyle, p: Party, x: float, y: float, w: float, h: float, s: float
) -> None:
    """A party's tag down the left, its name and phone on one line, its address below."""
    tag_w = _tagged(c, style.tag, x, y, h, s)
    bx, bw = x + tag_w + 1.2, w - tag_w - 2
    line_h = style.line_mm * s
    c.text(
        f"{p.name}  {p.phone}",
        (bx, y + style.top_mm, bw, line_h),
        style.name_pt[0] * s,
        style.name_pt[1],
        f"{style.who}'s name and phone",
        bold=style.bold,
        max_lines=1,
    )
    c.text(
        p.address,
        (bx, y + style.top_mm + line_h, bw, h - line_h - style.bottom_mm),
        style.address_pt[0] * s,
        style.address_pt[1],
        f"{style.who}'s address",
        bold=style.bold,
    )


def _recipient(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    _party(c, RECIPIENT, wb.shown_recipient, x, y, w, h, s)


def _sender(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    _party(c, SENDER, wb.shown_sender, x, y, w, h, s)


def parcel_facts(wb: Waybill) -> list[str]:
    """The item count and the weight, those the waybill has."""
    facts = []
    if wb.item_count:
        facts.append(f"共 {wb.item_count} 件")
    if wb.weight_g is not None:
        facts.append(f"重量 {weight_text(wb.weight_g)}")
    return facts


def _contents(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    qr_size = min(h - 2, 24.0 * s)
    text_w = w - qr_size - 3
    c.vrule(x + text_w + 1, y, y + h)
    c.qr(wb.qr_data, x + text_w + 2, y + (h - qr_size) / 2, qr_size)
    facts = parcel_facts(wb)
    parent = parent_text(wb)  # its own line: a JD mother (JDAWX + 12 digits) overflowed facts
    small_h = 4.2 * s
    order_h = small_h if wb.order_number else 0.0
    facts_h = small_h if facts else 0.0
    parent_h = small_h if parent else 0.0
    summary_h = h - facts_h - parent_h - order_h - 1.5
    c.text(
        f"内件：{wb.summary}" if wb.summary else "",
        (x + 1, y + 0.8, text_w - 1, summary_h),
        10 * s,
        6.5,
        "contents summary",
    )
    yy = y + 0.8 + summary_h
    if facts:
        c.text(
            "   ".join(facts),
            (x + 1, yy, text_w - 1, small_h),
            9 * s,
            6,
            "item count and weight",
            max_lines=1,
        )
        yy += small_h
    if parent:
        c.text(
            parent,
            (x + 1, yy, text_w - 1, small_h),
            9 * s,
            ORDER_NUMBER_MIN_PT,
            "mother waybill number",
            max_lines=1,
        )
        yy += small_h
    if wb.order_number:
        c.text(
            f"订单 {wb.order_number}",
            (x + 1, yy, text_w - 1, small_h),
            8 * s,
            ORDER_NUMBER_MIN_PT,
            "order number",
            max_lines=1,
        )


def _signature(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    half = h / 2
    c.text(
        "签收人/时间：", (x + 1, y + 0.5, w * 0.5, half), 9 * s, 6, "signature line", max_lines=1
    )
    printed = f"打印 {wb.printed_at:%Y-%m-%d %H:%M}" + ("  补打" if wb.reprint else "")
    c.text(
        printed,
        (x + w * 0.5, y + 0.5, w * 0.5 - 1, half),
        7 * s,
        5.5,
        "print time",
        align=Align.RIGHT,
        max_lines=1,
    )
    c.text(
        "快件送达收件人地址，经收件人或收件人允许的代收人签字，视为送达。",
        (x + 1, y + half, w - 2, half - 0.5),
        6.5 * s,
        5,
        "delivery notice",
        valign=VAlign.MIDDLE,
        max_lines=1,
    )


def _stub(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    r = wb.shown_recipient
    left_w = w * 0.55
    c.barcode(wb.tracking_number, x, y + 1.5, left_w, h * 0.45)
    c.text(
        grouped(wb.tracking_number),
        (x, y + 2 + h * 0.45, left_w, 4.5),
        10,
        7,
        "tracking number",
        align=Align.CENTER,
        max_lines=1,
    )
    rx, rw = x + left_w + 1, w - left_w - 2
    c.text(
        f"收 {r.name} {r.phone}",
        (rx, y + 1, rw, 5),
        9,
        6,
        "recipient's name and phone",
        max_lines=1,
    )
    c.text(wb.summary, (rx, y + 6.5, rw, h - 8), 9, 6, "contents summary")
    c.text(
        f"{wb.carrier}  存根联",
        (x + 1, y + h - 6, left_w - 2, 5),
        8,
        6,
        "carrier name",
        max_lines=1,
        valign=VAlign.MIDDLE,
    )


def _slip(c: _Canvas, wb: Waybill) -> Page:
    """The 80 mm packing slip (发货清单): as tall as its item list."""
    m = 4.0
    x, w = m, SLIP_WIDTH_MM - 2 * m
    y = m
    fitted = c.text(
        "发货清单" + ("（补打）" if wb.reprint else ""),
        (x, y, w, 8),
        16,
        10,
        "slip title",
        bold=True,
        align=Align.CENTER,
        max_lines=1,
    )
    y += fitted.height_mm + 1 if fitted else 0
    r = wb.shown_recipient
    for line in (
        f"订单 {wb.order_number}" if wb.order_number else "",
        f"{wb.carrier} {wb.tracking_number}",
        f"收件人 {r.name} {r.phone}",
        f"打印 {wb.printed_at:%Y-%m-%d %H:%M}",
    ):
        y += _flow(c, line, x, y, w, 10, "slip header")
    y += 1
    code = c.barcode(wb.tracking_number, x, y, w, 10)
    y += code.height_mm + 2
    c.hrule(x, x + w, y, 0.3)
    y += 1
    qty_w = 12.0
    c.text("商品", (x, y, w - qty_w, 5), 10, 7, "column title", bold=True, max_lines=1)
    c.text(
        "数量",
        (x + w - qty_w, y, qty_w, 5),
        10,
        7,
        "column title",
        bold=True,
        align=Align.RIGHT,
        max_lines=1,
    )
    y += 5.5
    for item in wb.contents:
        name = f"{item.name} [{item.sku}]" if item.sku else item.name
        used = _flow(c, name, x, y, w - qty_w - 1, 10, "item name")
        c.text(
            str(item.quantity),
            (x + w - qty_w, y, qty_w, used),
            10,
            7,
            "quantity",
            align=Align.RIGHT,
            max_lines=1,
        )
        y += used + 0.8
    c.hrule(x, x + w, y, 0.3)
    y += 1
    total = f"共 {wb.item_count} 件" + (
        f"   重量 {weight_text(wb.weight_g)}" if wb.weight_g else ""
    )
    y += _flow(c, total, x, y, w, 10, "slip totals", bold=True)
    height = c.snap(y + m + 6)
    return Page(SLIP_WIDTH_MM, height, tuple(c.items))


def _flow(
    c: _Canvas,
    text: str,
    x: float,
    y: float,
    w: float,
    size_pt: float,
    what: str,
    bold: bool = False,
) -> float:
    """Text at one size, as many lines as it needs (the slip grows); the height used."""
    fitted = c.text(text, (x, y, w, 10_000), size_pt, size_pt, what, bold=bold)
    return fitted.height_mm if fitted else 0.0

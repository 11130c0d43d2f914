"""The carriers' own e-waybill templates, drawn with the same canvas as our layout.

Two designs, chosen by the data the waybill carries (`Waybill.template`):

- CARRIER, the one-piece e-waybill of the 通达系, JD and EMS (the areas of the
  postal standard YZ/T 0148 and GB/T 41833): header with the marks, the sort
  code (三段码, or 大头笔) as large as the width allows, the package centre
  (集包地), the Code 128 of the waybill number with its digits, recipient,
  sender, contents with the carrier's QR code, signature.
- SF_PRIVACY, SF's privacy label (丰密面单): product code boxed in the header,
  the barcode, the destination route label (destRouteLabel) large, the
  twoDimensionCode QR beside the inbound / outbound mapping codes and the A/E
  and XB marks, then the masked parties; printFlag decides which of the parties'
  names and phones are shown.

Both come in 76x130 and 100x150; 100x180 is the 100x150 design with the
tear-off stub of the general layout below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from printers.fonts import PT_MM
from printers.layout import (
    SENDER,
    Align,
    PartyStyle,
    VAlign,
    _bold_line,
    _Canvas,
    _carrier_name,
    _code_area,
    _contents,
    _header,
    _header_marks,
    _party,
    _recipient,
    _sender,
    _signature,
    _stub,
    marks,
    parcel_facts,
    parent_text,
)
from printers.primitives import Badge, Frame, Page, TextLine
from printers.waybill import Party, SfRouteLabel, Template, Waybill
from station.core.masking import mask_name, mask_phone

Area = Callable[[_Canvas, Waybill, float, float, float, float, float], None]


@dataclass(frozen=True)
class TemplateSize:
    """A template at one paper size: the areas top to bottom with their heights in mm."""

    width_mm: float
    height_mm: float
    areas: tuple[tuple[float, Area], ...]
    scale: float = 1.0
    stub: float = 0.0
    margin: float = 2.0


def build(c: _Canvas, wb: Waybill, layout: str) -> Page:
    """The waybill on its carrier's template at the layout's paper size."""
    size = (SF_SIZES if wb.template is Template.SF_PRIVACY else CARRIER_SIZES)[layout]
    m, s = size.margin, size.scale
    x0, w = m, size.width_mm - 2 * m
    y = m
    total = sum(h for h, _ in size.areas) + size.stub
    c.items.append(Frame(x0, y, w, total, 0.4))
    for i, (h, draw) in enumerate(size.areas):
        if i:
            c.hrule(x0, x0 + w, y, 0.3)
        draw(c, wb, x0, y, w, h, s)
        y += h
    if size.stub:
        c.hrule(x0, x0 + w, y, 0.6, dashed=True)
        _stub(c, wb, x0, y, w, size.stub, s)
    return Page(size.width_mm, size.height_mm, tuple(c.items))


# -- the carriers' one-piece e-waybill -------------------------------------------------


def sort_code(wb: Waybill) -> str:
    """The code sorters read first: the 三段码, else the 大头笔."""
    return wb.sorting_code or wb.routing_code


def qr_content(wb: Waybill) -> str:
    """The label's QR code: SF's twoDimensionCode on an SF label, else the carrier's
    content, else the tracking number."""
    if wb.sf_route is not None and wb.sf_route.two_dimension_code:
        return wb.sf_route.two_dimension_code
    return wb.qr_data


def _sort(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    """三段码 (or 大头笔) as large as the area allows; a 大头笔 given besides the
    三段码 goes on a smaller line below it."""
    second = wb.routing_code if wb.sorting_code and wb.routing_code else ""
    main_h = h * 0.68 if second else h
    _bold_line(c, sort_code(wb), (x + 1, y, w - 2, main_h), 40 * s, 14, "sort code")
    if second:
        _bold_line(c, second, (x + 1, y + main_h, w - 2, h - main_h), 14 * s, 8, "routing code")


def _package_centre(
    c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float
) -> None:
    """集包地: its name, and its code on the right."""
    size_pt = c.metrics.sizes(9 * s, 6)[0]
    tag = "集包地"
    tag_w = c.metrics.width_mm(tag, size_pt) + 1.6
    c.items.append(
        Badge(
            x,
            y,
            tag_w,
            h,
            TextLine(x + 0.8, y + (h - size_pt * PT_MM) / 2, tag, size_pt, True, True),
        )
    )
    code_w = (w - tag_w) * 0.35 if wb.package_centre_code else 0.0
    c.text(
        wb.package_centre or wb.bag_code,
        (x + tag_w + 1.5, y, w - tag_w - code_w - 2.5, h),
        16 * s,
        7,
        "package centre",
        bold=True,
        valign=VAlign.MIDDLE,
        max_lines=1,
    )
    if code_w:
        c.text(
            wb.package_centre_code,
            (x + w - code_w, y, code_w - 1, h),
            16 * s,
            7,
            "package centre code",
            bold=True,
            align=Align.RIGHT,
            valign=VAlign.MIDDLE,
            max_lines=1,
        )


CARRIER_76 = (
    (8.0, _header),
    (16.0, _sort),
    (8.0, _package_centre),
    (22.0, _code_area),
    (26.0, _recipient),
    (13.0, _sender),
    (22.0, _contents),
    (11.0, _signature),
)
CARRIER_100 = (
    (10.0, _header),
    (20.0, _sort),
    (10.0, _package_centre),
    (26.0, _code_area),
    (28.0, _recipient),
    (15.0, _sender),
    (26.0, _contents),
    (11.0, _signature),
)


# -- SF's privacy label (丰密面单) -------------------------------------------------------


def _route(wb: Waybill) -> SfRouteLabel:
    assert wb.sf_route is not None, "the SF template is only chosen with a route label"
    return wb.sf_route


def _sf_header(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    """The carrier on the left, the product code boxed on the right, the marks between."""
    route = _route(wb)
    left_w = w * 0.36
    _carrier_name(c, wb, x, y, left_w, h, s)
    box_w = 0.0
    if route.pro_code:
        size_pt = c.metrics.sizes(min(22 * s, (h - 1) / PT_MM / 1.15), 8)[0]
        box_w = c.metrics.width_mm(route.pro_code, size_pt) + 1.6
        c.badges([route.pro_code], x + w, y + 0.5, h - 1, size_pt)
    middle_w = w - left_w - box_w - 1
    shown = marks(wb)
    name_h = h / 2 if shown else h
    c.text(
        route.pro_name,
        (x + left_w, y + 0.3, middle_w - 1, name_h - 0.3),
        10 * s,
        6,
        "product name",
        align=Align.RIGHT,
        valign=VAlign.MIDDLE,
        max_lines=1,
    )
    if shown:
        _header_marks(c, shown, x + left_w + middle_w - 1, y, middle_w - 1, h, s)


def _sf_route(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    label = _route(wb).dest_route_label or sort_code(wb)
    _bold_line(c, label, (x + 1, y, w - 2, h), 40 * s, 14, "destination route label")


def _sf_codes(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    """The twoDimensionCode on the left; the mapping codes and the A/E, XB marks right."""
    route = _route(wb)
    qr_size = h - 2
    c.qr(qr_content(wb), x + 1, y + 1, qr_size)
    rx = x + qr_size + 3
    c.vrule(rx - 1, y, y + h)
    rw = w - (rx - x) - 1
    flags = []
    if route.ab_flag:
        flags.append(route.ab_flag)
    if route.xb_flag == "1":
        flags.append("XB")
    flags_h = 6.0 * s if flags else 0.0
    mapping_h = h - flags_h
    inbound = (rx, y + 0.5, rw * 0.6, mapping_h - 0.5)
    _bold_line(c, route.coding_mapping, inbound, 36 * s, 12, "inbound mapping code")
    outbound = (rx + rw * 0.6, y + 0.5, rw * 0.4, mapping_h - 0.5)
    _bold_line(c, route.coding_mapping_out, outbound, 20 * s, 8, "outbound mapping code")
    if flags:
        size_pt = c.metrics.sizes(min(12 * s, (flags_h - 1.2) / PT_MM), 6)[0]
        c.badges(flags, rx + rw, y + h - flags_h + 0.3, flags_h - 1.0, size_pt)


def sf_parties(wb: Waybill) -> tuple[Party, Party]:
    """Recipient and sender as the 丰密 rules show them: names and phones masked unless
    printFlag asks for them (or masking is switched off, for the recipient)."""
    route = _route(wb)
    r, p = wb.recipient, wb.shown_sender
    recipient = Party(
        r.name if not wb.mask_recipient or route.shows(6) else mask_name(r.name),
        r.phone if not wb.mask_recipient or route.shows(7) else mask_phone(r.phone),
        r.address,
    )
    sender = Party(
        p.name if route.shows(1) else mask_name(p.name),
        p.phone if route.shows(2) else mask_phone(p.phone),
        p.address,
    )
    return recipient, sender


SF_RECIPIENT = PartyStyle("收", "recipient", 6.0, 0.6, 1.0, (12, 6), (12, 6), bold=True)


def _sf_recipient(
    c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float
) -> None:
    _party(c, SF_RECIPIENT, sf_parties(wb)[0], x, y, w, h, s)


def _sf_sender(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    _party(c, SENDER, sf_parties(wb)[1], x, y, w, h, s)


def _sf_contents(c: _Canvas, wb: Waybill, x: float, y: float, w: float, h: float, s: float) -> None:
    """托寄物 with the count, the weight, the mother waybill and the order number on
    one line below."""
    facts = parcel_facts(wb)
    if parent := parent_text(wb):
        facts.append(parent)
    if wb.order_number:
        facts.append(f"订单 {wb.order_number}")
    facts_h = 4.2 * s if facts else 0.0
    c.text(
        f"托寄物：{wb.summary}" if wb.summary else "",
        (x + 1, y + 0.5, w - 2, h - facts_h - 1),
        9 * s,
        6,
        "contents summary",
    )
    if facts:
        c.text(
            "   ".join(facts),
            (x + 1, y + h - facts_h - 0.3, w - 2, facts_h),
            8 * s,
            5.5,
            "item count, weight and order number",
            max_lines=1,
        )


SF_76 = (
    (12.0, _sf_header),
    (20.0, _code_area),
    (14.0, _sf_route),
    (24.0, _sf_codes),
    (20.0, _sf_recipient),
    (12.0, _sf_sender),
    (14.0, _sf_contents),
    (10.0, _signature),
)
SF_100 = (
    (14.0, _sf_header),
    (24.0, _code_area),
    (16.0, _sf_route),
    (28.0, _sf_codes),
    (22.0, _sf_recipient),
    (14.0, _sf_sender),
    (17.0, _sf_contents),
    (11.0, _signature),
)

CARRIER_SIZES = {
    "76x130": TemplateSize(76, 130, CARRIER_76),
    "100x150": TemplateSize(100, 150, CARRIER_100, scale=1.25),
    "100x180": TemplateSize(100, 180, CARRIER_100, scale=1.25, stub=30),
}
SF_SIZES = {
    "76x130": TemplateSize(76, 130, SF_76),
    "100x150": TemplateSize(100, 150, SF_100, scale=1.25),
    "100x180": TemplateSize(100, 180, SF_100, scale=1.25, stub=30),
}

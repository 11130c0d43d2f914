"""The printer the bench talks to: render (pure CPU) then send (I/O)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PIL import Image

from printers import layout as layouts
from printers import render_pdf, render_raster, tspl, urls
from printers.errors import PrinterError
from printers.jobs import JobKind, LabelJob, PrintResult
from printers.transports import Transport, safe_name
from printers.waybill import Waybill

if TYPE_CHECKING:
    from printers.escpos import EscposProfile

DPIS = (203, 300)


class Printer:
    """A printer reached through one URL, printing one layout."""

    def __init__(
        self,
        url: str,
        layout_name: str,
        renderer: Callable[[Waybill], LabelJob],
        transport: Transport,
    ) -> None:
        self.url = url
        self.layout = layout_name
        self._renderer = renderer
        self._transport = transport

    def render(self, waybill: Waybill) -> LabelJob:
        """The label as bytes for this printer; PrinterError('no_fit') if it cannot fit."""
        return self._renderer(waybill)

    def send(self, job: LabelJob) -> PrintResult:
        """Send a rendered job (blocks; call it on the printer's thread)."""
        return self._transport.send(job)

    def print(self, waybill: Waybill) -> PrintResult:
        return self.send(self.render(waybill))


def open_printer(url: str, layout: str = "76x130", dpi: int | None = None) -> Printer:
    """A printer for a URL (see printers.urls); no I/O happens until send()."""
    layouts.check_layout(layout)
    address = urls.parse(url)
    dpi = dpi or address.int_option("dpi", 203)
    if dpi not in DPIS:
        raise PrinterError(
            "unsupported", f"Printing at {dpi} dpi is not supported; use 203 or 300."
        )
    renderer = _renderer(address, layout, dpi)
    return Printer(url, layout, renderer, urls.transport(address, layouts.page_size(layout)))


def _renderer(
    address: urls.PrinterAddress, layout_name: str, dpi: int
) -> Callable[[Waybill], LabelJob]:
    if address.language == "wxprint":
        return lambda wb: LabelJob(
            _print_info(wb),
            "wxprint",
            _name(wb, layout_name),
            (wb.parcel_number, wb.parcel_count),
        )
    if address.language == "pdf":
        return lambda wb: _job(
            render_pdf.render(layouts.build(wb, layout_name, dpi), title=_name(wb, layout_name)),
            "pdf",
            wb,
            layout_name,
        )
    if address.language == "tspl":
        return lambda wb: _job(tspl.job(wb, layout_name, dpi), "tspl", wb, layout_name)
    # python-escpos takes a fifth of a second to import: only ESC/POS printers pay it.
    from printers import escpos

    default_width = (
        layouts.SLIP_WIDTH_MM
        if layout_name == "slip"
        else (layouts.page_size(layout_name) or (0, 0))[0]
    )
    profile = escpos.EscposProfile(dpi, address.float_option("width", default_width))
    mode = address.option("mode", "native" if address.link == "serial" else "raster")
    if mode == "native":
        return lambda wb: _job(
            escpos.native_job(wb, profile, slip=layout_name == "slip"), "escpos", wb, layout_name
        )
    if mode != "raster":
        raise PrinterError("bad_url", f"ESC/POS mode must be native or raster, not {mode!r}.")
    return lambda wb: _job(_raster(wb, layout_name, profile), "escpos", wb, layout_name)


def _raster(wb: Waybill, layout_name: str, profile: EscposProfile) -> bytes:
    from printers import escpos

    image = render_raster.render(layouts.build(wb, layout_name, profile.dpi), profile.dpi)
    if image.width > profile.print_width_dots:
        raise PrinterError(
            "no_fit",
            f"The {layout_name} label is {image.width} dots wide but this printer prints "
            f"{profile.print_width_dots} ({profile.print_width_mm:g} mm). Choose a narrower "
            "layout, or set the printer's real width with ?width=MM in its address.",
        )
    return escpos.raster_job(image)


def _print_info(wb: Waybill) -> bytes:
    """What the WeChat Shop print component prints: the e-waybill's own print data."""
    if not wb.print_info:
        raise PrinterError(
            "bad_data",
            f"The waybill {wb.tracking_number} has no WeChat Shop print data: the WeChat Shop "
            "print component prints only WeChat Shop e-waybills. Take a WeChat Shop e-waybill "
            "for this order, or choose another printer for this carrier.",
        )
    return wb.print_info.encode("utf-8")


def _name(wb: Waybill, layout_name: str) -> str:
    kind = "slip" if layout_name == "slip" else "waybill"
    return f"{kind}-{safe_name(wb.tracking_number)}" + ("-reprint" if wb.reprint else "")


def _job(data: bytes, kind: JobKind, wb: Waybill, layout_name: str) -> LabelJob:
    return LabelJob(data, kind, _name(wb, layout_name))


def preview_image(waybill: Waybill, layout: str = "76x130", dpi: int = 203) -> Image.Image:
    """The label as the raster printer would print it, black on white (mode 'L')."""
    page = layouts.build(waybill, layout, dpi)
    return render_raster.to_preview(render_raster.render(page, dpi)).convert("L")

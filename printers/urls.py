"""Printer URLs: which language a printer speaks and how to reach it.

    pdf:DIR                                   PDF files in a folder
    escpos+tcp://HOST:9100                    ESC/POS over the network (raw port 9100)
    escpos+serial:///dev/ttyUSB0?baud=19200   ESC/POS over a serial port
    escpos+usb://VID:PID                      ESC/POS over USB (hex ids, needs pyusb)
    escpos+file:///dev/usb/lp0                ESC/POS written to a device file
    tspl+tcp:// tspl+serial:// tspl+usb:// tspl+file://   the same for TSPL label printers
    system:NAME                               an installed OS printer (desktop app only)
    wxprint://127.0.0.1:12705?printer=NAME    the WeChat Shop print component (WeChat Shop
                                              e-waybills only; printer= its name or display
                                              name, left out: the component's default)

Query options: dpi=203|300, width=MM (printable width), mode=native|raster
(ESC/POS; serial defaults to native, the rest to raster), timeout=SECONDS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from printers.errors import PrinterError
from printers.transports import DeviceFile, PdfFolder, Serial, System, Tcp, Transport, Usb

LANGUAGES = ("escpos", "tspl")
LINKS = ("tcp", "serial", "usb", "file")


@dataclass(frozen=True)
class PrinterAddress:
    """A parsed printer URL."""

    language: str
    link: str
    target: str
    options: dict[str, str] = field(default_factory=dict)

    def option(self, name: str, default: str) -> str:
        return self.options.get(name, default)

    def int_option(self, name: str, default: int) -> int:
        value = self.option(name, str(default))
        try:
            return int(value)
        except ValueError:
            raise _bad(f"{name}={value} is not a whole number") from None

    def float_option(self, name: str, default: float) -> float:
        value = self.option(name, str(default))
        try:
            return float(value)
        except ValueError:
            raise _bad(f"{name}={value} is not a number") from None


def _bad(why: str) -> PrinterError:
    return PrinterError(
        "bad_url",
        f"The printer address is not valid: {why}. Examples: pdf:/home/me/labels, "
        "escpos+tcp://192.168.1.50:9100, tspl+usb://0fe6:811e, system:Deli-DL888",
    )


def parse(url: str) -> PrinterAddress:
    """Split a printer URL into language, link and target; PrinterError('bad_url') if odd."""
    url = url.strip()
    scheme, sep, rest = url.partition(":")
    if not sep or not rest:
        raise _bad(f"{url!r} has no scheme")
    if scheme == "pdf":
        return PrinterAddress("pdf", "folder", rest)
    if scheme == "system":
        return PrinterAddress("pdf", "system", unquote(rest))
    if scheme == "wxprint":
        return _wxprint(url)
    language, plus, link = scheme.partition("+")
    if not plus or language not in LANGUAGES or link not in LINKS:
        raise _bad(f"unknown kind of printer {scheme!r}")
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if link == "tcp":
        if not parts.hostname:
            raise _bad("a network printer needs a host, e.g. escpos+tcp://192.168.1.50:9100")
        try:
            port = parts.port or 9100
        except ValueError:
            raise _bad("the port must be a number") from None
        return PrinterAddress(language, link, f"{parts.hostname}:{port}", options)
    if link == "usb":
        return PrinterAddress(language, link, parts.netloc, options)
    if not parts.path:
        raise _bad(f"{link} printers need a device path, e.g. {scheme}:///dev/ttyUSB0")
    return PrinterAddress(language, link, unquote(parts.path), options)


def _wxprint(url: str) -> PrinterAddress:
    parts = urlsplit(url)
    try:
        port = parts.port or 12705
    except ValueError:
        raise _bad("the port must be a number, e.g. wxprint://127.0.0.1:12705") from None
    host = parts.hostname or "127.0.0.1"
    return PrinterAddress("wxprint", "wxprint", f"{host}:{port}", dict(parse_qsl(parts.query)))


def transport(address: PrinterAddress, page_mm: tuple[float, float] | None = None) -> Transport:
    """The transport for an address (no I/O happens here); `page_mm` is the label's
    size, for printers told it (the WeChat Shop print component)."""
    default_timeout = {"tcp": 5.0, "wxprint": 15.0}.get(address.link, 30.0)
    timeout = address.float_option("timeout", default_timeout)
    match address.link:
        case "folder":
            return PdfFolder(Path(address.target).expanduser())
        case "system":
            return System(address.target)
        case "tcp":
            host, _, port = address.target.rpartition(":")
            return Tcp(host, int(port), address.language, timeout)
        case "serial":
            return Serial(
                address.target, address.int_option("baud", 9600), address.language, timeout
            )
        case "wxprint":
            # websockets takes a seventh of a second to import: only this printer pays it.
            from printers.wxprint import STANDARD_SIZE_MM, WxPrint

            host, _, port = address.target.rpartition(":")
            return WxPrint(
                host, int(port), address.option("printer", ""), timeout, page_mm or STANDARD_SIZE_MM
            )
        case "usb":
            vendor, _, product = address.target.partition(":")
            try:
                return Usb(int(vendor, 16), int(product, 16))
            except ValueError:
                raise _bad("USB printers are given as VID:PID in hex, e.g. 0fe6:811e") from None
        case _:
            return DeviceFile(Path(address.target))

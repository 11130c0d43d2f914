"""Helpers for the printers tests: barcode reading, a GS v 0 decoder, a fake network printer.

No tests here; the test_printers_* modules import from it.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

INIT = b"\x1b@"


def read_codes(image: Image.Image) -> dict[str, set[str]]:
    """Every barcode zxing-cpp finds, by format name ('Code128', 'QRCode')."""
    found: dict[str, set[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, set()).add(result.text)
    return found


def pdf_pages(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def pdf_image(data: bytes, dpi: int = 203) -> Image.Image:
    return pdf_pages(data)[0].render(scale=dpi / 72).to_pil()


def pdf_text(data: bytes) -> str:
    return pdf_pages(data)[0].get_textpage().get_text_range()


def decode_raster(data: bytes) -> Image.Image:
    """Turn an ESC @ + GS v 0 ... + cut stream back into a black-on-white image.

    Strict: any byte that is not part of those commands fails the test, so a
    stray command in the stream is noticed.
    """
    pos = 0
    strips: list[Image.Image] = []
    width = None
    while pos < len(data):
        if data.startswith(INIT, pos):
            pos += 2
        elif data.startswith(b"\x1dv0", pos):
            mode = data[pos + 3]
            assert mode == 0, f"density mode {mode}"
            xbytes = int.from_bytes(data[pos + 4 : pos + 6], "little")
            rows = int.from_bytes(data[pos + 6 : pos + 8], "little")
            body = data[pos + 8 : pos + 8 + xbytes * rows]
            assert len(body) == xbytes * rows, "truncated raster block"
            assert width in (None, xbytes * 8), "raster blocks of different widths"
            width = xbytes * 8
            ink = Image.frombytes("1", (width, rows), body)
            strips.append(ink.point(lambda v: 0 if v else 255, mode="1"))
            pos += 8 + xbytes * rows
        elif data.startswith(b"\x1bd", pos) or data.startswith(b"\x1dV", pos):
            pos += 3
        else:
            raise AssertionError(f"unexpected byte {data[pos]:#04x} at {pos}")
    assert strips, "no raster image in the stream"
    image = Image.new("1", (width, sum(s.height for s in strips)), 255)
    top = 0
    for strip in strips:
        image.paste(strip, (0, top))
        top += strip.height
    return image


@dataclass
class FakePrinter:
    """A TCP printer on 127.0.0.1 that answers status queries and records the job.

    `replies` maps a status query (b'\\x10\\x04\\x04', b'\\x1b!?') to its reply byte;
    queries missing from it get no answer, like printers that ignore them.
    """

    replies: dict[bytes, int] = field(default_factory=dict)
    received: bytearray = field(default_factory=bytearray)
    queries: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self._server.accept()
        with conn:
            buffer = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                buffer = self._answer(conn, buffer)
            self.received.extend(buffer)
        self._done.set()

    def _answer(self, conn: socket.socket, buffer: bytes) -> bytes:
        for query in (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04", b"\x1b!?"):
            if buffer.startswith(query):
                self.queries.append(query)
                if query in self.replies:
                    conn.sendall(bytes([self.replies[query]]))
                return self._answer(conn, buffer[len(query) :])
        self.received.extend(buffer)
        return b""

    def wait(self, timeout: float = 5.0) -> bytes:
        assert self._done.wait(timeout), "the fake printer never saw the connection close"
        return bytes(self.received)

    def close(self) -> None:
        self._server.close()


READY_ESCPOS = {b"\x10\x04\x01": 0x12, b"\x10\x04\x02": 0x12, b"\x10\x04\x04": 0x12}

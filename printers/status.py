"""Real-time printer status: the few bytes that tell paper-out from cover-open.

ESC/POS `DLE EOT n` (Epson ESC/POS reference, "Transmit real-time status"):
every reply byte has bit 1 and bit 4 set and bits 0 and 7 clear, which is how a
status byte is told apart from noise.
  n=1 printer status: bit 3 offline.
  n=2 offline cause: bit 2 cover open, bit 5 stopped at paper end, bit 6 error.
  n=4 roll paper sensor: bits 5-6 paper end (bits 2-3 only near end: still prints).
TSPL `ESC !?` (TSPL/TSPL2 programming manual): one byte, bit 0 head open,
bit 1 paper jam, bit 2 paper out, bit 3 ribbon out, bit 4 paused, bit 7 other error.
A printer that does not answer is assumed ready: many cheap ones never reply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from printers.errors import ErrorCode, PrinterError

ESCPOS_QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04")
TSPL_QUERY = b"\x1b!?"

PLAIN = {
    "paper_out": "The printer is out of paper (or labels). Load a new roll, then print again.",
    "cover_open": "The printer's cover is open. Close it firmly, then print again.",
    "paper_jam": "Labels are jammed in the printer. Open it, clear the jam, close it and "
    "print again.",
    "offline": "The printer reports it is offline or in an error state. Check its lights, "
    "switch it off and on, then print again.",
}


@dataclass(frozen=True)
class Problem:
    code: ErrorCode
    message: str

    def error(self, where: str) -> PrinterError:
        return PrinterError(self.code, f"{where}: {self.message}")


def _problem(code: ErrorCode) -> Problem:
    return Problem(code, PLAIN[code])


def _escpos_valid(byte: int) -> bool:
    return byte & 0x93 == 0x12


def escpos_problem(query: bytes, byte: int) -> Problem | None:
    """What a DLE EOT reply byte says is wrong, if anything."""
    if not _escpos_valid(byte):
        return None
    n = query[-1]
    if n == 1 and byte & 0x08:
        return _problem("offline")
    if n == 2:
        if byte & 0x04:
            return _problem("cover_open")
        if byte & 0x20:
            return _problem("paper_out")
        if byte & 0x40:
            return _problem("offline")
    if n == 4 and byte & 0x60:
        return _problem("paper_out")
    return None


def tspl_problem(byte: int) -> Problem | None:
    """What an `ESC !?` reply byte says is wrong, if anything."""
    if byte & 0x01:
        return _problem("cover_open")
    if byte & 0x02:
        return _problem("paper_jam")
    if byte & 0x04:
        return _problem("paper_out")
    if byte & 0x98:
        return _problem("offline")
    return None


Exchange = Callable[[bytes], int | None]
"""Send a query, return the one reply byte, or None when the printer stays silent."""


def check(language: str, exchange: Exchange) -> Problem | None:
    """Ask the printer how it is; the first problem found, or None."""
    if language == "tspl":
        reply = exchange(TSPL_QUERY)
        return None if reply is None else tspl_problem(reply)
    for query in ESCPOS_QUERIES:
        reply = exchange(query)
        if reply is None:
            return None
        problem = escpos_problem(query, reply)
        if problem:
            return problem
    return None

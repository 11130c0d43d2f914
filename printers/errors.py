"""The one error the printing package raises, with a machine code and plain words.

The bench shows `str(error)` to the packer as is, so every message says what is
wrong and what to do about it; `code` lets the caller decide (retry, reroute,
ask for paper) without parsing text.
"""

from __future__ import annotations

from typing import Literal

ErrorCode = Literal[
    "offline",
    "refused",
    "timeout",
    "paper_out",
    "cover_open",
    "paper_jam",
    "not_found",
    "permission",
    "disk_full",
    "unsupported",
    "bad_url",
    "no_fit",
    "bad_data",
    "io_error",
]


class PrinterError(Exception):
    """A label could not be rendered or sent; nothing was printed.

    `code` is one of ErrorCode; `message` is the sentence shown to the packer.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message

    def __repr__(self) -> str:
        return f"PrinterError({self.code!r}, {self.message!r})"

"""What rendering produces and what sending returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

JobKind = Literal["pdf", "escpos", "tspl", "wxprint"]


@dataclass(frozen=True)
class LabelJob:
    """A rendered label, ready to send: bytes in one printer language (for
    `wxprint`, the WeChat Shop e-waybill's print_info as UTF-8)."""

    data: bytes
    kind: JobKind
    suggested_name: str
    parcel: tuple[int, int] = (1, 1)
    """This label's parcel and the shipment's parcel count (子母单), for printers told it."""


@dataclass(frozen=True)
class PrintResult:
    """What a print produced: the PDF's path for `pdf:` printers, else None."""

    path: Path | None = None

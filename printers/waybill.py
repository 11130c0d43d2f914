"""The waybill as data, independent of any printer or layout.

Personal data is masked here, once, so that no renderer can forget it: GB/T
41833-2022 asks for the recipient's name and phone to be hidden on the label.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """A sender or recipient as written on the label."""

    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class ContentLine:
    """One line of the parcel's contents: what and how many."""

    name: str
    quantity: int = 1
    sku: str = ""


@dataclass(frozen=True)
class Waybill:
    """Everything a label shows.

    `station` is the bench's own return address; `sender` is the order's sender
    when the order names one (resellers drop-shipping need their own name on the
    label). `routing_code` is the carrier's 大头笔 / 三段码 when known and
    `bag_code` its 集包地. Weight is in integer grams, the insured value in yuan.
    """

    carrier: str
    tracking_number: str
    recipient: Party
    station: Party
    sender: Party | None = None
    service: str = ""
    routing_code: str = ""
    bag_code: str = ""
    contents: tuple[ContentLine, ...] = ()
    contents_summary: str = ""
    weight_g: int | None = None
    insured_value: Decimal | None = None
    cold_chain: bool = False
    order_number: str = ""
    printed_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    reprint: bool = False
    mask_recipient: bool = True

    @property
    def shown_sender(self) -> Party:
        """The sender printed on the label: the order's when given, else the station."""
        return self.sender if self.sender is not None else self.station

    @property
    def shown_recipient(self) -> Party:
        """The recipient with name and phone masked unless masking is switched off."""
        if not self.mask_recipient:
            return self.recipient
        r = self.recipient
        return Party(name=mask_name(r.name), phone=mask_phone(r.phone), address=r.address)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.contents)

    @property
    def summary(self) -> str:
        """The contents in one line: the given summary, else the items with quantities."""
        if self.contents_summary:
            return self.contents_summary
        return "，".join(
            line.name if line.quantity == 1 else f"{line.name}×{line.quantity}"
            for line in self.contents
        )


def mask_name(name: str) -> str:
    """Keep the first character and star the rest: '张三' -> '张*', '陈小明' -> '陈**'.

    A one-character name still gets a star so its length is not given away.
    """
    name = name.strip()
    if not name:
        return ""
    rest = [c for c in name[1:] if not c.isspace()]
    return name[0] + "*" * max(1, len(rest))


_MOBILE = re.compile(r"^(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?:[-#转](\d{1,6}))?$")


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number, keeping the last four digits.

    Mobiles keep the first three digits: '13812345678' -> '138****5678' (a
    carrier's privacy-number extension such as '-1234' stays visible, it is needed
    to call). Landlines keep the area code: '021-12341234' -> '021-****1234'.
    Anything else keeps only its last four digits.
    """
    phone = phone.strip()
    mobile = _MOBILE.match(phone)
    if mobile:
        head, _, tail, ext = mobile.groups()
        return f"{head}****{tail}" + (f"-{ext}" if ext else "")
    parts = re.split(r"([- ])", phone)
    if len(parts) >= 3 and re.fullmatch(r"0\d{2,3}", parts[0]):
        area, sep, local = parts[0], parts[1], "".join(parts[2:])
        return area + sep + _keep_last_digits(local, 4)
    return _keep_last_digits(phone, 4)


def _keep_last_digits(text: str, keep: int) -> str:
    """Replace every digit but the last `keep` with '*', leaving separators."""
    total = sum(c.isdigit() for c in text)
    out = []
    seen = 0
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - keep else "*")
        else:
            out.append(c)
    return "".join(out)

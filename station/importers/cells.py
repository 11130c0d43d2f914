"""Turning one cell's text into a value, or a short reason why it cannot be one."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from station.core.model import OrderStatus
from station.core.problem_texts import Text, quoted

_MONEY_NOISE = re.compile(r"[¥￥,，\s元]|^CNY|^RMB", re.IGNORECASE)
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)
_ISO_LIKE = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?")
_CHINA = dt.timezone(dt.timedelta(hours=8))


class BadCell(ValueError):
    """A cell that cannot be read; `str()` is the English, `text` the same by key."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


def _bad(key: str, cell: str) -> BadCell:
    return BadCell(Text.of(key, text=quoted(cell)))


def quantity(text: str) -> int:
    """A positive whole number; Excel's '2.0' counts as 2."""
    if text.isascii() and text.isdigit() and 0 < int(text) <= 100_000:
        return int(text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _bad("not_a_quantity", text) from None
    if not value.is_finite() or value != value.to_integral_value() or value <= 0:
        raise _bad("not_a_whole_quantity", text)
    if value > 100_000:
        raise _bad("quantity_too_large", text)
    return int(value)


@lru_cache(maxsize=4096)
def fen(text: str) -> int:
    """A price in yuan ('¥12.50', '1,234', '12.5元') as whole fen."""
    cleaned = _MONEY_NOISE.sub("", text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _bad("not_yuan", text) from None
    if not value.is_finite() or value < 0 or value > 10**9:
        raise _bad("not_yuan", text)
    return int((value * 100).to_integral_value())


def grams(text: str) -> int:
    try:
        value = Decimal(text.lower().removesuffix("g").strip())
    except InvalidOperation:
        raise _bad("not_grams", text) from None
    if not value.is_finite() or value < 0 or value > 10**7:
        raise _bad("not_grams", text)
    return int(value.to_integral_value())


@lru_cache(maxsize=65536)
def moment(text: str) -> str:
    """An order time as UTC ISO 8601; times without a zone are China time.

    Accepts the usual export formats and Unix seconds (the API's create_time).
    """
    if text.isdigit() and len(text) == 10:
        return _iso(dt.datetime.fromtimestamp(int(text), dt.UTC))
    if _ISO_LIKE.fullmatch(text):
        parsed = dt.datetime.fromisoformat(text)
        return _iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=_CHINA))
    for pattern in _TIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return _iso(parsed.replace(tzinfo=_CHINA))
    raise _bad("not_a_moment", text)


def _iso(moment_: dt.datetime) -> str:
    return moment_.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# WeChat Shop order status: 10 unpaid, 20 to ship, 21 partly shipped, 30 shipped,
# 100 done, 190/200/250 cancelled; and the back office's texts for the same. Each with
# the key of its hold reason (station.core.problem_texts), "" for none.
_STATUS: dict[str, tuple[OrderStatus, str]] = {
    "10": (OrderStatus.HOLD, "hold_not_paid"),
    "待付款": (OrderStatus.HOLD, "hold_not_paid"),
    "20": (OrderStatus.OPEN, ""),
    "待发货": (OrderStatus.OPEN, ""),
    "21": (OrderStatus.OPEN, ""),
    "部分发货": (OrderStatus.OPEN, ""),
    "30": (OrderStatus.HOLD, "hold_shipped_upstream"),
    "已发货": (OrderStatus.HOLD, "hold_shipped_upstream"),
    "待收货": (OrderStatus.HOLD, "hold_shipped_upstream"),
    "100": (OrderStatus.HOLD, "hold_completed_upstream"),
    "已完成": (OrderStatus.HOLD, "hold_completed_upstream"),
    "190": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "200": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "250": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "已取消": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "已关闭": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "open": (OrderStatus.OPEN, ""),
    "hold": (OrderStatus.HOLD, "hold_on_hold_upstream"),
    "cancelled": (OrderStatus.CANCELLED, "hold_cancelled_upstream"),
    "refunded": (OrderStatus.REFUNDED, "hold_refunded_upstream"),
}
_NO_REFUND = ("无", "无售后", "拒绝", "关闭", "撤销", "取消", "none", "no")


@lru_cache(maxsize=256)
def status(status_text: str, refund_text: str) -> tuple[OrderStatus, Text | None]:
    """The station status and hold reason (None for none) for an upstream status and
    refund state; upstream's own text goes into the reason as the file has it."""
    refund = refund_text.strip()
    if refund and not any(word in refund.lower() for word in _NO_REFUND):
        return OrderStatus.REFUNDED, Text.of("hold_refund_upstream", refund=refund)
    text = status_text.strip()
    if not text:
        return OrderStatus.OPEN, None
    found = _STATUS.get(text.lower()) or _STATUS.get(text)
    if found is None:
        raise _bad("unknown_status", text)
    state, key = found
    return state, Text.of(key, status=text) if key else None

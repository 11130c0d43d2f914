"""WeChat errcodes sorted by what the uploader must do about them.

From the upstream reference (shared/reference/upstream-apis.md): token errors
are refreshed once; transient ones are retried with backoff; "already done"
ones count as done only when WeChat holds the same tracking number; invalid
requests need a person; account errors stop the whole target until fixed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    OK = "ok"
    TOKEN = "token"
    TRANSIENT = "transient"
    NOT_YET = "not_yet"  # 10060001: the order is still being stored after payment
    QUOTA = "quota"
    ALREADY = "already"
    INVALID = "invalid"
    ACCOUNT = "account"
    SHOP_STATE = "shop_state"  # WeChat Shop 101100: wrong order status (also on a re-send)
    UNKNOWN = "unknown"


TOKEN = {40001, 42001, 40014}
TRANSIENT = {-1, 10060012, 10060019}
QUOTA_SECONDS = {45011: 60.0, 45009: 3600.0}
ALREADY = {10060002, 10060003, 10060023, 10060004}
INVALID = {
    *range(10060005, 10060010),
    10060014,
    10060020,
    *range(10060024, 10060027),
    10060031,
    *range(268485194, 268485198),
    268485216,
    268485224,
    *range(268485226, 268485229),
    47001,
    48001,
    606034,
}
ACCOUNT = {61004, 45035, 40013, 40125, 40164, 41002, 41004, 40002}
WHITELIST = (61004, 45035, 40164)  # the caller's IP is not on the AppID's whitelist

PLAIN_WORDS = {
    10060004: "the order is not in a shippable state in WeChat (refunded or closed)",
    10060031: "the payer's openid does not match this order",
    268485216: "WeChat refused the upload time",
    47001: "WeChat could not read the request (format error)",
    48001: "this account is not authorised to use the shipping API",
    606034: "the order is bound to another shipper in the shop",
    61004: "this computer's public IP is not on the account's whitelist",
    45035: "this computer's public IP is not on the account's whitelist",
    40013: "the AppID is not valid",
    40125: "the AppSecret is wrong: set it again with `station sync secret set`",
    40164: "this computer's public IP is not on the account's whitelist",
}


def errcode(document: Any) -> int | None:
    """The errcode of a WeChat answer, or None when the answer is not one."""
    if not isinstance(document, dict):
        return None
    code = document.get("errcode")
    if isinstance(code, bool) or not isinstance(code, int):
        return None
    return code


def errmsg(document: Any) -> str:
    message = document.get("errmsg") if isinstance(document, dict) else None
    return message[:200] if isinstance(message, str) else ""


def classify(code: int) -> Kind:
    if code == 0:
        return Kind.OK
    for kind, codes in (
        (Kind.TOKEN, TOKEN),
        (Kind.TRANSIENT, TRANSIENT),
        (Kind.QUOTA, QUOTA_SECONDS),
        (Kind.ALREADY, ALREADY),
        (Kind.INVALID, INVALID),
        (Kind.ACCOUNT, ACCOUNT),
    ):
        if code in codes:
            return kind
    if code == 10060001:
        return Kind.NOT_YET
    if code == 101100:
        return Kind.SHOP_STATE
    return Kind.UNKNOWN


def describe(code: int, message: str) -> str:
    """The error in plain words, with WeChat's code and text for the technician."""
    words = PLAIN_WORDS.get(code, "WeChat refused the request")
    return f"{words} (WeChat {code}: {message or 'no message'})"

"""The carrier catalogue: WeChat company codes, names, services and tracking-number shapes.

Codes are those of WeChat's shipping APIs (get_delivery_list). The patterns are
sanity checks against typos and wrong scans, not proof of a carrier: digit-only
patterns of different carriers overlap (see shared reference
waybills-and-carriers.md).

`CARRIERS` holds the built-in defaults. The editable catalogue lives in the
database (`station.store.catalogue`), seeded from these; it is the one source of
names, patterns and tracking links wherever a database is at hand, so the
functions here take the catalogue as an argument rather than reading `CARRIERS`.

Patterns are matched with RE2 (google-re2), whose time grows linearly with the
text: a pattern such as `(\\d+)+Z` that makes Python's backtracking `re` run for
seconds on a 26-digit scan (on the GUI thread, at every unknown scan) costs
microseconds there. RE2 has no back-references or look-arounds; a pattern using
them is refused where it is typed or imported (`pattern_problem`), and one stored
by an older version matches nothing. With patterns of at most
`MAX_PATTERN_LENGTH` characters and scans cut off at `MAX_WAYBILL_LENGTH`, one
match is bounded whatever was typed or scanned.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import re2

MAX_PATTERN_LENGTH = 200
"""Longest waybill-number pattern accepted; the built-in ones are under 40."""
MAX_WAYBILL_LENGTH = 40
"""Longest text matched against a pattern: waybill numbers have 9 to 20 characters,
so a longer scan is no waybill number of any carrier."""


class Service(StrEnum):
    STANDARD = "standard"
    EXPRESS = "express"
    COLD_CHAIN = "cold_chain"
    INSURED = "insured"


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name_zh: str
    name_en: str
    pattern: str
    tracking_url: str = ""
    services: tuple[str, ...] = (Service.STANDARD,)

    def accepts(self, tracking_no: str) -> bool:
        number = tracking_no.strip()
        if len(number) > MAX_WAYBILL_LENGTH:
            return False
        compiled = _compiled(self.pattern)
        return compiled is not None and compiled.fullmatch(number) is not None

    def offers(self, service: str) -> bool:
        return service in self.services


WECHAT_CODES = frozenset(
    {"SF", "ZTO", "YTO", "STO", "YD", "JTSD", "JD", "DBL", "YZPY", "EMS", "OTHER"}
)
"""WeChat's company codes as documented (shared reference waybills-and-carriers.md),
until the station has fetched the authoritative list (get_delivery_list) from a
WeChat target: `station.store.wechat_carriers`."""

_ALL = (Service.STANDARD, Service.EXPRESS, Service.COLD_CHAIN, Service.INSURED)
_TONGDA = (Service.STANDARD, Service.INSURED)

CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        Carrier("SF", "顺丰速运", "SF Express", r"SF\d{12,13}", services=_ALL),
        Carrier("ZTO", "中通快递", "ZTO Express", r"\d{12,15}", services=_TONGDA),
        Carrier("YTO", "圆通速递", "YTO Express", r"YT\d{13}", services=_TONGDA),
        Carrier("STO", "申通快递", "STO Express", r"(77|43)\d{10,13}", services=_TONGDA),
        Carrier("YD", "韵达速递", "Yunda Express", r"[34]\d{14}|5\d{12}", services=_TONGDA),
        Carrier("JTSD", "极兔速递", "J&T Express", r"JT\d{12,13}", services=_TONGDA),
        Carrier("JD", "京东物流", "JD Logistics", r"JD[0-9A-Z]{2}\d{11,12}", services=_ALL),
        Carrier("DBL", "德邦快递", "Deppon Express", r"(DPK)?\d{9,15}", services=_TONGDA),
        Carrier(
            "YZPY", "邮政快递包裹", "China Post", r"\d{13}|[A-Z]{2}\d{9}[A-Z]{2}", services=_TONGDA
        ),
        Carrier(
            "EMS",
            "EMS",
            "EMS",
            r"[159]\d{12}|[A-Z]{2}\d{9}[A-Z]{2}",
            services=(Service.STANDARD, Service.EXPRESS, Service.INSURED),
        ),
    )
}


class UnsafePattern(ValueError):
    """A pattern RE2 cannot run, or one too long; the message says why."""


def compile_pattern(pattern: str) -> re2._Regexp:
    """The pattern compiled for a case-insensitive whole-number match.

    Raises UnsafePattern, saying why, when it is longer than MAX_PATTERN_LENGTH or
    RE2 refuses it (a back-reference, a look-around, a repetition over 1000, a
    program too large)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(
            f"{len(pattern)} characters long, more than the {MAX_PATTERN_LENGTH} allowed"
        )
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        if str(reason).startswith(("invalid escape", "invalid perl operator")):
            reason = f"{reason} (back-references and look-arounds are not supported)"
        raise UnsafePattern(str(reason)) from None


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern cannot be used, or None when it can."""
    try:
        compile_pattern(pattern)
    except UnsafePattern as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re2._Regexp | None:
    """The compiled pattern, None for one that cannot be used (it accepts nothing)."""
    try:
        return compile_pattern(pattern)
    except UnsafePattern:
        return None


class UnknownCarrier(KeyError):
    pass


def carrier(code: str) -> Carrier:
    try:
        return CARRIERS[code.upper()]
    except KeyError:
        raise UnknownCarrier(code) from None


SERVICE_NAMES_ZH: dict[str, str] = {
    Service.STANDARD: "标准快递",
    Service.EXPRESS: "特快",
    Service.COLD_CHAIN: "冷链",
    Service.INSURED: "保价",
}
"""How a service reads on a label (a service the table lacks prints as given)."""


def carrier_name(code: str, catalogue: Mapping[str, Carrier]) -> str:
    """The carrier's Chinese name as couriers and buyers read it, from the catalogue
    given (by upper-case code); the code itself when the catalogue does not know it
    (and "" for no carrier)."""
    known = catalogue.get(code.upper())
    return known.name_zh if known else code


def looks_like_tracking(code: str, carriers: Iterable[Carrier]) -> bool:
    """True when a scan has the shape of one of these carriers' waybill numbers.

    Patterns that start with `\\d` are left out: numbers of digits only are also what
    order numbers and product barcodes look like."""
    return any(c.accepts(code) for c in carriers if not c.pattern.startswith(r"\d"))

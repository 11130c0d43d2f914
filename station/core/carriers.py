"""The carrier catalogue: WeChat company codes, names and tracking-number shapes.

Codes are those of WeChat's shipping APIs (get_delivery_list). The patterns are
sanity checks against typos and wrong scans, not proof of a carrier: digit-only
patterns of different carriers overlap (see shared reference
waybills-and-carriers.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name_zh: str
    name_en: str
    pattern: str
    tracking_url: str = ""

    def accepts(self, tracking_no: str) -> bool:
        return re.fullmatch(self.pattern, tracking_no.strip(), re.IGNORECASE) is not None


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        Carrier("SF", "顺丰速运", "SF Express", r"SF\d{12,13}"),
        Carrier("ZTO", "中通快递", "ZTO Express", r"\d{12,15}"),
        Carrier("YTO", "圆通速递", "YTO Express", r"YT\d{13}"),
        Carrier("STO", "申通快递", "STO Express", r"(77|43)\d{10,13}"),
        Carrier("YD", "韵达速递", "Yunda Express", r"[34]\d{14}|5\d{12}"),
        Carrier("JTSD", "极兔速递", "J&T Express", r"JT\d{12,13}"),
        Carrier("JD", "京东物流", "JD Logistics", r"JD[0-9A-Z]{2}\d{11,12}"),
        Carrier("DBL", "德邦快递", "Deppon Express", r"(DPK)?\d{9,15}"),
        Carrier("YZPY", "邮政快递包裹", "China Post", r"\d{13}|[A-Z]{2}\d{9}[A-Z]{2}"),
        Carrier("EMS", "EMS", "EMS", r"[159]\d{12}|[A-Z]{2}\d{9}[A-Z]{2}"),
    )
}


class UnknownCarrier(KeyError):
    pass


def carrier(code: str) -> Carrier:
    try:
        return CARRIERS[code.upper()]
    except KeyError:
        raise UnknownCarrier(code) from None


def looks_like_tracking(code: str) -> bool:
    """True when a scan has the shape of some carrier's waybill number."""
    return any(c.accepts(code) for c in CARRIERS.values() if not c.pattern.startswith(r"\d"))

"""Personal data masked: on labels and screens (a name, a phone) and in log text.

One set of rules for both, so that a phone number reads the same on a waybill and in
the log: mobiles keep their first three and last four digits ('138****5678'),
landlines their area code and last four ('021-****1234'), a virtual number its
extension ('138****5678-1234', '138****5678转1234': it is needed to call). GB/T
41833-2022 asks for the recipient's name and phone to be hidden on the label.

The log masker also hides what only looks like a phone (any run of 7 to 12 digits
keeps its last four: a mistyped '1381234567' must not reach the log whole) and
street addresses. Longer runs are order and waybill numbers, which the log needs.
"""

from __future__ import annotations

import re

_EXTENSION = r"(?P<ext>[-#转]\d{1,6})"
_MOBILE = r"(?:\+?86[-\s]?)?(?P<head>1[3-9]\d)[-\s]?\d{4}[-\s]?(?P<tail>\d{4})" + _EXTENSION + "?"
_LANDLINE = r"(?P<area>0\d{2,3})(?P<sep>[-\s])(?P<local>\d{3,4}[-\s]?\d{4})" + _EXTENSION + "?"

_WHOLE_MOBILE = re.compile(_MOBILE)
_WHOLE_LANDLINE = re.compile(_LANDLINE)
_MOBILE_IN_TEXT = re.compile(rf"(?<!\d){_MOBILE}(?!\d)")
_LANDLINE_IN_TEXT = re.compile(rf"(?<!\d){_LANDLINE}(?!\d)")
# Not next to a letter: 'WX2026030200012345' and 'SF1234567890123' are not phones.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d{7,12}(?![0-9A-Za-z])")

_PROVINCES = (
    "黑龙江|内蒙古|北京|天津|上海|重庆|河北|山西|辽宁|吉林|江苏|浙江|安徽|福建|江西|山东|"
    "河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_SUFFIX = "壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市"
_CHAR = r"[\u4e00-\u9fff0-9A-Za-z#\-－()（）]"
_TAIL = rf"(?:{_CHAR}|\s(?=[0-9\u4e00-\u9fff]))"
_DETAIL = r"[区县镇乡路街道巷弄号栋幢楼室村组]|单元|小区|大厦|公寓|花园"
_WITH_PROVINCE = re.compile(
    rf"(?P<keep>(?:{_PROVINCES})(?:{_PROVINCE_SUFFIX})?"
    rf"(?:[\u4e00-\u9fff]{{1,7}}?(?:自治州|地区|市|盟))?)(?P<rest>{_TAIL}+)"
)
_WITHOUT_PROVINCE = re.compile(
    rf"[\u4e00-\u9fff]{{1,12}}?(?:市|区|县|镇|乡|街道){_TAIL}*?\d+\s?"
    rf"(?:号|栋|幢|楼|室|单元|弄|巷)(?:\s?{_CHAR}*?\d+\s?(?:号|栋|幢|楼|层|室|单元))*"
)
_DETAIL_RE = re.compile(_DETAIL)
ADDRESS_HIDDEN = "[地址]"


def mask_name(name: str) -> str:
    """Keep the first character and star the rest: '张三' -> '张*', '陈小明' -> '陈**'.

    A one-character name still gets a star so its length is not given away.
    """
    name = name.strip()
    if not name:
        return ""
    rest = [c for c in name[1:] if not c.isspace()]
    return name[0] + "*" * max(1, len(rest))


def mask_phone(phone: str) -> str:
    """A phone number with its middle hidden (see the module's docstring); anything
    that is neither a mobile nor a landline keeps only its last four digits."""
    phone = phone.strip()
    mobile = _WHOLE_MOBILE.fullmatch(phone)
    if mobile:
        return _masked_mobile(mobile)
    landline = _WHOLE_LANDLINE.fullmatch(phone)
    if landline:
        return _masked_landline(landline)
    return _keep_last_digits(phone, 4)


def mask_personal(text: str) -> str:
    """Free text (a log line, a buyer's note) with phone numbers, digit runs that could
    be one, and street addresses masked."""
    text = _MOBILE_IN_TEXT.sub(_masked_mobile, text)
    text = _LANDLINE_IN_TEXT.sub(_masked_landline, text)
    text = _DIGIT_RUN.sub(lambda m: _keep_last_digits(m[0], 4), text)
    text = _WITH_PROVINCE.sub(_keep_province, text)
    return _WITHOUT_PROVINCE.sub(ADDRESS_HIDDEN, text)


def _masked_mobile(match: re.Match[str]) -> str:
    return f"{match['head']}****{match['tail']}{match['ext'] or ''}"


def _masked_landline(match: re.Match[str]) -> str:
    local = _keep_last_digits(match["local"], 4)
    return f"{match['area']}{match['sep']}{local}{match['ext'] or ''}"


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


def _keep_province(match: re.Match[str]) -> str:
    if not _DETAIL_RE.search(match["rest"]):
        return match[0]
    return f"{match['keep']}***"

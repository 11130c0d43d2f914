"""Recipients' phone numbers: which a carrier can call, and which need a second look.

Accepted (spaces, dots and dashes between the groups are ignored):

- mainland mobiles, 11 digits `1[3-9]x xxxx xxxx`, with or without `+86` / `0086` /
  `86` in front;
- landlines with their area code (010, 02X, 0XXX) then 7-8 digits (`010-12345678`,
  `(0755) 1234567`; after `+86` the area code's `0` is dropped: `+86 20 12345678`);
- either followed by an extension (`-1234`, `转1234`, `ext 12`, `#12`): the virtual
  numbers WeChat Shop and other platforms give, `138xxxxxxxx-1234`.

Anything else (empty, too short, `12345678901`, letters) is flagged at import, so
an order without a number a courier can call never reaches the bench unflagged
(SF refuses such a parcel at upload, after it has left).
"""

from __future__ import annotations

import re

from station.core.problem_texts import Text

_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋（）－　", "0123456789+()- ")
_PREFIX = r"(?:\+86|0086|86)?"
_MOBILE = r"1[3-9]\d{9}"
# Area codes: 010, 02X, then 0 + three digits from 03XX on; local numbers start 2-9.
_AREA = r"(?:10|2\d|[3-9]\d{2})"
_LANDLINE = rf"0{_AREA}[2-9]\d{{6,7}}"
_LANDLINE_INTERNATIONAL = rf"\+86{_AREA}[2-9]\d{{6,7}}"
_EXTENSION = r"(?:(?:-|转|ext\.?|x|#|,|，)\d{1,6})?"
_NUMBER = re.compile(
    rf"(?:{_PREFIX}{_MOBILE}|{_LANDLINE}|{_LANDLINE_INTERNATIONAL}){_EXTENSION}",
    re.IGNORECASE,
)
# Separators between groups of digits ("138 1234 5678", "(020) 1234-5678", "010.1234").
_GROUPING = re.compile(r"(?<=\d)[\s.\-]+(?=\d)|[()\s]")
_EXTENSION_MARK = re.compile(r"\s*(转|ext\.?|x|#|,|，)\s*", re.IGNORECASE)


def normalised(phone: str) -> str:
    """The number without its grouping: `+86 138-1234-5678转12` -> `+8613812345678转12`.
    An extension after a dash keeps its dash (`13812345678-1234`)."""
    text = phone.translate(_FULL_WIDTH).strip()
    text = _EXTENSION_MARK.sub(lambda m: m.group(1), text)
    digits = _GROUPING.sub("", text)
    if _NUMBER.fullmatch(digits):
        return digits
    # The dash before an extension is a grouping dash to _GROUPING: put it back.
    head, dash, extension = text.rpartition("-")
    if dash and extension.strip().isdigit() and len(extension.strip()) <= 6:
        return _GROUPING.sub("", head) + "-" + extension.strip()
    return digits


def is_valid_phone(phone: str) -> bool:
    """A mobile or landline a courier can call (see the module's docstring)."""
    return _NUMBER.fullmatch(normalised(phone)) is not None


def phone_problem(phone: str) -> Text | None:
    """What is wrong with a recipient's phone, or None when a courier can call it.
    The text shows the number masked (flags are stored unencrypted)."""
    if not phone.strip():
        return Text.of("phone_missing")
    if is_valid_phone(phone):
        return None
    return Text.of("phone_invalid", phone=masked(phone.strip()))


def masked(text: str) -> str:
    """All but the last four characters hidden (`1381234567` -> `******4567`), as
    the phone's last four are kept for search anyway; a short text is hidden but
    for its last one."""
    keep = 4 if len(text) > 6 else 1
    return "*" * (len(text) - keep) + text[-keep:]

"""One set of masking rules: the log filter hides a phone exactly as the label does."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.core.masking import mask_personal, mask_phone
from station.logs import PersonalDataFilter

_DIGIT = "0123456789"
_SEP = st.sampled_from(["", " ", "-"])

_mobiles = st.builds(
    lambda prefix, head, a, b, s1, s2: f"{prefix}{head}{s1}{a}{s2}{b}",
    st.sampled_from(["", "+86", "+86 ", "86", "86-"]),
    st.from_regex(r"\A1[3-9]\d\Z"),
    st.text(_DIGIT, min_size=4, max_size=4),
    st.text(_DIGIT, min_size=4, max_size=4),
    _SEP,
    _SEP,
)
_landlines = st.builds(
    lambda area, sep, local: f"{area}{sep}{local}",
    st.sampled_from(["010", "021", "0755", "0571"]),
    st.sampled_from(["-", " "]),
    st.from_regex(r"\A[2-9]\d{2,3}[- ]?\d{4}\Z"),
)
_virtual = st.builds(
    lambda number, mark, ext: f"{number}{mark}{ext}",
    _mobiles | _landlines,
    st.sampled_from(["-", "转", "#"]),
    st.text(_DIGIT, min_size=1, max_size=6),
)
# What a packer mistypes: a phone with a digit too few or too many, a bare local number.
_digit_runs = st.text(_DIGIT, min_size=7, max_size=12)
_phones = _mobiles | _landlines | _virtual | _digit_runs
# Text around a phone in a log line: no digits, letters or address words next to it.
_around = st.text(alphabet=" :,;()=电话手机收件人联系不通", max_size=8)


@given(before=_around, phone=_phones, after=_around)
def test_the_log_masks_every_phone_shape_as_the_label_does(
    before: str, phone: str, after: str
) -> None:
    assert mask_personal(f"{before}{phone}{after}") == f"{before}{mask_phone(phone)}{after}"


@given(phone=_phones)
def test_a_masked_phone_shows_at_most_an_area_code_and_four_digits_besides_its_extension(
    phone: str,
) -> None:
    masked = mask_phone(phone)
    for mark in "-转#":
        head, _, ext = masked.rpartition(mark)
        if head and len(ext) <= 6 and ext.isdigit() and phone.endswith(mark + ext):
            masked = head
            break
    assert sum(c.isdigit() for c in masked) <= 8


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("18012345678-1234", "180****5678-1234"),
        ("18012345678转1234", "180****5678转1234"),
        ("021-12341234", "021-****1234"),
        ("0571-8123456", "0571-***3456"),
        ("1381234567", "******4567"),
        ("12341234", "****1234"),
    ],
)
def test_label_masks(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_a_mistyped_phone_does_not_reach_the_log_whole() -> None:
    """Ten digits are no valid phone, but they are one with a digit lost."""
    record = logging.LogRecord(
        "station.test", logging.INFO, __file__, 1, "call %s", ("1381234567",), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "call ******4567"


@pytest.mark.parametrize(
    "text",
    ["WX2026030200012345", "SF1234567890123", "3712345678901234567", "weighed 523 g at 09:30"],
)
def test_order_and_waybill_numbers_stay_readable_in_the_log(text: str) -> None:
    assert mask_personal(text) == text

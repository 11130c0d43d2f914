from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from printers import ContentLine, Party, Waybill
from station.core.masking import mask_name, mask_phone

STATION = Party("小王手作", "021-12341234", "上海市浦东新区碧波路690号")
BUYER = Party("张三", "13812345678", "杭州市西湖区文三路478号")


def test_mask_name_examples():
    assert mask_name("张三") == "张*"
    assert mask_name("陈小明") == "陈**"
    assert mask_name("张") == "张*"
    assert mask_name("  ") == ""


def test_mask_phone_examples():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("021-12341234") == "021-****1234"
    assert mask_phone("0571-8123456") == "0571-***3456"
    assert mask_phone("18012345678-1234") == "180****5678-1234"
    assert mask_phone("12341234") == "****1234"


@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_mobile_keeps_prefix_and_last_four(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]


@given(st.text(alphabet="0123456789- ", min_size=5, max_size=20))
def test_phone_shows_at_most_an_area_code_and_four_digits(phone):
    """A virtual number's extension (13812345678-1234) must stay readable to call it."""
    masked = mask_phone(phone)
    digits = [c for c in phone if c.isdigit()]
    virtual = re.fullmatch(r"\s*1[3-9]\d[ -]?\d{4}[ -]?\d{4}-(\d{1,6})\s*", phone)
    extension = len(virtual.group(1)) if virtual else 0
    assert sum(c.isdigit() for c in masked) <= 8 + extension
    assert [c for c in masked if c.isdigit()][-4:] == digits[-4:]


@given(st.text(alphabet="赵钱孙李周吴郑王冯陈褚卫", min_size=2, max_size=5))
def test_mask_name_keeps_surname_and_length(name):
    masked = mask_name(name)
    assert masked[0] == name[0]
    assert masked[1:] == "*" * (len(name) - 1)


def test_recipient_masked_by_default_and_sender_falls_back_to_station():
    wb = Waybill("中通快递", "73567696585919", BUYER, STATION)
    assert wb.shown_recipient == Party("张*", "138****5678", BUYER.address)
    assert wb.shown_sender == STATION
    reseller = Party("李四代购", "13900001111", "广州市天河区")
    assert Waybill("中通快递", "1", BUYER, STATION, sender=reseller).shown_sender == reseller
    assert Waybill("中通快递", "1", BUYER, STATION, mask_recipient=False).shown_recipient == BUYER


def test_summary_and_count_from_contents():
    wb = Waybill(
        "中通快递",
        "1",
        BUYER,
        STATION,
        contents=(ContentLine("手工皂", 2), ContentLine("洗发水", 1)),
    )
    assert wb.item_count == 3
    assert wb.summary == "手工皂×2，洗发水"
    assert Waybill("中通快递", "1", BUYER, STATION, contents_summary="礼盒").summary == "礼盒"

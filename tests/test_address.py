"""Address parsing and the problems that need a second look."""

from __future__ import annotations

import pytest

from station.core.address import AddressInput, parse_address, parse_addresses, province_short


def english(problems: tuple) -> list[str]:
    return [str(p) for p in problems]


def test_full_address_is_split_into_parts_and_detail() -> None:
    parsed = parse_address("广东省深圳市南山区科技园南区深南大道10000号")
    assert (parsed.province, parsed.city, parsed.district) == ("广东省", "深圳市", "南山区")
    assert parsed.detail == "科技园南区深南大道10000号"
    assert parsed.problems == ()


def test_short_forms_and_municipalities_are_normalised() -> None:
    parsed = parse_address("北京朝阳区建国路88号")
    assert (parsed.province, parsed.city, parsed.district) == ("北京市", "北京市", "朝阳区")


def test_an_ambiguous_district_alone_is_flagged_not_guessed() -> None:
    parsed = parse_address("朝阳区建国路88号")
    assert parsed.province == "" and parsed.city == ""
    assert any("several cities" in p for p in english(parsed.problems))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("随便写的地址", "address not recognised"),
        ("浙江杭州西湖区文三路", "house number missing"),
        ("西藏自治区拉萨市城关区某部队3号", "contains 部队"),
        ("浙江省杭州市西湖区如家酒店302室", "contains 酒店"),
    ],
)
def test_problems_are_named(text: str, problem: str) -> None:
    assert any(problem in p for p in english(parse_address(text).problems))


@pytest.mark.parametrize("detail", ["文三路90号", "3栋502", "五号楼二单元", "科技园１２号"])
def test_house_numbers_in_digits_or_chinese_numerals(detail: str) -> None:
    problems = english(parse_address(f"浙江省杭州市西湖区{detail}").problems)
    assert "house number missing" not in problems


def test_check_words_come_from_the_setting() -> None:
    text = "浙江省杭州市西湖区文三路90号学校"
    assert english(parse_address(text, check_words=["学校"]).problems) == [
        "contains 学校: check before shipping"
    ]
    assert parse_address(text, check_words=[]).problems == ()


def test_separate_columns_are_checked_and_the_detail_kept() -> None:
    given = AddressInput(
        "上海市上海市浦东新区张江路1号", "上海市", "上海市", "浦东新区", "张江路1号"
    )
    wrong = AddressInput("广东省深训市xx区科技园1号", "广东省", "深训市", "xx区", "科技园1号")
    ok, bad = parse_addresses([given, wrong])
    assert (ok.province, ok.city, ok.district, ok.detail) == (
        "上海市",
        "上海市",
        "浦东新区",
        "张江路1号",
    )
    assert ok.problems == ()
    assert "city missing or not recognised" in english(bad.problems)
    assert "district missing or not recognised" in english(bad.problems)


def test_province_short_names() -> None:
    assert [
        province_short(p) for p in ("广东省", "新疆维吾尔自治区", "北京市", "内蒙古自治区", "西藏")
    ] == [
        "广东",
        "新疆",
        "北京",
        "内蒙古",
        "西藏",
    ]

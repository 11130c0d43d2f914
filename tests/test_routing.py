"""Routing: rules in order, first match wins, every decision explained; rates by zone."""

from __future__ import annotations

import pytest

from station.core.carriers import CARRIERS
from station.core.rates import DEFAULT_RATES, Rate, RateTable, parse_rates_csv
from station.core.routing import (
    DEFAULT_RULES_TOML,
    NoActiveCarrier,
    ParcelFacts,
    Router,
    RulesError,
    parse_rules,
)

RULES = """
[[rule]]
name = "fresh goods go cold chain"
categories = ["fresh"]
service = "cold_chain"

[[rule]]
name = "high value goes SF insured"
declared_value_above = 2000
carrier = "SF"
service = "insured"

[[rule]]
name = "remote provinces go China Post"
provinces = ["新疆维吾尔自治区", "西藏"]
carrier = "YZPY"

[[rule]]
name = "otherwise the cheapest carrier"
service = "standard"
"""


def parcel(**changes: object) -> ParcelFacts:
    values = {
        "order_no": "WX1",
        "province": "广东省",
        "categories": ("clothing",),
        "declared_value_fen": 10_000,
        "order_value_fen": 10_000,
        "weight_g": 800,
    } | changes
    return ParcelFacts(**values)  # type: ignore[arg-type]


@pytest.fixture
def router() -> Router:
    return Router(parse_rules(RULES), RateTable(DEFAULT_RATES), CARRIERS, "ZTO")


def test_fresh_goes_to_the_cheapest_cold_chain_carrier(router: Router) -> None:
    decision = router.route(parcel(categories=("food", "fresh")))
    assert (decision.carrier, decision.service) == ("JD", "cold_chain")
    assert decision.rule == "rule 1 'fresh goods go cold chain'"
    assert "category fresh" in decision.explanation
    assert "cheapest cold_chain carrier: JD 23.00 yuan (then SF 25.00 yuan)" in decision.explanation
    assert decision.cost_fen == 2300


def test_high_value_goes_sf_insured_and_first_match_wins(router: Router) -> None:
    decision = router.route(parcel(declared_value_fen=250_000, province="新疆维吾尔自治区"))
    assert (decision.carrier, decision.service) == ("SF", "insured")
    assert "declared value 2,500.00 yuan > 2,000.00 yuan" in decision.explanation


def test_remote_province_by_short_or_full_name(router: Router) -> None:
    for province in ("新疆维吾尔自治区", "西藏自治区"):
        decision = router.route(parcel(province=province))
        assert decision.carrier == "YZPY" and decision.rule.startswith("rule 3")


def test_otherwise_cheapest_by_rate_table_with_weight(router: Router) -> None:
    decision = router.route(parcel(weight_g=2500))
    assert decision.carrier == "ZTO"
    assert decision.cost_fen == 500 + 2 * 100
    assert "ZTO standard: 7.00 yuan for 2500 g to 广东省" in decision.explanation


def test_rates_decide_when_they_change() -> None:
    cheaper = [*DEFAULT_RATES, Rate("YD", "standard", "*", ("*",), 1000, 300, 50)]
    rates = [r for r in cheaper if not (r.carrier == "YD" and r.zone == "*" and r.first_fen == 520)]
    router = Router(parse_rules(RULES), RateTable(rates), CARRIERS, "ZTO")
    assert router.route(parcel()).carrier == "YD"


def test_cost_alert_above_the_share_of_order_value(router: Router) -> None:
    assert router.route(parcel(order_value_fen=10_000)).alert == ""
    alert = router.route(parcel(order_value_fen=3_000)).alert
    assert "17% of the order value 30.00 yuan (limit 12%)" in alert


def test_no_carrier_for_a_service_falls_through_with_the_reason() -> None:
    rates = [r for r in DEFAULT_RATES if r.service != "cold_chain"]
    router = Router(parse_rules(RULES), RateTable(rates), CARRIERS, "ZTO")
    decision = router.route(parcel(categories=("fresh",)))
    assert decision.rule.startswith("rule 4")
    assert decision.explanation.startswith(
        "rule 1 'fresh goods go cold chain' matched but no active carrier offers cold_chain "
        "with a rate; rule 4 'otherwise the cheapest carrier' matched: no conditions; "
        "cheapest standard carrier: ZTO"
    )


def test_nothing_matches_gives_the_default_carrier() -> None:
    rules = parse_rules('[[rule]]\nname = "x"\ncategories = ["none"]\ncarrier = "SF"\n')
    decision = Router(rules, RateTable(DEFAULT_RATES), CARRIERS, "ZTO").route(parcel())
    assert (decision.carrier, decision.rule) == ("ZTO", "default")
    assert "no rule decided" in decision.explanation


NEVER = parse_rules('[[rule]]\nname = "x"\ncategories = ["none"]\ncarrier = "SF"\n')


def without(*codes: str) -> dict:
    return {code: c for code, c in CARRIERS.items() if code not in codes}


def test_a_disabled_default_carrier_gives_way_to_the_cheapest_active_one() -> None:
    router = Router(NEVER, RateTable(DEFAULT_RATES), without("ZTO"), "ZTO", disabled={"ZTO"})
    decision = router.route(parcel())
    assert (decision.carrier, decision.service, decision.rule) == ("YD", "standard", "default")
    assert decision.explanation.startswith(
        "no rule decided: default carrier ZTO is disabled: "
        "cheapest standard carrier YD 5.20 yuan instead. YD standard: 5.20 yuan"
    )
    unknown = Router(NEVER, RateTable(DEFAULT_RATES), CARRIERS, "ZT0").route(parcel())
    assert unknown.carrier == "ZTO"
    assert "default carrier ZT0 is not in the carrier catalogue" in unknown.explanation


def test_without_rates_a_disabled_default_gives_way_to_the_first_active_carrier() -> None:
    router = Router(NEVER, RateTable([]), without("ZTO", "DBL"), "ZTO", disabled={"ZTO"})
    decision = router.route(parcel())
    assert (decision.carrier, decision.cost_fen) == ("EMS", None)
    assert "EMS instead (no active carrier has a standard rate here)" in decision.explanation


def test_a_disabled_default_never_breaks_a_tie() -> None:
    rates = [
        r
        for r in DEFAULT_RATES
        if r.service != "standard" or r.carrier in ("YTO", "STO") or r.first_fen > 600
    ]
    active_default = Router(parse_rules(RULES), RateTable(rates), CARRIERS, "YTO")
    assert active_default.route(parcel()).carrier == "YTO"
    disabled_default = Router(
        parse_rules(RULES), RateTable(rates), without("YTO"), "YTO", disabled={"YTO"}
    )
    decision = disabled_default.route(parcel())
    assert decision.carrier == "STO"
    assert "cheapest standard carrier: STO 5.50 yuan" in decision.explanation


def test_no_active_carrier_at_all_is_an_error_saying_to_enable_one() -> None:
    router = Router(parse_rules(RULES), RateTable(DEFAULT_RATES), {}, "ZTO", disabled=CARRIERS)
    for ask in (lambda: router.route(parcel()), lambda: router.named("SF", "", parcel())):
        with pytest.raises(NoActiveCarrier, match="enable one"):
            ask()


def test_an_order_naming_a_carrier_that_is_not_active_is_routed_among_the_active() -> None:
    router = Router(
        parse_rules(RULES), RateTable(DEFAULT_RATES), without("SF"), "ZTO", disabled={"SF"}
    )
    assert router.named("zto", "", parcel()).explanation.startswith("the order names its carrier")
    decision = router.named("sf", "express", parcel())
    assert (decision.carrier, decision.service) == ("ZTO", "standard")
    assert decision.rule == "rule 4 'otherwise the cheapest carrier'"
    assert decision.explanation.startswith(
        "the order names SF, which is disabled: routed as if it named none; rule 4 "
    )
    unknown = router.named("XX", "", parcel())
    assert unknown.carrier == "ZTO"
    assert unknown.explanation.startswith(
        "the order names XX, which is not in the carrier catalogue"
    )


def test_a_rule_naming_a_carrier_that_is_not_active_lets_the_rates_choose() -> None:
    rules = parse_rules('[[rule]]\nname = "all KYE"\ncarrier = "KYE"\nservice = "standard"\n')
    decision = Router(rules, RateTable(DEFAULT_RATES), CARRIERS, "ZTO").route(parcel())
    assert decision.carrier == "ZTO"
    assert decision.rule == (
        "rule 1 'all KYE (KYE is not in the carrier catalogue: cheapest standard carrier instead)'"
    )


def test_the_default_rules_keep_zto_for_plain_orders_and_send_remote_ones_china_post() -> None:
    """As the README says: remote provinces go China Post, the rest the cheapest."""
    router = Router(parse_rules(DEFAULT_RULES_TOML), RateTable(DEFAULT_RATES), CARRIERS, "ZTO")
    for province, carrier in (
        ("广东省", "ZTO"),
        ("", "ZTO"),
        ("新疆维吾尔自治区", "YZPY"),
        ("西藏自治区", "YZPY"),
        ("青海省", "YZPY"),
    ):
        for grams in (100, 1000, 5000, 30000):
            assert router.route(parcel(province=province, weight_g=grams)).carrier == carrier


@pytest.mark.parametrize(
    ("categories", "names"),
    [
        (("海鲜",), ("大闸蟹",)),
        (("冷藏",), ("酸奶",)),
        (("水果",), ("车厘子",)),
        (("鲜花",), ("玫瑰",)),
        ((), ("冷冻和牛牛排",)),  # missing from the catalogue: no category at all
    ],
)
def test_the_default_rules_send_fresh_goods_cold_chain_by_category_or_name(
    categories: tuple[str, ...], names: tuple[str, ...]
) -> None:
    router = Router(parse_rules(DEFAULT_RULES_TOML), RateTable(DEFAULT_RATES), CARRIERS, "ZTO")
    decision = router.route(parcel(categories=categories, names=names))
    assert decision.service == "cold_chain"
    assert "fresh goods go cold chain" in decision.explanation


def test_goods_words_ignore_case_and_say_what_matched() -> None:
    rules = parse_rules(
        '[[rule]]\nname = "cold"\ngoods_words = ["Frozen"]\nservice = "cold_chain"\n'
    )
    router = Router(rules, RateTable(DEFAULT_RATES), CARRIERS, "ZTO")
    decision = router.route(parcel(categories=("food",), names=("FROZEN peas",)))
    assert (
        decision.service == "cold_chain" and "product FROZEN peas (Frozen)" in decision.explanation
    )
    assert router.route(parcel(names=("T-shirt",))).service == "standard"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML"),
        ("x = 1", "no \\[\\[rule\\]\\] tables"),
        ('[[rule]]\nname="a"\ncolour="red"\ncarrier="SF"', "unknown keys colour"),
        ('[[rule]]\nservice="teleport"', "unknown service"),
        ('[[rule]]\nname="a"', "needs a carrier or a service"),
        ('[[rule]]\ncarrier="SF"\ndeclared_value_above="lots"', "not an amount"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        parse_rules(text)


def test_rates_csv_with_zones_and_row_problems() -> None:
    text = (
        "carrier,service,zone,provinces,first_weight_g,first_price,additional_per_kg\n"
        "zto,standard,near,浙江|上海市 江苏,1000,4.5,1\n"
        "ZTO,standard,rest,*,1000,6,1.5\n"
        "ZTO,standard,bad,*,heavy,6,1\n"
        "ZTO,standard,bad2,,1000,6,1\n"
    )
    rates, problems = parse_rates_csv(text)
    assert [(p.line, p.column) for p in problems] == [(4, "first_weight_g"), (5, "provinces")]
    table = RateTable(rates)
    assert table.find("ZTO", "standard", "上海市").first_fen == 450
    assert table.find("ZTO", "standard", "广东省").first_fen == 600
    assert table.find("ZTO", "standard", "广东省").cost_fen(2001) == 600 + 2 * 150


def test_an_order_naming_no_carrier_is_routed_by_the_rules() -> None:
    router = Router(parse_rules(DEFAULT_RULES_TOML), RateTable(DEFAULT_RATES), CARRIERS, "ZTO")
    parcel = ParcelFacts("WX1", "浙江", ("fresh",), 5_000, 5_000, 800)
    assert router.for_order("", "", parcel) == router.route(parcel)
    assert router.for_order("yto", "", parcel) == router.named("YTO", "", parcel)

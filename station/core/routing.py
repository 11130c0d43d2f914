"""Choosing carrier and service for a parcel: ordered rules, first match wins.

Rules live in `routing.toml` in the data folder (written with the documented
defaults below on first use). A TOML file rather than a database table because
rules are few, ordered and commented: a technician reads and edits them in a
text editor, copies them between benches and keeps them in version control,
like `settings.toml`. Rates change more often and come in bulk, so they are in
the database and imported from CSV.

Every decision carries the rule that made it and a sentence explaining why, so
"why did this go SF?" has an answer at the bench and in `station route`.

The router only ever decides for an active carrier of the catalogue it is given:
a rule, an order or the default naming a disabled (or unknown) carrier lets the
rate tables choose among the active ones, and the explanation says so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from station.core.address import province_short
from station.core.bad_input import BadInput
from station.core.carriers import Carrier, Service
from station.core.rates import RateTable

RULES_FILE = "routing.toml"

DEFAULT_RULES_TOML = """\
# Packing Station routing rules. The first rule whose conditions all hold decides;
# a rule without conditions always holds. Conditions:
#   categories = [..]            any line of the order has one of these categories
#   goods_words = [..]           any line's category or product name contains one of
#                                these words (products missing from the catalogue too)
#   declared_value_above = 2000  declared value of the goods, yuan (else order value)
#   order_value_above = 500      order value, yuan
#   provinces = [..]             destination province (short or full name)
#   weight_above_g = 10000       parcel weight in grams
# Then `carrier` (a WeChat code: SF, ZTO, YTO, STO, YD, JTSD, JD, DBL, YZPY, EMS)
# and/or `service` (standard, express, cold_chain, insured). Without a carrier the
# cheapest carrier offering the service by the rate table is chosen.
# An order that names its own carrier keeps it; these rules decide the others.
# A disabled carrier (station carriers set CODE --disable) is never chosen: a rule,
# an order or carrier.default naming one lets the rates choose an active carrier.

[[rule]]
name = "fresh goods go cold chain"
goods_words = ["fresh", "frozen", "chilled", "生鲜", "冷冻", "冷藏", "冻品",
               "海鲜", "水果", "鲜花", "鲜果"]
service = "cold_chain"

[[rule]]
name = "high value goes SF insured"
declared_value_above = 2000
carrier = "SF"
service = "insured"

[[rule]]
name = "remote provinces go China Post"
provinces = ["新疆", "西藏", "青海"]
carrier = "YZPY"

[[rule]]
name = "otherwise the cheapest carrier"
service = "standard"
"""

_CONDITIONS = (
    "categories",
    "goods_words",
    "declared_value_above",
    "order_value_above",
    "provinces",
    "weight_above_g",
)


class RulesError(BadInput):
    pass


class NoActiveCarrier(Exception):
    """No active carrier can take a parcel: every carrier of the catalogue is
    disabled (or none of the active ones offers the standard service)."""


@dataclass(frozen=True, slots=True)
class ParcelFacts:
    """What routing looks at. Values in fen and grams."""

    order_no: str
    province: str
    categories: tuple[str, ...]
    declared_value_fen: int
    order_value_fen: int
    weight_g: int
    names: tuple[str, ...] = ()  # the products' names, as the order gives them


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    carrier: str = ""
    service: str = Service.STANDARD
    categories: tuple[str, ...] = ()
    goods_words: tuple[str, ...] = ()
    declared_value_above_fen: int | None = None
    order_value_above_fen: int | None = None
    provinces: tuple[str, ...] = ()
    weight_above_g: int | None = None

    def reasons(self, parcel: ParcelFacts) -> list[str] | None:
        """Why each condition holds, or None when one does not."""
        reasons: list[str] = []
        if self.categories:
            hit = [c for c in parcel.categories if c in self.categories]
            if not hit:
                return None
            reasons.append(f"category {hit[0]}")
        if self.goods_words:
            found = _goods_word(self.goods_words, parcel)
            if found is None:
                return None
            reasons.append(found)
        if self.declared_value_above_fen is not None:
            if parcel.declared_value_fen <= self.declared_value_above_fen:
                return None
            reasons.append(
                f"declared value {yuan(parcel.declared_value_fen)} > "
                f"{yuan(self.declared_value_above_fen)}"
            )
        if self.order_value_above_fen is not None:
            if parcel.order_value_fen <= self.order_value_above_fen:
                return None
            reasons.append(
                f"order value {yuan(parcel.order_value_fen)} > {yuan(self.order_value_above_fen)}"
            )
        if self.provinces:
            if province_short(parcel.province) not in self.provinces:
                return None
            reasons.append(f"destination {parcel.province}")
        if self.weight_above_g is not None:
            if parcel.weight_g <= self.weight_above_g:
                return None
            reasons.append(f"weight {parcel.weight_g} g > {self.weight_above_g} g")
        return reasons or ["no conditions"]


@dataclass(frozen=True, slots=True)
class Decision:
    carrier: str
    service: str
    cost_fen: int | None
    rule: str
    explanation: str
    alert: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "carrier": self.carrier,
            "service": self.service,
            "cost": None if self.cost_fen is None else float(Decimal(self.cost_fen) / 100),
            "rule": self.rule,
            "explanation": self.explanation,
            "alert": self.alert,
        }


def _goods_word(words: Sequence[str], parcel: ParcelFacts) -> str | None:
    """Why a goods-words condition holds (the first category, then product name,
    holding one of the words; case ignored), or None."""
    for kind, texts in (("category", parcel.categories), ("product", parcel.names)):
        for text in texts:
            word = next((w for w in words if w.casefold() in text.casefold()), None)
            if word is not None:
                return f"{kind} {text} ({word})"
    return None


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:,.2f} yuan"


def parse_rules(text: str) -> list[Rule]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from exc
    raw = data.get("rule", [])
    if not isinstance(raw, list) or not raw:
        raise RulesError("no [[rule]] tables")
    return [_rule(number, table) for number, table in enumerate(raw, start=1)]


def _rule(number: int, table: dict[str, Any]) -> Rule:
    known = {"name", "carrier", "service", *_CONDITIONS}
    unknown = sorted(set(table) - known)
    if unknown:
        raise RulesError(f"rule {number}: unknown keys {', '.join(unknown)}")
    service = str(table.get("service", Service.STANDARD))
    if service not in set(Service):
        raise RulesError(f"rule {number}: unknown service {service!r}")
    if not table.get("carrier") and "service" not in table:
        raise RulesError(f"rule {number}: needs a carrier or a service")
    try:
        return Rule(
            name=str(table.get("name") or f"rule {number}"),
            carrier=str(table.get("carrier", "")).upper(),
            service=service,
            categories=tuple(str(c) for c in table.get("categories", ())),
            goods_words=tuple(str(w) for w in table.get("goods_words", ()) if str(w)),
            declared_value_above_fen=_fen(table.get("declared_value_above")),
            order_value_above_fen=_fen(table.get("order_value_above")),
            provinces=tuple(province_short(str(p)) for p in table.get("provinces", ())),
            weight_above_g=_int(table.get("weight_above_g")),
        )
    except (TypeError, ValueError) as exc:
        raise RulesError(f"rule {number}: {exc}") from exc


def _fen(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not an amount in yuan")
    return round(Decimal(str(value)) * 100)


def _int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


class Router:
    """Rules, rates and carriers held in memory: a decision takes microseconds.

    `carriers` are the active carriers, the only ones a decision names; `disabled`
    the codes of the catalogue's disabled carriers (to say "disabled" rather than
    "not in the carrier catalogue" when a rule, an order or the default names one).
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        rates: RateTable,
        carriers: Mapping[str, Carrier],
        default_carrier: str,
        cost_alert_percent: float = 12.0,
        disabled: Collection[str] = (),
    ):
        self.rates = rates
        self.carriers = carriers
        self.disabled = frozenset(code.upper() for code in disabled)
        self.default_carrier = default_carrier.upper()
        self.cost_alert_percent = cost_alert_percent
        self.rules = tuple(self._usable(rule) for rule in rules)
        self._tie_breaker = self.default_carrier if self.default_carrier in carriers else ""

    def _not_active(self, code: str) -> str:
        return "is disabled" if code in self.disabled else "is not in the carrier catalogue"

    def _usable(self, rule: Rule) -> Rule:
        """A rule naming a carrier that is not active keeps its conditions and service
        but lets the rate tables choose among the active carriers; its name says so,
        so every decision it makes explains why the named carrier was not used. With
        no active carrier offering the service, the router goes on to the next rule."""
        if not rule.carrier or rule.carrier in self.carriers:
            return rule
        return replace(
            rule,
            carrier="",
            name=(
                f"{rule.name} ({rule.carrier} {self._not_active(rule.carrier)}: "
                f"cheapest {rule.service} carrier instead)"
            ),
        )

    def route(self, parcel: ParcelFacts) -> Decision:
        """The first rule that matches and finds an active carrier decides; rules that
        matched but found none stay in the explanation. Raises NoActiveCarrier."""
        skipped: list[str] = []
        for number, rule in enumerate(self.rules, start=1):
            reasons = rule.reasons(parcel)
            if reasons is None:
                continue
            label = f"rule {number} '{rule.name}'"
            why = "; ".join([*skipped, f"{label} matched: {', '.join(reasons)}"])
            decision = self._apply(rule, label, why, parcel)
            if decision is not None:
                return decision
            skipped.append(
                f"{label} matched but no active carrier offers {rule.service} with a rate"
            )
        return self._default(parcel, "; ".join([*skipped, "no rule decided"]))

    def for_order(self, carrier: str, service: str, parcel: ParcelFacts) -> Decision:
        """An order's decision: the carrier it names (`named`), else the rules."""
        return self.named(carrier, service, parcel) if carrier else self.route(parcel)

    def named(self, carrier: str, service: str, parcel: ParcelFacts) -> Decision:
        """The order names its carrier: keep it, with its cost for the record. A carrier
        that is not active is passed over: the order is routed as if it named none.
        Raises NoActiveCarrier."""
        code = carrier.upper()
        if code in self.carriers:
            return self._decide(
                code, service or Service.STANDARD, "order", "the order names its carrier", parcel
            )
        routed = self.route(parcel)
        return replace(
            routed,
            explanation=(
                f"the order names {code}, which {self._not_active(code)}: routed as if it "
                f"named none; {routed.explanation}"
            ),
        )

    def _default(self, parcel: ParcelFacts, why: str) -> Decision:
        """No rule decided: the default carrier, or when it is not active the cheapest
        active standard carrier (the first by code when none has a rate)."""
        code = self.default_carrier
        if code in self.carriers:
            return self._decide(
                code, Service.STANDARD, "default", f"{why}: default carrier {code}", parcel
            )
        why += f": default carrier {code} {self._not_active(code)}"
        priced = self._priced(Service.STANDARD, parcel)
        if priced:
            pick, cost = priced[0]
            why += f": cheapest standard carrier {pick} {yuan(cost)} instead"
        else:
            offering = sorted(
                c for c, known in self.carriers.items() if known.offers(Service.STANDARD)
            )
            if not offering:
                raise NoActiveCarrier(
                    "no active carrier offers the standard service: enable one "
                    "(station carriers set CODE --enable)"
                )
            pick = offering[0]
            why += f": {pick} instead (no active carrier has a standard rate here)"
        return self._decide(pick, Service.STANDARD, "default", why, parcel)

    def _apply(self, rule: Rule, label: str, why: str, parcel: ParcelFacts) -> Decision | None:
        if rule.carrier:
            return self._decide(rule.carrier, rule.service, label, why, parcel)
        priced = self._priced(rule.service, parcel)
        if not priced:
            return None
        code, cost = priced[0]
        others = ", ".join(f"{c} {yuan(f)}" for c, f in priced[1:4])
        choice = f"cheapest {rule.service} carrier: {code} {yuan(cost)}"
        if others:
            choice += f" (then {others})"
        return self._decide(code, rule.service, label, f"{why}; {choice}", parcel)

    def _priced(self, service: str, parcel: ParcelFacts) -> list[tuple[str, int]]:
        """(carrier, cost) of every active carrier offering the service, cheapest first;
        on a tie the default carrier (when it is active), then the code, decides."""
        priced = []
        for code in self.rates.carriers_for(service):
            known = self.carriers.get(code)
            if known is None or not known.offers(service):
                continue
            rate = self.rates.find(code, service, parcel.province)
            if rate is not None:
                priced.append((code, rate.cost_fen(parcel.weight_g)))
        return sorted(priced, key=lambda p: (p[1], p[0] != self._tie_breaker, p[0]))

    def _decide(
        self, carrier: str, service: str, rule: str, why: str, parcel: ParcelFacts
    ) -> Decision:
        rate = self.rates.find(carrier, service, parcel.province)
        cost = None if rate is None else rate.cost_fen(parcel.weight_g)
        where = parcel.province or "an unknown province"
        if cost is None:
            why += f". No {carrier} {service} rate for {where}: cost unknown"
        else:
            why += f". {carrier} {service}: {yuan(cost)} for {parcel.weight_g} g to {where}"
        return Decision(carrier, service, cost, rule, why + ".", self._alert(cost, parcel))

    def _alert(self, cost: int | None, parcel: ParcelFacts) -> str:
        share = cost_share(cost, parcel.order_value_fen)
        if share is None or share <= self.cost_alert_percent:
            return ""
        return (
            f"shipping {yuan(cost or 0)} is {percent(share, self.cost_alert_percent)} of the "
            f"order value {yuan(parcel.order_value_fen)} (limit {self.cost_alert_percent:g}%)"
        )


def cost_share(cost_fen: int | None, order_value_fen: int) -> float | None:
    """Shipping cost in percent of the order value; None when either is unknown."""
    if cost_fen is None or order_value_fen <= 0:
        return None
    return 100 * cost_fen / order_value_fen


def percent(share: float, limit: float) -> str:
    """A share over a limit with as few decimals as tell them apart: 14.3 -> '14%',
    12.5 over 12 -> '12.5%' (never '12%' beside a limit of 12%)."""
    for decimals in range(3):
        text = f"{share:.{decimals}f}"
        if float(text) > limit:
            break
    return f"{text}%"

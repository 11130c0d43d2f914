"""Shipping rates: first weight plus each additional kilogram, by destination zone.

A zone is a named group of provinces; `*` is every province no other zone of the
same carrier and service lists. Amounts are in fen (1/100 yuan) so sums are exact.
The defaults are examples shaped after the merchants' guides in the shared
reference (SF 12-23 CNY first weight, 通达 5-10 CNY, JD 8-15 CNY); a merchant
imports negotiated rates from CSV (see `parse_rates_csv`). With the defaults ZTO
is the cheapest standard service everywhere (China Post ties it in remote zones),
so an install keeps shipping as before until the merchant enters real rates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from station.core.address import province_short
from station.core.bad_input import BadInput
from station.core.formulas import restored

ANY_PROVINCE = "*"
REMOTE = ("新疆", "西藏", "青海", "内蒙古", "宁夏", "甘肃")
RATE_COLUMNS = (
    "carrier",
    "service",
    "zone",
    "provinces",
    "first_weight_g",
    "first_price",
    "additional_per_kg",
)


@dataclass(frozen=True, slots=True)
class Rate:
    carrier: str
    service: str
    zone: str
    provinces: tuple[str, ...]
    first_weight_g: int
    first_fen: int
    extra_fen_per_kg: int

    def cost_fen(self, grams: int) -> int:
        """First weight, then every started kilogram beyond it. A negative weight
        is a bug upstream, never priced."""
        if grams < 0:
            raise ValueError(f"a parcel cannot weigh {grams} g")
        extra_g = max(0, grams - self.first_weight_g)
        return self.first_fen + -(-extra_g // 1000) * self.extra_fen_per_kg


def _rate(carrier: str, service: str, zone: str, first: int, extra: int) -> Rate:
    provinces = REMOTE if zone == "remote" else (ANY_PROVINCE,)
    return Rate(carrier, service, zone, provinces, 1000, first, extra)


def _pair(carrier: str, service: str, near: tuple[int, int], remote: tuple[int, int]) -> list[Rate]:
    return [_rate(carrier, service, "*", *near), _rate(carrier, service, "remote", *remote)]


DEFAULT_RATES: tuple[Rate, ...] = tuple(
    rate
    for pair in (
        _pair("SF", "standard", (1300, 400), (2300, 1400)),
        _pair("SF", "express", (1800, 600), (2800, 1600)),
        _pair("SF", "cold_chain", (2500, 800), (3800, 2000)),
        _pair("SF", "insured", (1500, 400), (2500, 1400)),
        _pair("ZTO", "standard", (500, 100), (1200, 800)),
        _pair("ZTO", "insured", (700, 100), (1400, 800)),
        _pair("YTO", "standard", (550, 100), (1300, 800)),
        _pair("STO", "standard", (550, 100), (1300, 800)),
        _pair("YD", "standard", (520, 100), (1250, 800)),
        _pair("JTSD", "standard", (530, 120), (1300, 800)),
        _pair("JD", "standard", (900, 300), (1800, 1000)),
        _pair("JD", "express", (1200, 400), (2200, 1200)),
        _pair("JD", "cold_chain", (2300, 700), (3600, 1800)),
        _pair("JD", "insured", (1100, 300), (2000, 1000)),
        _pair("DBL", "standard", (800, 200), (1600, 800)),
        _pair("YZPY", "standard", (700, 200), (1200, 800)),
        _pair("YZPY", "insured", (900, 200), (1400, 800)),
        _pair("EMS", "standard", (1100, 400), (1500, 800)),
        _pair("EMS", "express", (1500, 500), (2000, 900)),
    )
    for rate in pair
)


class RateTable:
    """Rates indexed by carrier and service, for lookups in microseconds."""

    def __init__(self, rates: Iterable[Rate]):
        self._by_key: dict[tuple[str, str], list[Rate]] = {}
        for rate in rates:
            self._by_key.setdefault((rate.carrier, rate.service), []).append(rate)

    def find(self, carrier: str, service: str, province: str) -> Rate | None:
        """The zone listing the province, else the carrier's `*` zone, else None."""
        rates = self._by_key.get((carrier, service), ())
        short = province_short(province)
        listed = next((r for r in rates if short and short in r.provinces), None)
        return listed or next((r for r in rates if ANY_PROVINCE in r.provinces), None)

    def carriers_for(self, service: str) -> list[str]:
        return sorted({c for c, s in self._by_key if s == service})


class RateFileError(BadInput):
    pass


@dataclass(frozen=True)
class RateProblem:
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.problem}"


def parse_rates_csv(text: str) -> tuple[list[Rate], list[RateProblem]]:
    """Rates from CSV text with the header `RATE_COLUMNS`; prices in yuan.

    `provinces` lists short or full names separated by spaces, '|', ';' or '、',
    or `*` for every other province.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rates: list[Rate] = []
    problems: list[RateProblem] = []
    try:
        missing = [c for c in RATE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RateFileError(f"missing columns: {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            try:
                rates.append(_rate_from_row(_restored(row)))
            except _BadCell as exc:
                problems.append(RateProblem(number, exc.column, exc.problem))
    except csv.Error as exc:
        raise RateFileError(f"line {reader.line_num}: not valid CSV ({exc})") from None
    return rates, problems


def _restored(row: dict[str, str]) -> dict[str, str]:
    """The row's text cells as `carriers rates export` was given them (its text
    cells are neutralised against spreadsheet formulas)."""
    return {k: restored(v) if isinstance(v, str) else v for k, v in row.items()}


class _BadCell(ValueError):
    def __init__(self, column: str, problem: str):
        super().__init__(problem)
        self.column = column
        self.problem = problem


def _rate_from_row(row: dict[str, str]) -> Rate:
    carrier = (row["carrier"] or "").strip().upper()
    if not carrier:
        raise _BadCell("carrier", "empty")
    provinces = tuple(
        province_short(p)
        for p in (row["provinces"] or "")
        .replace("|", " ")
        .replace(";", " ")
        .replace("、", " ")
        .split()
    )
    if not provinces:
        raise _BadCell("provinces", "empty: list provinces or use *")
    return Rate(
        carrier=carrier,
        service=(row["service"] or "standard").strip(),
        zone=(row["zone"] or "").strip() or " ".join(provinces),
        provinces=provinces,
        first_weight_g=_whole(row, "first_weight_g"),
        first_fen=_fen(row, "first_price"),
        extra_fen_per_kg=_fen(row, "additional_per_kg"),
    )


def _whole(row: dict[str, str], column: str) -> int:
    text = (row[column] or "").strip()
    if not text.isdigit():
        raise _BadCell(column, f"{text!r} is not a whole number of grams")
    return int(text)


def _fen(row: dict[str, str], column: str) -> int:
    text = (row[column] or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _BadCell(column, f"{text!r} is not a price in yuan") from None
    if not value.is_finite() or value < 0:
        raise _BadCell(column, f"{text!r} is not a price in yuan")
    return int((value * 100).to_integral_value())

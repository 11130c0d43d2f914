"""Chinese recipient addresses: province / city / district, and what needs a second look.

Parsing uses cpca (Chinese province-city-area, offline, MIT), chosen over jionlp
because it parses a whole import in one vectorised call (about 30 µs an address
against 4-5 ms for jionlp's parse_location) and imports in under a second.
The original text is always kept; the normalised parts are stored beside it.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher, get_close_matches
from functools import cache
from typing import Any, NamedTuple

from station.core.problem_texts import (
    ADDRESS_UNRECOGNISED,
    HOUSE_NUMBER_MISSING,
    PART_MISSING,
    Text,
)

DEFAULT_CHECK_WORDS = ("部队", "军区", "营区", "酒店", "宾馆")

_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_HOUSE_NUMBER = re.compile(
    r"[0-9０-９]|[一二三四五六七八九十百千零〇两]+\s*(号|栋|幢|楼|室|单元|弄|巷|组|座|排|层)"
)
# cpca names the city of a municipality 市辖区 (or 县 for its counties).
_MUNICIPALITY_CITY = ("市辖区", "县")


def province_short(name: str) -> str:
    """'广东省' -> '广东', '新疆维吾尔自治区' -> '新疆', '北京' -> '北京'."""
    name = name.strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class AddressInput(NamedTuple):
    """An address as the import file gives it: full text and, if the file has them,
    separate province / city / district / detail columns. Named tuples here and in
    ParsedAddress because an import makes one of each per order."""

    text: str
    province: str = ""
    city: str = ""
    district: str = ""
    detail: str = ""

    @property
    def has_parts(self) -> bool:
        return bool(self.province or self.city or self.district)


class ParsedAddress(NamedTuple):
    province: str
    city: str
    district: str
    detail: str
    problems: tuple[Text, ...] = ()  # what needs a second look; str() gives the English
    # The address with the official names of its places, when the text misspelt one
    # (`广洲市` for `广州市`): what the label prints once the flag is confirmed.
    corrected: str = ""


def parse_addresses(
    inputs: Sequence[AddressInput], check_words: Sequence[str] = DEFAULT_CHECK_WORDS
) -> list[ParsedAddress]:
    """Parse many addresses in one call (the fast path for a whole import)."""
    queries = [_query(a) for a in inputs]
    unique = list(dict.fromkeys(queries))
    found = dict(zip(unique, _cpca_rows(unique), strict=True))
    return [_parsed(a, found[q], check_words) for a, q in zip(inputs, queries, strict=True)]


def parse_address(text: str, check_words: Sequence[str] = DEFAULT_CHECK_WORDS) -> ParsedAddress:
    return parse_addresses([AddressInput(text)], check_words)[0]


def _query(address: AddressInput) -> str:
    if address.has_parts:
        return f"{address.province}{address.city}{address.district}"
    return address.text


def _parsed(
    address: AddressInput, row: dict[str, Any], check_words: Sequence[str]
) -> ParsedAddress:
    province = row["province"] or ""
    city = row["city"] or ""
    if city in _MUNICIPALITY_CITY:
        city = province
    district = row["district"] or ""
    if address.has_parts:
        detail = address.detail or _strip_parts(address.text, address)
    else:
        detail = row["detail"] or ""
    problems: list[Text] = []
    if not (province or city or district):
        problems.append(ADDRESS_UNRECOGNISED)
    else:
        problems += [
            PART_MISSING[part]
            for part, value in (("province", province), ("city", city), ("district", district))
            if not value
        ]
        if row["inferred"] and district in _ambiguous_districts():
            province = city = ""
            problems.append(Text.of("district_ambiguous", district=district))
    if not _HOUSE_NUMBER.search(detail):
        problems.append(HOUSE_NUMBER_MISSING)
    typos = _typos(address, (province, city, district), row["detail"] or "")
    problems += [Text.of("address_typo", given=given, standard=right) for given, right in typos]
    corrected = ""
    if typos and all(standard in (province, city, district) for _, standard in typos):
        places = dict.fromkeys(p for p in (province, city, district) if p)
        corrected = "".join(places) + detail.strip()
    full = f"{address.text}{detail}" if address.has_parts else address.text
    problems += [Text.of("check_word", word=w) for w in check_words if w and w in full]
    return ParsedAddress(province, city, district, detail.strip(), tuple(problems), corrected)


# -- misspelt places -----------------------------------------------------------------

_PLACE_SUFFIXES = (*_SUFFIXES, "自治州", "地区", "盟", "区", "县", "旗")
# A place name in the text: a few characters ending in a division's suffix.
_PLACE_TOKEN = re.compile(r"[^\s\d省市区县州旗盟]{1,8}?(?:省|市|区|县|州|旗|盟)")
_SIMILAR = 0.5  # SequenceMatcher ratio from which a name is taken for a misspelling of another


def _stem(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _same_place(given: str, standard: str) -> bool:
    """`广东` and `广东省`, `广州` and `广州市`: the same place written short or in full."""
    given, standard = given.strip(), standard.strip()
    return (
        given == standard
        or _stem(given) == _stem(standard)
        or standard.startswith(given)
        or given.startswith(_stem(standard))
    )


def _typos(
    address: AddressInput, standards: tuple[str, str, str], detail: str
) -> tuple[tuple[str, str], ...]:
    """(as written, official name) of each province, city or district the address
    misspells. With separate columns each is compared with the official name cpca
    found; in a whole text, a place-like word left over once the official names are
    taken out is matched against them, then against the official names of its rank.
    The work is cached by the place part of the text: an import repeats few of them."""
    if address.has_parts:
        return _part_typos((address.province, address.city, address.district), standards)
    text = "".join(address.text.split())
    head = text[: len(text) - len(detail)] if detail and text.endswith(detail) else text
    # A part not found may be misspelt at the start of what cpca took for the detail.
    leading = _PLACE_TOKEN.match(detail) if not all(standards) else None
    return _text_typos(head, standards, leading.group() if leading else "")


@cache
def _part_typos(
    given: tuple[str, str, str], standards: tuple[str, str, str]
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (g.strip(), s)
        for g, s in zip(given, standards, strict=True)
        if g.strip() and s and not _same_place(g, s)
    )


@cache
def _text_typos(
    head: str, standards: tuple[str, str, str], leading: str
) -> tuple[tuple[str, str], ...]:
    for name in sorted({n for s in standards if s for n in (s, _stem(s))}, key=len, reverse=True):
        head = head.replace(name, " ")
    found = []
    for token in _PLACE_TOKEN.findall(head):
        suggestion = _closest(token, standards)
        if suggestion:
            found.append((token, suggestion))
    if not found and leading and not any(_same_place(leading, s) for s in standards if s):
        suggestion = _closest(leading, standards)
        if suggestion:
            found.append((leading, suggestion))
    return tuple(found)


def _closest(token: str, standards: Sequence[str]) -> str:
    """The official name `token` most likely misspells: one of the address's own
    places first, else the closest official name of its rank (difflib), else ""."""
    scored = [(SequenceMatcher(None, token, s).ratio(), s) for s in standards if s]
    best = max(scored, default=(0.0, ""))
    if best[0] >= _SIMILAR:
        return best[1]
    close = get_close_matches(token, _official_names(token, standards), n=1, cutoff=0.6)
    return close[0] if close else ""


def _official_names(token: str, standards: Sequence[str]) -> list[str]:
    """The official names of the rank a place-like word's suffix says (省 a province,
    市/州/盟 a city, else a district), within the province (or city) found."""
    province, city, _ = standards
    rank = 0 if token.endswith("省") else 1 if token[-1] in "市州盟" else 2
    within = {0: "", 1: _adcode_of(province)[:2], 2: _adcode_of(city)[:4]}[rank]
    return [n for code, r, n in _places() if r == rank and code.startswith(within)]


def _adcode_of(name: str) -> str:
    return next((code for code, _, n in _places() if n == name), "")


@cache
def _places() -> tuple[tuple[str, int, str], ...]:
    """(adcode, rank, name) of every official division cpca knows (0 province,
    1 city, 2 district)."""
    return tuple((info.adcode, info.rank, info.name) for info in _cpca().ad_2_addr_dict.values())


def _strip_parts(text: str, address: AddressInput) -> str:
    for part in (address.province, address.city, address.district):
        if part and text.startswith(part):
            text = text[len(part) :]
    return text


def _cpca_rows(queries: list[str]) -> list[dict[str, Any]]:
    if not queries:
        return []
    frame = _cpca().transform(queries, pos_sensitive=True)
    columns = (frame[name].tolist() for name in ("省", "市", "区", "地址", "省_pos", "市_pos"))
    return [
        {
            "province": _text(province),
            "city": _text(city),
            "district": _text(district),
            "detail": _text(detail),
            "inferred": p_pos == -1 and c_pos == -1,
        }
        for province, city, district, detail, p_pos, c_pos in zip(*columns, strict=True)
    ]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@cache
def _cpca() -> Any:
    """cpca, imported on first use (it loads its table of places: about 0.7 s).

    cpca 0.5 reads its data through pkg_resources, which newer setuptools warns
    about; the warning is cpca's, not ours.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import cpca

    return cpca


@cache
def _ambiguous_districts() -> frozenset[str]:
    counts = Counter(info.name for info in _cpca().ad_2_addr_dict.values() if info.rank == 2)
    return frozenset(name for name, n in counts.items() if n > 1)

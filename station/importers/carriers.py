"""Carrier catalogue files, and the checks every carrier field passes wherever it
comes from (a file row or `station carriers set`).

A file has a header row naming its columns: `code` and any of `name_zh, name_en,
services, pattern, tracking_url, active` (or their Chinese labels, see
`HEADER_ALIASES`). A column the file has sets that field; a column it lacks leaves
the catalogue's value as it is, so a file of `code,pattern` changes only patterns.
A new carrier needs at least its Chinese name and its pattern. An empty `active`
cell keeps the carrier's state (a new carrier is active).

Each row is checked on its own: a bad row is a problem (line, column, what is
wrong) and the good rows are imported anyway.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from station.core.carriers import (
    MAX_PATTERN_LENGTH,
    SERVICE_NAMES_ZH,
    Carrier,
    Service,
    pattern_problem,
)
from station.core.formulas import neutralised_row, restored
from station.core.problem_texts import Text
from station.importers.problems import RowProblem
from station.importers.table import Table, UnreadableFile
from station.store.catalogue import CarrierEntry

COLUMNS = ("code", "name_zh", "name_en", "services", "pattern", "tracking_url", "active")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编码", "代码", "快递编码", "公司编码", "快递公司编码"),
    "name_zh": ("中文名", "中文名称", "名称", "快递公司"),
    "name_en": ("英文名", "英文名称"),
    "services": ("服务", "服务类型"),
    "pattern": ("单号规则", "单号格式", "单号正则"),
    "tracking_url": ("查询链接", "跟踪链接", "物流查询链接"),
    "active": ("启用", "是否启用", "状态"),
}
URL_PLACEHOLDERS = ("tracking_no", "carrier")

_CODE = re.compile(r"[A-Z0-9_]{1,20}")
_SEPARATORS = re.compile(r"[,;|/、，；\s]+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_QUANTIFIER = re.compile(r"\{(?:\d+|\d*,\d*)\}")
_SERVICE_BY_NAME = {str(s): str(s) for s in Service} | {
    zh: str(s) for s, zh in SERVICE_NAMES_ZH.items()
}
_YES = {"1", "yes", "y", "true", "on", "是", "启用", "有效"}
_NO = {"0", "no", "n", "false", "off", "否", "停用", "禁用", "无效"}


class BadField(ValueError):
    """A carrier field that cannot be used; the message says why (`problem` in
    English, `text` by key for the interface)."""

    def __init__(self, field: str, problem: Text):
        super().__init__(str(problem))
        self.field = field
        self.problem = str(problem)
        self.text = problem


def check_code(value: str) -> str:
    code = value.strip().upper()
    if not code:
        raise BadField("code", Text.of("empty"))
    if not _CODE.fullmatch(code):
        raise BadField("code", Text.of("not_a_carrier_code", text=repr(value.strip())))
    return code


def check_name(field: str, value: str) -> str:
    name = value.strip()
    if field == "name_zh" and not name:
        raise BadField(field, Text.of("name_zh_empty"))
    return name


def check_pattern(value: str) -> str:
    """A tracking-number pattern: a regular expression the whole number must match
    (letters in any case), as `Carrier.accepts` uses it. Matching is RE2's, in
    linear time: a pattern RE2 cannot run (back-references, look-arounds) or one
    longer than MAX_PATTERN_LENGTH is refused here, where a person can fix it."""
    pattern = value.strip()
    if not pattern:
        raise BadField("pattern", Text.of("pattern_empty"))
    if len(pattern) > MAX_PATTERN_LENGTH:
        reason = f"{len(pattern)} characters long, more than the {MAX_PATTERN_LENGTH} allowed"
        shown = pattern[:40] + "…"
        raise BadField("pattern", Text.of("pattern_unusable", pattern=shown, reason=reason))
    problem = pattern_problem(pattern)
    if problem is not None:
        raise BadField("pattern", Text.of("pattern_invalid", pattern=pattern, reason=problem))
    # RE2, like Python, reads a broken repetition such as `\d{12` as the literal "{12"
    # text without complaint; no waybill number holds a brace, so it is a typo.
    blanked = _QUANTIFIER.sub(_blank, _ESCAPE.sub(_blank, pattern))
    loose = next((i for i, ch in enumerate(blanked) if ch in "{}"), None)
    if loose is not None:
        raise BadField(
            "pattern",
            Text.of(
                "pattern_stray_brace",
                pattern=pattern,
                brace=repr(pattern[loose]),
                position=loose,
                char=pattern[loose],
            ),
        )
    return pattern


def _blank(match: re.Match[str]) -> str:
    return "_" * len(match.group())


def check_services(value: str) -> tuple[str, ...]:
    """Services separated by commas, spaces or '|': standard, express, cold_chain,
    insured (or 标准快递, 特快, 冷链, 保价)."""
    names = [n for n in _SEPARATORS.split(value.strip()) if n]
    if not names:
        raise BadField("services", Text.of("services_empty"))
    services: list[str] = []
    for name in names:
        service = _SERVICE_BY_NAME.get(name.lower()) or _SERVICE_BY_NAME.get(name)
        if service is None:
            known = ", ".join(str(s) for s in Service)
            raise BadField("services", Text.of("unknown_service", name=repr(name), known=known))
        if service not in services:
            services.append(service)
    return tuple(services)


def check_tracking_url(value: str) -> str:
    """Empty, or an http(s) address with `{tracking_no}` (and optionally `{carrier}`)
    where the number goes."""
    url = value.strip()
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")):
        raise BadField("tracking_url", Text.of("url_not_http", url=repr(url)))
    if any(c.isspace() for c in url):
        raise BadField("tracking_url", Text.of("url_has_space", url=repr(url)))
    names = _PLACEHOLDER.findall(url)
    unknown = [n for n in names if n not in URL_PLACEHOLDERS]
    if unknown:
        raise BadField("tracking_url", Text.of("url_unknown_placeholder", name=unknown[0]))
    if "{tracking_no}" not in url:
        raise BadField("tracking_url", Text.of("url_without_tracking_no", url=repr(url)))
    if url.count("{") != len(names) or url.count("}") != len(names):
        raise BadField("tracking_url", Text.of("url_unmatched_brace", url=repr(url)))
    return url


def check_active(value: str) -> bool | None:
    """yes/no (1/0, true/false, 是/否, 启用/停用); None for an empty cell."""
    word = value.strip().lower()
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadField("active", Text.of("not_yes_or_no", text=repr(value.strip())))


@dataclass(frozen=True, slots=True)
class GoodRow:
    line: int
    entry: CarrierEntry


@dataclass
class CarrierPreview:
    rows: list[GoodRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected_rows: int = 0
    total_rows: int = 0
    ignored_columns: tuple[str, ...] = ()

    @property
    def entries(self) -> list[CarrierEntry]:
        return [row.entry for row in self.rows]


def columns_of(headers: tuple[str, ...]) -> dict[str, int]:
    """Field name -> column index. UnreadableFile without a code column, or when
    two columns mean the same field."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _field_of(header)
        if name is None:
            continue
        if name in found:
            raise UnreadableFile(
                Text.of(
                    "carrier_columns_same",
                    first=repr(headers[found[name]]),
                    second=repr(header),
                    column=name,
                )
            )
        found[name] = index
    if "code" not in found:
        raise UnreadableFile(Text.of("carrier_no_code_column", columns=", ".join(COLUMNS)))
    return found


def _field_of(header: str) -> str | None:
    text = header.strip().lstrip("\ufeff").strip()
    if text.lower() in COLUMNS:
        return text.lower()
    return next((name for name, aliases in HEADER_ALIASES.items() if text in aliases), None)


def parse_carriers(table: Table, known: Mapping[str, CarrierEntry]) -> CarrierPreview:
    """The carriers a table describes, merged onto the catalogue's `known` entries.

    Raises UnreadableFile when the header cannot be used; every other problem is a
    row problem and never stops the other rows.
    """
    index = columns_of(table.headers)
    header = {name: table.headers[i] for name, i in index.items()}
    preview = CarrierPreview(
        total_rows=len(table.rows),
        ignored_columns=tuple(
            h for i, h in enumerate(table.headers) if h and i not in index.values()
        ),
    )
    first_line: dict[str, int] = {}
    for row in table.rows:
        # A cell the station's own export neutralised ('=...) reads as it was written.
        cell = {name: restored(row.get(i)) for name, i in index.items()}
        entry, bad = entry_from_cells(cell, known)
        problems = [_problem(row.line, header, name, problem) for name, problem in bad]
        if entry is not None and entry.code in first_line:
            problems.append(
                _problem(
                    row.line,
                    header,
                    "code",
                    Text.of("carrier_twice", code=entry.code, line=first_line[entry.code]),
                )
            )
        if problems or entry is None:
            preview.problems += problems
            preview.rejected_rows += 1
            continue
        first_line[entry.code] = row.line
        preview.rows.append(GoodRow(row.line, entry))
    return preview


def _problem(line: int, header: Mapping[str, str], name: str, problem: Text) -> RowProblem:
    return RowProblem.of(line, header.get(name, name), problem)


def entry_from_cells(
    cell: Mapping[str, str], known: Mapping[str, CarrierEntry]
) -> tuple[CarrierEntry | None, list[tuple[str, Text]]]:
    """The entry the given fields make (merged onto the known carrier of that code),
    or None and every (field, problem) found. `code` is required; a field that is
    not given keeps the catalogue's value."""
    try:
        code = check_code(cell.get("code", ""))
    except BadField as exc:
        return None, [(exc.field, exc.text)]
    old = known.get(code)
    values: dict[str, object] = {}
    problems: list[tuple[str, Text]] = []
    for name, check in _CHECKS.items():
        if name not in cell:
            continue
        try:
            values[name] = check(cell[name])
        except BadField as exc:
            problems.append((name, exc.text))
    if old is None:
        for name in ("name_zh", "pattern"):
            if name not in cell:
                problems.append((name, Text.of(f"new_carrier_needs_{name}", code=code)))
    if problems:
        return None, problems
    return merged(code, old, values), []


_CHECKS: dict[str, Callable[[str], object]] = {
    "name_zh": lambda value: check_name("name_zh", value),
    "name_en": lambda value: check_name("name_en", value),
    "services": check_services,
    "pattern": check_pattern,
    "tracking_url": check_tracking_url,
    "active": check_active,
}


def merged(code: str, old: CarrierEntry | None, values: Mapping[str, object]) -> CarrierEntry:
    """`old` (or a new active carrier offering standard) with the given fields changed;
    an `active` of None keeps the state."""
    base = (
        old.carrier if old is not None else Carrier(code, "", "", "", "", (str(Service.STANDARD),))
    )
    carrier = Carrier(
        code=code,
        name_zh=str(values.get("name_zh", base.name_zh)),
        name_en=str(values.get("name_en", base.name_en)),
        pattern=str(values.get("pattern", base.pattern)),
        tracking_url=str(values.get("tracking_url", base.tracking_url)),
        services=tuple(values.get("services", base.services)),  # type: ignore[arg-type]
    )
    active = values.get("active")
    if active is None:
        active = old.active if old is not None else True
    return CarrierEntry(carrier, bool(active))


def carriers_csv(entries: list[CarrierEntry]) -> str:
    """The catalogue as CSV text in `COLUMNS` order, as `parse_carriers` reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        c = entry.carrier
        writer.writerow(
            neutralised_row(
                (
                    c.code,
                    c.name_zh,
                    c.name_en,
                    " ".join(c.services),
                    c.pattern,
                    c.tracking_url,
                    "yes" if entry.active else "no",
                )
            )
        )
    return out.getvalue()

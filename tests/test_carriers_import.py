"""The carrier importer on anything: any bytes end as an unreadable file or row
problems, never an exception; every good row lands exactly once."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.carriers import Carrier, Service
from station.core.permissions import AuditEvent
from station.importers.carriers import COLUMNS, carriers_csv, parse_carriers
from station.importers.table import UnreadableFile, table_from_bytes
from station.store import audit, catalogue
from station.store.db import DB_FILE, connect

HEADER = ",".join(COLUMNS).encode()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=300).map(lambda tail: HEADER + b"\n" + tail),
        st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail),
        st.text(max_size=300).map(lambda tail: (",".join(COLUMNS) + "\n" + tail).encode("utf-8")),
    )
)
def test_any_bytes_give_an_unreadable_file_or_problems(data: bytes) -> None:
    known = {c.code: c for c in _builtin_entries()}
    try:
        table = table_from_bytes(data)
        preview = parse_carriers(table, known)
    except UnreadableFile as exc:
        assert str(exc)
        return
    assert len(preview.rows) + preview.rejected_rows == preview.total_rows == len(table.rows)
    assert all(p.line >= 2 and p.problem for p in preview.problems)
    assert len({row.entry.code for row in preview.rows}) == len(preview.rows)


def _builtin_entries() -> list[catalogue.CarrierEntry]:
    from station.core.carriers import CARRIERS

    return [catalogue.CarrierEntry(c) for c in CARRIERS.values()]


CODES = ("SF", "zto", "YD", "KYE", "new_1")
GOOD = {
    "name_zh": st.sampled_from(["顺丰速运", "中通快递", "跨越速运", "新快递"]),
    "name_en": st.sampled_from(["", "SF Express", 'Q "quoted", Ltd', "KY"]),
    "services": st.lists(st.sampled_from([str(s) for s in Service]), min_size=1, max_size=4).map(
        " | ".join
    ),
    "pattern": st.sampled_from([r"SF\d{12,13}", r"\d{12,15}", r"KY\d{10}", r"(A|B)\d{3,}"]),
    "tracking_url": st.sampled_from(["", "https://t.example/?nu={tracking_no}&c={carrier}"]),
    "active": st.sampled_from(["", "yes", "no", "1", "0", "是", "停用"]),
}
BAD = {
    "code": ["", "S F", "X" * 21],
    "name_zh": ["", "  "],
    "services": ["", "overnight", "standard,teleport"],
    "pattern": ["", "(", r"SF\d{12", "[z-a]"],
    "tracking_url": ["ftp://t/{tracking_no}", "https://t/", "https://t/{no}"],
    "active": ["maybe", "2"],
}


@st.composite
def rows(draw) -> list[tuple[dict[str, str], bool]]:
    """(cells, good) rows; a bad row has exactly one bad cell."""
    made = []
    for _ in range(draw(st.integers(1, 8))):
        cells = {"code": draw(st.sampled_from(CODES))}
        cells |= {name: draw(strategy) for name, strategy in GOOD.items()}
        good = draw(st.booleans())
        if not good:
            name = draw(st.sampled_from(sorted(BAD)))
            cells[name] = draw(st.sampled_from(BAD[name]))
        made.append((cells, good))
    return made


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows(), st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_every_good_row_lands_exactly_once(made, encoding: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for cells, _ in made:
        writer.writerow([cells[c] for c in COLUMNS])
    with tempfile.TemporaryDirectory() as folder:
        db = connect(Path(folder) / DB_FILE)
        try:
            before = catalogue.entries(db)
            preview = parse_carriers(table_from_bytes(out.getvalue().encode(encoding)), before)
            changed = catalogue.save_entries(db, preview.entries, actor="test")
            after = catalogue.entries(db)
            logged = [e.subject for e in audit.entries(db, AuditEvent.CARRIER)]
        finally:
            db.close()

    landed: dict[str, dict[str, str]] = {}
    for cells, good in made:
        if good and cells["code"].upper() not in landed:
            landed[cells["code"].upper()] = cells
    assert [row.entry.code for row in preview.rows] == list(landed)
    assert preview.rejected_rows == len(made) - len(landed)
    for code, cells in landed.items():
        entry = after[code]
        assert entry.carrier.name_zh == cells["name_zh"]
        assert entry.carrier.name_en == cells["name_en"]
        assert entry.carrier.pattern == cells["pattern"]
        assert entry.carrier.services == tuple(dict.fromkeys(cells["services"].split(" | ")))
        assert entry.carrier.tracking_url == cells["tracking_url"]
        old = before.get(code)
        default = old.active if old is not None else True
        active = {"": default, "yes": True, "1": True, "是": True}.get(cells["active"], False)
        assert entry.active is active
    assert {c: e for c, e in after.items() if c not in landed} == {
        c: e for c, e in before.items() if c not in landed
    }
    # One audit entry per carrier that really changed, none for the rest.
    assert sorted(logged) == sorted(changed)
    assert set(changed) == {c for c in landed if before.get(c) != after[c]}


def test_the_export_reads_back_as_the_same_entries() -> None:
    entries = [
        *_builtin_entries(),
        catalogue.CarrierEntry(
            Carrier("KYE", "跨越", 'K "Y", E', r"K\d{3},?", "", ("express",)), False
        ),
    ]
    known = {e.code: e for e in entries}
    text = carriers_csv(entries)
    preview = parse_carriers(table_from_bytes(text.encode("utf-8")), {})
    assert preview.problems == []
    assert preview.entries == entries
    assert parse_carriers(table_from_bytes(text.encode("gbk")), known).entries == entries

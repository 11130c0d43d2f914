"""The courier manifest read back: PDF rasterised and every barcode decoded, CSV parsed;
and the `station report` commands."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pypdfium2
import pytest
import sqlite_utils
import zxingcpp

from station.cli import main
from station.reporting.manifest import CSV_COLUMNS, write_manifest
from station.store.handover import manifest_for_day
from tests.shipments_factory import make_shipment


def _decoded(pdf: Path) -> tuple[list[str], str]:
    """Every barcode on every page, and all the text."""
    document = pypdfium2.PdfDocument(str(pdf))
    found: list[str] = []
    text = []
    for page in document:
        image = page.render(scale=3).to_pil()
        found += [b.text for b in zxingcpp.read_barcodes(image) if b.format.name == "Code128"]
        text.append(page.get_textpage().get_text_range())
    document.close()
    return found, "\n".join(text)


@pytest.fixture
def day_of_parcels(db: sqlite_utils.Database) -> list[str]:
    """30 ZTO parcels today (one voided), 2 SF parcels, and a ZTO parcel yesterday."""
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    numbers = [
        make_shipment(db, noon + timedelta(minutes=n), weight_g=100 + n).tracking_no
        for n in range(30)
    ]
    make_shipment(db, noon, voided=True)
    make_shipment(db, noon, carrier="SF", tracking_no="SF1023574470001")
    make_shipment(db, noon, carrier="SF", tracking_no="SF1023574470002")
    make_shipment(db, noon - timedelta(days=1))
    return numbers


def test_pdf_manifest_barcodes_decode_to_every_tracking_number(
    db: sqlite_utils.Database, day_of_parcels: list[str], tmp_path: Path
) -> None:
    manifest = manifest_for_day(db, "zto", datetime.now().astimezone().date())
    assert manifest.count == 30
    assert manifest.total_weight_g == sum(100 + n for n in range(30))
    pdf = write_manifest(manifest, tmp_path / "zto.pdf")
    barcodes, text = _decoded(pdf)
    assert sorted(barcodes) == sorted(day_of_parcels)
    assert "Parcels: 30" in text and f"{manifest.total_weight_g / 1000:,.2f} kg" in text
    assert "Courier signature" in text and "中通快递" in text


def test_csv_manifest_parses_with_one_row_per_parcel(
    db: sqlite_utils.Database, day_of_parcels: list[str], tmp_path: Path
) -> None:
    manifest = manifest_for_day(db, "SF", datetime.now().astimezone().date())
    path = write_manifest(manifest, tmp_path / "sf.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["tracking_no"] for r in rows] == ["SF1023574470001", "SF1023574470002"]
    assert all(r["carrier"] == "SF" and r["weight_g"] == "500" for r in rows)


def test_report_manifest_command_writes_the_day_asked_for(
    data_dir: Path, db: sqlite_utils.Database, day_of_parcels: list[str], tmp_path: Path
) -> None:
    yesterday = (datetime.now().astimezone() - timedelta(days=1)).date()
    out = tmp_path / "y.csv"
    args = ["--data-dir", str(data_dir), "report", "manifest", "--carrier", "ZTO"]
    assert main([*args, "--date", yesterday.isoformat(), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 1
    assert main([*args, "--out", str(tmp_path / "m.txt")]) == 2


def test_report_throughput_command_writes_csv_and_pdf(
    data_dir: Path, db: sqlite_utils.Database, day_of_parcels: list[str], tmp_path: Path
) -> None:
    today = datetime.now().astimezone().date().isoformat()
    base = ["--data-dir", str(data_dir), "report", "throughput", "--from", today, "--to", today]
    assert main([*base, "--out", str(tmp_path / "t.csv")]) == 0
    with (tmp_path / "t.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["scope"] == "total")
    assert (total["parcels"], total["voids"]) == ("32", "1")
    carriers = {r["name"]: r["parcels"] for r in rows if r["scope"] == "carrier"}
    assert carriers == {"ZTO": "30", "SF": "2"}
    assert main([*base, "--out", str(tmp_path / "t.pdf")]) == 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")

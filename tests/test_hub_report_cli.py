"""`station hub report throughput|manifest` run as a supervisor runs it, against a
real PostgreSQL hub: the CSV's rows, the PDFs produced, and clear refusals."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdfium2
import pytest

from station.hub.db import connect
from station.hub.heartbeat import BenchReport, send
from station.hub.push import HubTarget
from tests.test_hub_cli import bench_folder, station
from tests.test_hub_floor import recorded, today_at, voided


@pytest.fixture
def floor(hub_url: str) -> str:
    """Today: bench-1/li 3 ZTO at 09:xx, bench-2/wu 2 SF at 10:xx (one voided)."""
    nine = today_at(9)
    target = HubTarget(hub_url)
    target.deliver(
        [recorded("bench-1", n, "li", "ZTO", nine + timedelta(minutes=n), 500) for n in range(3)]
        + [
            recorded("bench-2", n, "wu", "SF", nine + timedelta(hours=1, minutes=n), 900)
            for n in range(2)
        ],
        {},
    )
    target.deliver([voided("bench-2", 1, nine + timedelta(hours=2))], {})
    target.close()
    with connect(hub_url) as conn:
        send(conn, "bench-1", BenchReport("li", 4, 1, 37.5))
    return hub_url


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_throughput_csv_holds_every_bench_hour_packer_and_carrier(
    tmp_path: Path, floor: str
) -> None:
    out = tmp_path / "floor.csv"
    done = station(tmp_path, "hub", "report", "throughput", "--url", floor, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"-> {out} (csv)" in done.stdout
    found = rows(out)
    by_scope: dict[str, list[dict[str, str]]] = {}
    for row in found:
        by_scope.setdefault(row["scope"], []).append(row)
    (total,) = by_scope["total"]
    assert (total["parcels"], total["voids"], total["active_hours"]) == ("4", "1", "2")
    assert total["parcels_per_hour"] == "2.0" and total["weight_g"] == "2400"
    benches = {row["name"]: row for row in by_scope["bench"]}
    bench = benches["bench-1"]
    assert {k: bench[k] for k in ("name", "state", "packer", "queue_depth", "cycle_p50_s")} == {
        "name": "bench-1",
        "state": "online",
        "packer": "li",
        "queue_depth": "4",
        "cycle_p50_s": "37.5",
    }
    assert bench["exceptions"] == "1" and bench["last_seen"] and bench["parcels"] == "3"
    silent = benches["bench-2"]  # shipped, never beat
    assert (silent["state"], silent["last_seen"], silent["parcels"]) == ("offline", "", "1")
    hours = {row["name"][-5:]: row["parcels"] for row in by_scope["hour"]}
    assert hours == {"09:00": "3", "10:00": "1"}
    packers = {row["name"]: (row["parcels"], row["voids"]) for row in by_scope["packer"]}
    assert packers == {"li": ("3", "0"), "wu": ("1", "1")}
    carriers = {row["name"]: (row["parcels"], row["weight_g"]) for row in by_scope["carrier"]}
    assert carriers == {"ZTO": ("3", "1500"), "SF": ("1", "900")}


def test_the_throughput_pdf_is_written_with_the_benches_in_it(tmp_path: Path, floor: str) -> None:
    done = station(
        tmp_path,
        "hub",
        "report",
        "throughput",
        "--url",
        floor,
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "floor.pdf"),
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / "floor.pdf")
    assert "Warehouse throughput" in text and "bench-1" in text and "ZTO" in text


def test_the_manifest_from_the_hub_is_written_for_every_bench_of_the_day(
    tmp_path: Path, floor: str
) -> None:
    folder = bench_folder(tmp_path / "sup", floor)
    csv_out = tmp_path / "zto.csv"
    done = station(folder, "hub", "report", "manifest", "--carrier", "zto", "--out", str(csv_out))
    assert done.returncode == 0, done.stderr
    assert [row["tracking_no"] for row in rows(csv_out)] == [f"bench-1-T{n}" for n in range(3)]
    day = date.today().isoformat()
    pdf_out = tmp_path / "sf.pdf"
    pdf = station(
        folder, "hub", "report", "manifest", "--carrier", "SF", "--date", day, "--out", str(pdf_out)
    )
    assert pdf.returncode == 0, pdf.stderr
    assert "SF " + day + ": 1 parcels, 0.90 kg" in pdf.stdout
    text = pdf_text(pdf_out)
    assert "bench-2-T0" in text and "bench-2-T1" not in text  # the void is left out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["manifest"], "needs --carrier"),
        (["throughput", "--format", "pdf", "--out", "x.csv"], "make them agree"),
        (["throughput", "--out", "x.xlsx"], "written as .csv or .pdf"),
        (["throughput", "--date", "21.11.2026"], "not a day like"),
        (["throughput", "--url", "postgresql://x:y@127.0.0.1:1/station"], "cannot be reached"),
        (["throughput"], "no hub: set hub.url"),
    ],
)
def test_bad_input_is_refused_with_what_to_do(tmp_path: Path, args: list[str], says: str) -> None:
    done = station(tmp_path, "hub", "report", *args)
    assert done.returncode == 2
    assert says in done.stderr
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob("*.pdf"))


def test_a_hub_without_the_schema_is_refused(tmp_path: Path, pg_url: str) -> None:
    done = station(
        tmp_path, "hub", "report", "throughput", "--url", pg_url, "--out", str(tmp_path / "a.csv")
    )
    assert done.returncode == 2 and "station hub init" in done.stderr
    assert not (tmp_path / "a.csv").exists()


def test_dates_are_local_days(tmp_path: Path, floor: str) -> None:
    yesterday = (datetime.now().astimezone().date() - timedelta(days=1)).isoformat()
    out = tmp_path / "y.csv"
    done = station(
        tmp_path,
        "hub",
        "report",
        "throughput",
        "--url",
        floor,
        "--date",
        yesterday,
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    (total,) = [row for row in rows(out) if row["scope"] == "total"]
    assert total["parcels"] == "0"

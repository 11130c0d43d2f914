"""The warehouse's throughput report (`station hub report throughput`): what the
dashboard's Warehouse view shows, as CSV or PDF.

The CSV is one flat table; its `scope` column says what a row is about: the whole
floor over the period (`total`), one `bench` (its state now), one `hour`, one
`packer` or one `carrier` (parcels over the period).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from station.core.formulas import neutralised_row
from station.hub.floor import BenchState, FloorReport, Presence, Rate
from station.reporting import cjk_font
from station.reporting.by_suffix import write_by_suffix
from station.reporting.throughput import hour_chart, styled

CSV_COLUMNS = (
    "scope",
    "name",
    "state",
    "last_seen",
    "packer",
    "queue_depth",
    "parcels_this_hour",
    "cycle_p50_s",
    "exceptions",
    "parcels",
    "active_hours",
    "parcels_per_hour",
    "voids",
    "weight_g",
)


def write_floor(report: FloorReport, path: Path) -> Path:
    """Write the report as .csv or .pdf, by the file's suffix, whole or not at all."""
    writers = {".csv": write_csv, ".pdf": write_pdf}
    return write_by_suffix(report, path, writers, "the throughput report")


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M:%S}"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _rate_row(scope: str, rate: Rate) -> dict[str, object]:
    return {
        "scope": scope,
        "name": rate.name,
        "parcels": rate.parcels,
        "active_hours": rate.active_hours,
        "parcels_per_hour": round(rate.parcels_per_hour, 2),
        "voids": rate.voids,
        "weight_g": rate.weight_g,
    }


def _bench_row(bench: BenchState) -> dict[str, object]:
    return {
        "scope": "bench",
        "name": bench.bench,
        "state": bench.presence.value,
        "last_seen": _when(bench.last_seen),
        "packer": bench.packer,
        "queue_depth": bench.queue_depth,
        "parcels": bench.parcels,
        "parcels_this_hour": bench.parcels_this_hour,
        "cycle_p50_s": _seconds(bench.cycle_p50_s),
        "exceptions": bench.exceptions,
    }


def csv_rows(report: FloorReport) -> list[dict[str, object]]:
    rows = [_rate_row("total", report.total) | {"parcels_this_hour": report.parcels_this_hour}]
    rows += [_bench_row(b) for b in report.benches]
    rows += [
        {"scope": "hour", "name": f"{moment.astimezone():%Y-%m-%d %H:00}", "parcels": count}
        for moment, count in report.hourly
        if count
    ]
    rows += [_rate_row("packer", r) for r in report.packers]
    rows += [_rate_row("carrier", r) for r in report.carriers]
    return rows


def write_csv(report: FloorReport, path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, restval="")
        writer.writeheader()
        for row in csv_rows(report):
            writer.writerow(dict(zip(row, neutralised_row(row.values()), strict=True)))
    return path


def title(report: FloorReport) -> str:
    first = report.start.astimezone().date()
    last = (report.end.astimezone() - timedelta(days=1)).date()
    span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    return f"仓库产能 Warehouse throughput {span}"


def write_pdf(report: FloorReport, path: Path) -> Path:
    font = cjk_font()
    heading = ParagraphStyle("title", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    total = report.total
    summary = (
        f"件数 Parcels {total.parcels}, 件/时 per hour {total.parcels_per_hour:.1f}, "
        f"本小时 this hour {report.parcels_this_hour}; "
        f"在线发货台 benches online {report.online} / {len(report.benches)}; "
        f"数据时间 as of {_when(report.taken_at)}"
    )
    # Built in memory, then written: reportlab leaves its file open when a write fails.
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title(report))
    story: list[Flowable] = [
        Paragraph(title(report), heading),
        Paragraph(summary, body),
        Spacer(1, 4 * mm),
        hour_chart(report.hourly, font),
        Spacer(1, 4 * mm),
        Paragraph("发货台 Benches", body),
        _bench_table(report.benches, font),
    ]
    for label, rates in (
        ("按打包员 Per packer", report.packers),
        ("承运商 Per carrier", report.carriers),
    ):
        story += [Spacer(1, 4 * mm), Paragraph(label, body), _rate_table(rates, font)]
    doc.build(story)
    path.write_bytes(buffer.getvalue())
    return path


def _bench_table(benches: list[BenchState], font: str) -> Table:
    rows: list[list[object]] = [
        [
            "发货台 Bench",
            "状态 State",
            "最后联系 Last seen",
            "打包员 Packer",
            "待传 Queue",
            "件数 Parcels",
            "本小时 This hour",
            "P50 s",
            "异常 Exceptions",
        ]
    ]
    rows += [
        [
            b.bench,
            "在线 online" if b.presence is Presence.ONLINE else "离线 offline",
            _when(b.last_seen) or "—",
            b.packer or "—",
            b.queue_depth,
            b.parcels,
            b.parcels_this_hour,
            _seconds(b.cycle_p50_s) or "—",
            b.exceptions,
        ]
        for b in benches
    ]
    return styled(Table(rows, repeatRows=1), font)


def _rate_table(rates: list[Rate], font: str) -> Table:
    rows: list[list[object]] = [
        ["", "件数 Parcels", "件/时 Per hour", "作废 Voids", "重量 Weight kg"]
    ]
    rows += [
        [
            r.name or "—",
            r.parcels,
            f"{r.parcels_per_hour:.1f}",
            r.voids,
            f"{r.weight_g / 1000:,.2f}",
        ]
        for r in rates
    ]
    return styled(Table(rows, repeatRows=1), font)

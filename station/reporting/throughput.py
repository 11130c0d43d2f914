"""The throughput report: the dashboard's figures for a period, as CSV or PDF.

The CSV is one flat table; its `scope` column says what a row is about: the
whole period (`total`), one `station`, one `packer`, one `hour` (parcels only)
or one `carrier` (parcels, weight and order value).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from station.core.formulas import neutralised_row
from station.reporting import cjk_font
from station.reporting.by_suffix import write_by_suffix
from station.store.reports import Dashboard, Figures

CSV_COLUMNS = (
    "scope",
    "name",
    "parcels",
    "voids",
    "active_hours",
    "parcels_per_hour",
    "cycle_p50_s",
    "cycle_p95_s",
    "wrong_items",
    "wrong_item_rate",
    "weight_mismatches",
    "weight_mismatch_rate",
    "overrides",
    "override_rate",
    "reprints",
    "reprint_rate",
    "void_rate",
    "weight_g",
    "order_value_fen",
)


def write_throughput(report: Dashboard, path: Path) -> Path:
    """Write the report as .csv or .pdf, by the file's suffix, whole or not at all."""
    writers = {".csv": write_csv, ".pdf": write_pdf}
    return write_by_suffix(report, path, writers, "the throughput report")


def figure_row(scope: str, f: Figures) -> dict[str, object]:
    return {
        "scope": scope,
        "name": f.name,
        "parcels": f.parcels,
        "voids": f.voids,
        "active_hours": f.active_hours,
        "parcels_per_hour": round(f.parcels_per_hour, 2),
        "cycle_p50_s": _seconds(f.cycle_p50_s),
        "cycle_p95_s": _seconds(f.cycle_p95_s),
        "wrong_items": f.wrong_items,
        "wrong_item_rate": round(f.rate(f.wrong_items), 4),
        "weight_mismatches": f.weight_mismatches,
        "weight_mismatch_rate": round(f.rate(f.weight_mismatches), 4),
        "overrides": f.overrides,
        "override_rate": round(f.rate(f.overrides), 4),
        "reprints": f.reprints,
        "reprint_rate": round(f.rate(f.reprints), 4),
        "void_rate": round(f.rate(f.voids), 4),
    }


def csv_rows(report: Dashboard) -> list[dict[str, object]]:
    rows = [figure_row("total", report.total)]
    rows += [figure_row("station", f) for f in report.stations]
    rows += [figure_row("packer", f) for f in report.packers]
    rows += [
        {"scope": "hour", "name": f"{moment:%Y-%m-%d %H:00}", "parcels": count}
        for moment, count in report.hourly
        if count
    ]
    rows += [
        {
            "scope": "carrier",
            "name": c.carrier,
            "parcels": c.parcels,
            "weight_g": c.weight_g,
            "order_value_fen": c.order_value_fen,
        }
        for c in report.carriers
    ]
    return rows


def write_csv(report: Dashboard, path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, restval="")
        writer.writeheader()
        for row in csv_rows(report):
            writer.writerow(dict(zip(row, neutralised_row(row.values()), strict=True)))
    return path


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _title(report: Dashboard) -> str:
    first = report.period.start.date()
    last = (report.period.end - timedelta(days=1)).date()
    span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    return f"产能报表 Throughput {span}"


def write_pdf(report: Dashboard, path: Path) -> Path:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    # Built in memory, then written: reportlab leaves its file open when a write fails.
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=_title(report))
    story = [Paragraph(_title(report), title), Spacer(1, 4 * mm), hour_chart(report.hourly, font)]
    for heading, figures in (
        ("合计 Total", [report.total]),
        ("按发货台 Per station", report.stations),
        ("按打包员 Per packer", report.packers),
    ):
        story += [Spacer(1, 4 * mm), Paragraph(heading, body), _figures_table(figures, font)]
    story += [
        Spacer(1, 4 * mm),
        Paragraph("承运商 Carrier mix", body),
        _carrier_table(report, font),
    ]
    doc.build(story)
    path.write_bytes(buffer.getvalue())
    return path


_TABLE_HEAD = (
    "",
    "件数 Parcels",
    "件/时 Per hour",
    "P50 s",
    "P95 s",
    "错件 Wrong items",
    "重量异常 Weight",
    "主管确认 Overrides",
    "补打 Reprints",
    "作废 Voids",
)


def _figures_table(figures: list[Figures], font: str) -> Table:
    rows: list[list[object]] = [list(_TABLE_HEAD)]
    for f in figures:
        rows.append(
            [
                f.name or "—",
                f.parcels,
                f"{f.parcels_per_hour:.1f}",
                _seconds(f.cycle_p50_s),
                _seconds(f.cycle_p95_s),
                f"{f.wrong_items} ({f.rate(f.wrong_items):.1%})",
                f"{f.weight_mismatches} ({f.rate(f.weight_mismatches):.1%})",
                f"{f.overrides} ({f.rate(f.overrides):.1%})",
                f"{f.reprints} ({f.rate(f.reprints):.1%})",
                f"{f.voids} ({f.rate(f.voids):.1%})",
            ]
        )
    return styled(Table(rows, repeatRows=1), font)


def _carrier_table(report: Dashboard, font: str) -> Table:
    rows: list[list[object]] = [["", "件数 Parcels", "重量 Weight kg", "订单金额 Order value ¥"]]
    for c in report.carriers:
        rows.append(
            [c.carrier, c.parcels, f"{c.weight_g / 1000:,.2f}", f"{c.order_value_fen / 100:,.2f}"]
        )
    return styled(Table(rows, repeatRows=1), font)


def styled(table: Table, font: str) -> Table:
    """A report table: the CJK font, a grid, a shaded head row, figures right-aligned."""
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def hour_chart(hourly: list[tuple[datetime, int]], font: str) -> Drawing:
    """Parcels per hour as bars, for the throughput reports of a bench and of the hub."""
    drawing = Drawing(250 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 230 * mm, 42 * mm
    counts = [count for _, count in hourly] or [0]
    chart.data = [counts]
    labels = [f"{moment:%H}" for moment, _ in hourly]
    step = max(1, len(labels) // 24)
    chart.categoryAxis.categoryNames = [
        lbl if i % step == 0 else "" for i, lbl in enumerate(labels)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#2f6fb0")
    drawing.add(chart)
    return drawing

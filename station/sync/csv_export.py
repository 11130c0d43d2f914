"""The batch-shipping spreadsheet for merchants who upload by hand in the shop's
back office: one row per live shipment, columns configurable
(`sync.csv_columns`, "HEADER=FIELD,..."). UTF-8 with BOM so Excel reads Chinese."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlite_utils

from printers.files import written_whole
from station.core.carriers import carrier_name
from station.core.formulas import neutralised_row
from station.store import catalogue

FIELDS = (
    "order_no",
    "carrier",
    "carrier_name",
    "tracking_no",
    "weight_g",
    "shipped_at",
    "packer",
    "station",
)


def parse_columns(spec: str) -> list[tuple[str, str]]:
    """'订单号=order_no,快递单号=tracking_no' -> [(header, field), ...]."""
    columns = []
    for part in spec.split(","):
        if not part.strip():
            continue
        header, sep, field = part.partition("=")
        field = field.strip() if sep else header.strip()
        if field not in FIELDS:
            raise ValueError(f"unknown CSV field {field!r}; known: {', '.join(FIELDS)}")
        columns.append((header.strip() or field, field))
    if not columns:
        raise ValueError("no CSV columns configured")
    return columns


def export_csv(db: sqlite_utils.Database, since: str, out: Path, spec: str) -> int:
    """Write shipments recorded at or after `since` (UTC ISO date or time); returns rows."""
    columns = parse_columns(spec)
    known = catalogue.carriers(db, active_only=False)
    rows = db.execute(
        """SELECT order_no, carrier, tracking_no, weight_g, recorded_at, packer, station
           FROM shipments WHERE voided_at IS NULL AND recorded_at >= ? ORDER BY recorded_at, id""",
        [since],
    ).fetchall()
    with (
        written_whole(out) as temporary,
        temporary.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(neutralised_row(header for header, _ in columns))
        for order_no, code, tracking, grams, at, packer, station in rows:
            values = {
                "order_no": order_no,
                "carrier": code,
                "carrier_name": carrier_name(code, known),
                "tracking_no": tracking,
                "weight_g": grams,
                "shipped_at": at,
                "packer": packer,
                "station": station,
            }
            writer.writerow(neutralised_row(values[field] for _, field in columns))
    return len(rows)

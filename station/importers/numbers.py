"""Waybill-number files for the pool: one number a line (or the first column of a
CSV/XLSX), each checked against the carrier's number pattern."""

from __future__ import annotations

import csv
import io

from station.core.carriers import MAX_WAYBILL_LENGTH, Carrier
from station.core.problem_texts import Text
from station.importers.problems import RowProblem
from station.importers.table import (
    FILE_EMPTY,
    XLSX_MAGIC,
    UnreadableFile,
    decode,
    table_from_bytes,
)


def read_numbers(data: bytes, carrier: Carrier) -> tuple[list[str], list[RowProblem]]:
    """The valid numbers in file order (each once) and a problem for every other line.

    A first line with no digit is taken as a header and skipped.
    """
    numbers: dict[str, None] = {}
    problems: list[RowProblem] = []
    for line, text in _first_cells(data):
        number = text.strip().upper()
        if not number or (line == 1 and not any(ch.isdigit() for ch in number)):
            continue
        if len(number) > MAX_WAYBILL_LENGTH:
            problems.append(
                RowProblem.of(line, "", Text.of("waybill_too_long", length=len(number)))
            )
        elif carrier.accepts(number):
            numbers[number] = None
        else:
            problems.append(
                RowProblem.of(
                    line,
                    "",
                    Text.of("not_a_waybill_number", number=repr(number), carrier=carrier.code),
                )
            )
    return list(numbers), problems


def _first_cells(data: bytes) -> list[tuple[int, str]]:
    if not data.strip():
        raise UnreadableFile(FILE_EMPTY)
    if data.startswith(XLSX_MAGIC):
        table = table_from_bytes(data)
        first = [(1, table.headers[0] if table.headers else "")]
        return first + [(row.line, row.get(0)) for row in table.rows]
    text, _ = decode(data)
    if "\x00" in text:
        raise UnreadableFile(Text.of("file_nul_not_text"))
    cells = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            row = next(csv.reader(io.StringIO(line)), [""])
        except csv.Error:  # a cell over the csv module's limit: no number anyway
            row = [line]
        cells.append((number, row[0] if row else ""))
    return cells

"""Reading an import file into rows of text cells, whatever Excel or a shop wrote.

CSV comes as UTF-8 (with or without BOM) or GBK / GB18030 (Excel on Chinese
Windows); GB18030 is a superset of GBK, so one decoder covers both. XLSX is
read from its first sheet. Every failure is an `UnreadableFile` with a message
a person can act on; nothing else escapes, whatever the bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from station.core.problem_texts import Text
from station.importers.gc_pause import gc_paused
from station.store.db import DB_FILE

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
FILE_EMPTY = Text.of("file_empty")
DATABASE_FILES = frozenset(DB_FILE + side for side in ("", "-wal", "-shm", "-journal"))


class UnreadableFile(ValueError):
    """Why a file cannot be read, as a keyed text: `str()` is its English (the CLI),
    the interface translates `text`."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


class Row(NamedTuple):
    """One data row, its cells stripped and padded to the header's width (so every
    column index is a valid one). A tuple because an import makes hundreds of
    thousands of them."""

    line: int
    cells: tuple[str, ...]

    def get(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    encoding: str

    def column(self, header: str) -> int | None:
        try:
            return self.headers.index(header)
        except ValueError:
            return None


@gc_paused
def read_table(path: Path | str) -> Table:
    return table_from_bytes(read_import_file(path))


def read_import_file(path: Path | str) -> bytes:
    """The bytes of a file a person chose to import (orders, products, numbers, rates,
    a mapping). The station's own database and its side files are refused by name,
    unopened: reading them with Python in a process that holds a connection to the
    database would drop that connection's locks (see station.store.integrity)."""
    path = Path(path)
    if path.resolve().name in DATABASE_FILES:
        raise UnreadableFile(Text.of("file_is_database", path=str(path)))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            Text.of("file_cannot_read", path=str(path), reason=str(exc.strerror or exc))
        ) from exc


def table_from_bytes(data: bytes) -> Table:
    if not data.strip():
        raise UnreadableFile(FILE_EMPTY)
    if data.startswith(XLSX_MAGIC):
        return _xlsx(data)
    text, encoding = decode(data)
    return _csv(text, encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 with BOM, UTF-8, else GB18030."""
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(Text.of("file_bad_utf8", position=exc.start)) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(Text.of("file_not_text", position=exc.start)) from None


def _csv(text: str, encoding: str) -> Table:
    if "\x00" in text:
        raise UnreadableFile(Text.of("file_nul_not_csv"))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    headers: tuple[str, ...] | None = None
    try:
        start = reader.line_num + 1
        for cells in reader:
            if headers is None:
                headers = tuple(c.strip() for c in cells)
            elif row := _data_row(start, cells, len(headers)):
                rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(
            Text.of("file_bad_csv", line=reader.line_num, reason=str(exc))
        ) from None
    return _checked(headers, rows, encoding)


def _xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableFile(Text.of("file_bad_xlsx", reason=str(exc))) from None
    # openpyxl raises many kinds of errors on a damaged workbook; all mean the same here.
    try:
        sheet = book.worksheets[0]
        rows: list[Row] = []
        headers: tuple[str, ...] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if headers is None:
                headers = tuple(c.strip() for c in cells)
            elif row := _data_row(number, cells, len(headers)):
                rows.append(row)
    except Exception as exc:
        raise UnreadableFile(Text.of("file_damaged_xlsx", reason=str(exc))) from None
    finally:
        book.close()
    return _checked(headers, rows, "xlsx")


def _data_row(line: int, cells: list[str], width: int) -> Row | None:
    """The row with its cells stripped and padded to `width`; None for a blank row."""
    stripped = tuple(map(str.strip, cells))
    if not any(stripped):
        return None
    if len(stripped) < width:
        stripped += ("",) * (width - len(stripped))
    return Row(line, stripped)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def _checked(headers: tuple[str, ...] | None, rows: list[Row], encoding: str) -> Table:
    if not headers or not any(headers):
        raise UnreadableFile(Text.of("file_no_header"))
    return Table(headers, tuple(rows), encoding)

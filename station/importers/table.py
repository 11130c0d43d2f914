"""Reading an import file into rows of text cells, whatever Excel or a shop wrote.

CSV comes as UTF-8 (with or without BOM) or GBK / GB18030 (Excel on Chinese
Windows); GB18030 is a superset of GBK, so one decoder covers both. XLSX is
read from its first sheet. Every failure is an `UnreadableFile` with a message
a person can act on; nothing else escapes, whatever the bytes.

Whatever the file, reading it takes bounded memory (`Limits`, from the
`import.*` settings): only a regular file is read (a folder, a FIFO or a device
such as /dev/zero is refused before any byte is read), at most `max_bytes` of
it; at most `max_rows` rows and `MAX_COLUMNS` columns are kept, and a CSV line
may not exceed `MAX_LINE_CHARS`. An XLSX is a zip: the uncompressed sizes its
members declare must stay under `max_unzipped_bytes`, and Python's zipfile never
returns more than a member declares (a member that inflates beyond it fails its
CRC check), so a zip bomb is refused rather than inflated. Its XML is parsed by
openpyxl through defusedxml (a dependency): entity expansion (billion laughs),
external entities (XXE) and remote DTDs are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from station.core.bad_input import BadInput
from station.core.problem_texts import Text
from station.importers.gc_pause import gc_paused
from station.settings import Settings
from station.store.db import DB_FILE

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
FILE_EMPTY = Text.of("file_empty")
DATABASE_FILES = frozenset(DB_FILE + side for side in ("", "-wal", "-shm", "-journal"))
MB = 1024 * 1024
MAX_COLUMNS = 1000
"""More columns than any shop export has (WeChat Shop: about 50)."""
MAX_LINE_CHARS = 1_000_000
"""Longest CSV line read: a thousand columns of a thousand characters."""
MAX_CELLS = 100_000_000
"""Most cells kept (rows times the header's width, each row padded to it): 600,000
orders of two lines and 50 columns hold 60 million."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an import file is read (settings `import.max_file_mb`,
    `import.max_rows`, `import.max_unzipped_mb`)."""

    max_bytes: int = 512 * MB
    max_rows: int = 2_000_000
    max_unzipped_bytes: int = 2048 * MB

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits a data folder's settings set."""
        return cls(
            max_bytes=int(settings["import.max_file_mb"]) * MB,
            max_rows=int(settings["import.max_rows"]),
            max_unzipped_bytes=int(settings["import.max_unzipped_mb"]) * MB,
        )


DEFAULT_LIMITS = Limits()


class UnreadableFile(BadInput):
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
def read_table(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Table:
    return table_from_bytes(read_file(path, limits.max_bytes), limits)


def read_file(path: Path | str, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> bytes:
    """The bytes of a regular file of at most `max_bytes`.

    A folder, a FIFO, a device (/dev/zero) or a larger file is an UnreadableFile,
    found before anything is read: the file is opened without blocking (a FIFO
    would wait for a writer) and its kind taken from the open descriptor. Never
    more than `max_bytes` + 1 bytes are read, should the file grow meanwhile.

    The station's own database and its side files are refused by name, unopened:
    reading them with Python in a process that holds a connection to the database
    would drop that connection's locks (see station.store.integrity)."""
    path = Path(path)
    if path.resolve().name in DATABASE_FILES:
        raise UnreadableFile(Text.of("file_is_database", path=str(path)))
    try:
        handle = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        )
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(Text.of("file_is_folder"))
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(Text.of("file_not_regular"))
        if info.st_size > max_bytes:
            raise _too_large(info.st_size, max_bytes)
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    finally:
        os.close(handle)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _cannot_read(path: Path, exc: OSError) -> UnreadableFile:
    return UnreadableFile(
        Text.of("file_cannot_read", path=str(path), reason=str(exc.strerror or exc))
    )


def _too_large(size: int, limit: int) -> UnreadableFile:
    return UnreadableFile(
        Text.of("file_too_large", size=f"{size / MB:.1f}", limit=f"{limit / MB:.0f}")
    )


def table_from_bytes(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Table:
    if not data.strip():
        raise UnreadableFile(FILE_EMPTY)
    if data.startswith(XLSX_MAGIC):
        return _xlsx(data, limits)
    text, encoding = decode(data)
    return _csv(text, encoding, limits)


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


def _csv(text: str, encoding: str, limits: Limits) -> Table:
    if "\x00" in text:
        raise UnreadableFile(Text.of("file_nul_not_csv"))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(_lines(io.StringIO(text, newline="")), delimiter=delimiter)
    rows: list[Row] = []
    headers: tuple[str, ...] | None = None
    try:
        start = reader.line_num + 1
        for cells in reader:
            _check_columns(len(cells))
            if headers is None:
                headers = tuple(c.strip() for c in cells)
            elif row := _data_row(start, cells, len(headers)):
                rows.append(row)
                _check_rows(len(rows), len(headers), limits)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(
            Text.of("file_bad_csv", line=reader.line_num, reason=str(exc))
        ) from None
    return _checked(headers, rows, encoding)


def _lines(text: io.StringIO) -> Iterator[str]:
    """The text's lines, none longer than MAX_LINE_CHARS."""
    for number, line in enumerate(iter(lambda: text.readline(MAX_LINE_CHARS + 1), ""), 1):
        if len(line) > MAX_LINE_CHARS:
            raise UnreadableFile(Text.of("file_line_too_long", line=number, limit=MAX_LINE_CHARS))
        yield line


def _check_columns(count: int) -> None:
    if count > MAX_COLUMNS:
        raise UnreadableFile(Text.of("file_too_many_columns", limit=MAX_COLUMNS))


def _check_rows(count: int, width: int, limits: Limits) -> None:
    if count > limits.max_rows:
        raise UnreadableFile(Text.of("file_too_many_rows", limit=limits.max_rows))
    if count * width > MAX_CELLS:
        raise UnreadableFile(Text.of("file_too_many_cells", limit=MAX_CELLS))


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose members would inflate beyond the limit, by the sizes
    they declare (zipfile then never reads a member past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    # RuntimeError: NotImplementedError of a zip "version 13.2" (found by atheris).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise UnreadableFile(Text.of("file_bad_xlsx", reason=_reason(exc))) from None
    if declared > limits.max_unzipped_bytes:
        raise UnreadableFile(
            Text.of(
                "file_unzips_too_large",
                size=f"{declared / MB:.0f}",
                limit=f"{limits.max_unzipped_bytes / MB:.0f}",
            )
        )


def _xlsx(data: bytes, limits: Limits) -> Table:
    import openpyxl

    _check_zip(data, limits)
    # openpyxl raises many kinds of errors on a damaged workbook (BadZipFile,
    # KeyError, a ParseError of broken XML, defusedxml's refusals): all mean the
    # same here.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFile(Text.of("file_bad_xlsx", reason=_reason(exc))) from None
    try:
        sheet = book.worksheets[0]
        # A sheet may declare any dimension (A1:XFD1048576); openpyxl would pad
        # every row to it. Without it, a row is as wide as its last cell.
        sheet.reset_dimensions()
        rows: list[Row] = []
        headers: tuple[str, ...] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            _check_columns(len(values))
            cells = [_cell_text(v) for v in values]
            if headers is None:
                headers = tuple(c.strip() for c in cells)
            elif row := _data_row(number, cells, len(headers)):
                rows.append(row)
                _check_rows(len(rows), len(headers), limits)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(Text.of("file_damaged_xlsx", reason=_reason(exc))) from None
    finally:
        book.close()
    return _checked(headers, rows, "xlsx")


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


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

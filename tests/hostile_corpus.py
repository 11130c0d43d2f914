"""The hostile inputs of issue 17, as files: the small ones are kept in
tests/fixtures/hostile/ (written by `python -m tests.hostile_corpus`), the big ones
are made at test time by the functions here and never committed."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile"
HEADERS = ("订单号", "商品编码", "商品数量", "收货人", "收货人手机号", "详细地址")
ROW = ("WX1", "CUP-350", "1", "张三", "13812345678", "浙江省杭州市西湖区文三路1号")

XXE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&xxe;</t></si></sst>'
)
REMOTE_DTD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE sst SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>x</t></si></sst>'
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>&lol9;</t></si></sst>"
)
BROKEN = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spread'


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(rows: list[tuple[str, ...]] | None = None) -> bytes:
    """A minimal XLSX as Excel writes it: every text in xl/sharedStrings.xml."""
    table = [HEADERS, *(rows or [ROW])]
    strings = list(dict.fromkeys(cell for row in table for cell in row))
    cells = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(v)}</v></c>'
            for c, v in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(table, start=1)
    )
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    members = {
        "[Content_Types].xml": (
            f'<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{SHEET_TYPE}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return out.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one member replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def lying_sizes(data: bytes, member: str) -> bytes:
    """The workbook with `member` declaring (in both headers) a size of 10 bytes
    while it inflates to more: a zip bomb that hides its size."""
    blob = bytearray(data)
    name = member.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (found := blob.find(signature, start)) >= 0:
            name_at = found + (30 if signature == b"PK\x03\x04" else 46)
            if blob[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", blob, found + size_at, 10)
            start = found + 4
    return bytes(blob)


def shared_strings(xml: str) -> bytes:
    return with_member(workbook(), "xl/sharedStrings.xml", xml.encode())


SMALL_FILES: dict[str, bytes] = {
    "xlsx_xxe.xlsx": shared_strings(XXE),
    "xlsx_remote_dtd.xlsx": shared_strings(REMOTE_DTD),
    "xlsx_billion_laughs.xlsx": shared_strings(LAUGHS),
    "xlsx_broken_shared_strings.xlsx": shared_strings(BROKEN),
    "xlsx_lying_sizes.xlsx": lying_sizes(workbook(), "xl/worksheets/sheet1.xml"),
    "xlsx_not_a_zip.xlsx": b"PK\x03\x04" + b"\x00" * 200,
    "mapping_list.json": b"[1, 2, 3]\n",
    "mapping_kind_list.json": b'{"kind": ["orders"], "columns": {}}\n',
    "mapping_bad_utf8.toml": b'kind = "orders"\n\xff\xfe\n',
    "settings_bad_utf8.toml": b'[station]\nname = "\xff"\n',
    "orders_nul.csv": "订单号,收货人\nWX1,\x00\n".encode(),
    "orders_bad_quote.csv": '订单号,收货人\n"WX1,张三\n'.encode(),
    "carriers_backreference.csv": b"code,pattern\nZTO,(\\d)\\1+\n",
    "carriers_formula.csv": b'code,name_zh\nZTO,"=HYPERLINK(""http://x"")"\n',
    "rates_missing_columns.csv": b"carrier,zone\nZTO,a\n",
}


def write_fixtures() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, data in SMALL_FILES.items():
        (FIXTURES / name).write_bytes(data)


def nested_mapping(folder: Path) -> Path:
    path = folder / "mapping_nested.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    return path


def long_pool_line(folder: Path) -> Path:
    path = folder / "pool_long_line.txt"
    path.write_text("7" * 300_000 + "\n731234567890\n", encoding="ascii")
    return path


def inflating_workbook(folder: Path, megabytes: int) -> Path:
    """An XLSX whose shared strings unpack to `megabytes` MB and compress to a
    few kilobytes."""
    padding = "x" * (megabytes * 1024 * 1024)
    xml = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><si><t>{padding}</t></si></sst>'
    )
    path = folder / "inflating.xlsx"
    path.write_bytes(shared_strings(xml))
    return path


if __name__ == "__main__":
    write_fixtures()
    sys.exit(0)

"""Order files: encodings, multi-line orders, row problems, re-import, property tests."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io

import openpyxl
import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.model import OrderStatus
from station.importers.commit import apply_plan, plan_orders
from station.importers.mapping import (
    ORDERS,
    Mapping,
    MappingError,
    choose_mapping,
    load_mapping,
    save_mapping,
    wechat_shop_mapping,
)
from station.importers.orders import parse_orders
from station.importers.table import UnreadableFile, table_from_bytes
from station.store import migrations, orders
from station.store.db import DB_FILE, connect, folder_keys, transaction

HEADER = [
    "订单号",
    "商品编码",
    "商品名称",
    "商品数量",
    "收货人",
    "收货人手机号",
    "省",
    "市",
    "区",
    "详细地址",
    "订单状态",
]


def csv_text(rows: list[list[str]]) -> str:
    """Rows as a CSV file, quoted where a cell needs it (as Excel writes them)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue()


def good(order_no: str, sku: str = "CUP-350", qty: str = "1", name: str = "张三") -> list[str]:
    return [
        order_no,
        sku,
        "保温杯",
        qty,
        name,
        "13812345678",
        "浙江省",
        "杭州市",
        "西湖区",
        "文三路90号",
        "待发货",
    ]


def do_import(db: sqlite_utils.Database, data: bytes):  # type: ignore[no-untyped-def]
    table = table_from_bytes(data)
    preview = parse_orders(table, choose_mapping(table.headers, ORDERS))
    return apply_plan(db, plan_orders(db, preview, "test"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_utf8_bom_gbk_and_gb18030_files_read_the_same(encoding: str) -> None:
    data = csv_text([good("A1"), good("A2")]).encode(encoding)
    table = table_from_bytes(data)
    assert table.headers[0] == "订单号"
    assert table.rows[1].cells[4] == "张三"
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}
    assert table.encoding == expected[encoding]


def test_xlsx_reads_like_csv() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([*good("X1")[:3], 2, *good("X1")[4:]])
    out = io.BytesIO()
    book.save(out)
    table = table_from_bytes(out.getvalue())
    preview = parse_orders(table, wechat_shop_mapping(table.headers))
    assert [o.order_no for o in preview.orders] == ["X1"]
    assert preview.orders[0].lines[0].quantity == 2


def test_rows_with_one_number_are_one_order_and_same_sku_adds_up() -> None:
    rows = [good("M1"), good("M1", "TEA-LJ250", "2"), good("M1", "cup-350", "3"), good("M2")]
    preview = parse_orders(table_from_bytes(csv_text(rows).encode()), _shop())
    first = preview.orders[0]
    assert [(ln.sku, ln.quantity) for ln in first.lines] == [("CUP-350", 4), ("TEA-LJ250", 2)]
    assert first.source_lines == (2, 3, 4)
    assert len(preview.orders) == 2 and not preview.problems


def test_bad_rows_are_reported_with_line_and_column_and_sink_their_order() -> None:
    rows = [
        good("B1"),
        good("B2", qty="zero"),
        good("B3"),
        good("B3", sku=""),
        good("B4", name="李四"),
        good("B4"),
    ]
    preview = parse_orders(table_from_bytes(csv_text(rows).encode()), _shop())
    assert [o.order_no for o in preview.orders] == ["B1"]
    described = [(p.line, p.column) for p in preview.problems]
    assert (3, "商品数量") in described
    assert (5, "商品编码") in described
    assert (7, "收货人") in described
    assert any(p.line == 4 and "rejected with its order" in p.problem for p in preview.problems)
    assert preview.rejected_rows == 5


def test_unreadable_files_say_why() -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        table_from_bytes(b"  \n")
    with pytest.raises(UnreadableFile, match="XLSX"):
        table_from_bytes(b"PK\x03\x04garbage")
    with pytest.raises(UnreadableFile, match="UTF-8 or GBK"):
        table_from_bytes(b"\x81\x30\xff\xff" * 10)


def test_a_generic_file_needs_a_mapping_and_uses_a_saved_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = "单号,货号,件数,姓名,地址\nG1,CUP-350,1,张三,浙江省杭州市西湖区文三路90号\n".encode()
    table = table_from_bytes(data)
    with pytest.raises(MappingError, match="no column for order_no"):
        choose_mapping(table.headers, ORDERS)
    columns = {
        "order_no": "单号",
        "sku": "货号",
        "quantity": "件数",
        "recipient_name": "姓名",
        "address": "地址",
    }
    for name in ("m.json", "m.toml"):
        save_mapping(tmp_path / name, Mapping(ORDERS, columns))
        mapping = load_mapping(tmp_path / name)
        preview = parse_orders(table, choose_mapping(table.headers, ORDERS, "generic", mapping))
        assert preview.orders[0].address.text == "浙江省杭州市西湖区文三路90号"


def test_import_normalises_the_address_and_keeps_the_original(db: sqlite_utils.Database) -> None:
    data = "单号,货号,件数,姓名,地址\nN1,CUP-350,1,张三,杭州西湖区文三路90号\n".encode()
    table = table_from_bytes(data)
    mapping = Mapping(
        ORDERS,
        {
            "order_no": "单号",
            "sku": "货号",
            "quantity": "件数",
            "recipient_name": "姓名",
            "address": "地址",
        },
    )
    apply_plan(db, plan_orders(db, parse_orders(table, mapping), "test"))
    recipient = orders.find_order(db, "N1").recipient
    assert recipient.address == "杭州西湖区文三路90号"
    assert (recipient.province, recipient.city, recipient.district) == (
        "浙江省",
        "杭州市",
        "西湖区",
    )


def test_reimport_updates_unshipped_and_never_touches_shipped(db: sqlite_utils.Database) -> None:
    summary = do_import(db, csv_text([good("R1"), good("R2")]).encode())
    assert (summary.imported, summary.updated) == (2, 0)
    db.execute("UPDATE orders SET status = 'shipped' WHERE order_no = 'R2'")
    before = orders.find_order(db, "R2")
    again = do_import(
        db, csv_text([good("R1", name="王五"), good("R2", name="王五", qty="5")]).encode()
    )
    assert (again.imported, again.updated, again.unchanged_shipped) == (0, 1, 1)
    assert orders.find_order(db, "R1").recipient.name == "王五"
    after = orders.find_order(db, "R2")
    assert after == before


def test_a_bench_hold_survives_reimport_but_a_refund_replaces_it(db: sqlite_utils.Database) -> None:
    do_import(db, csv_text([good("H1")]).encode())
    orders.set_status(db, "H1", OrderStatus.HOLD, "held at bench-1 by packer")
    do_import(db, csv_text([good("H1")]).encode())
    assert orders.find_order(db, "H1").status is OrderStatus.HOLD
    cancelled = good("H1")
    cancelled[-1] = "已取消"
    do_import(db, csv_text([cancelled]).encode())
    order = orders.find_order(db, "H1")
    assert order.status is OrderStatus.CANCELLED and "已取消" in order.hold_reason


def test_duplicate_payment_number_flags_both_orders(db: sqlite_utils.Database) -> None:
    text = "订单号,商品编码,商品数量,收货人,详细地址,省,市,区,支付单号\n"
    text += "P1,CUP-350,1,张三,文三路1号,浙江省,杭州市,西湖区,4200009\n"
    do_import(db, text.encode())
    do_import(
        db,
        (text.split("\n")[0] + "\nP2,TEA,1,李四,文二路2号,浙江省,杭州市,西湖区,4200009\n").encode(),
    )
    assert any("4200009" in f and "P1" in f for f in orders.find_order(db, "P2").flags)
    assert any("4200009" in f and "P2" in f for f in orders.find_order(db, "P1").flags)


def _shop() -> Mapping:
    return wechat_shop_mapping(tuple(HEADER))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_table_or_unreadable_file_never_a_crash(data: bytes) -> None:
    try:
        table = table_from_bytes(data)
    except UnreadableFile:
        return
    try:
        mapping = choose_mapping(table.headers, ORDERS)
    except MappingError:
        return
    parse_orders(table, mapping)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_any_zip_like_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(UnreadableFile):
        table_from_bytes(data)


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8).filter(
    lambda s: s.strip() == s
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    good_orders=st.lists(st.integers(0, 999), unique=True, max_size=15),
    noise=st.lists(st.tuples(_cell, _cell), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_every_good_row_lands_once(tmp_path_factory, good_orders, noise, encoding) -> None:  # type: ignore[no-untyped-def]
    rows = [good(f"GOOD{n}", sku=f"SKU{n}", qty=str(n % 5 + 1)) for n in good_orders]
    rows += [
        [f"BAD{i}", sku, "x", qty, "", "", "", "", "", "", "待发货"]
        for i, (sku, qty) in enumerate(noise)
    ]
    db = connect(tmp_path_factory.mktemp("prop") / DB_FILE)
    summary = do_import(db, csv_text(rows).encode(encoding))
    assert summary.imported == len(good_orders)
    assert summary.rejected_rows == len(noise)
    stored = db.execute(
        "SELECT order_no, sku, quantity FROM order_lines ORDER BY order_no"
    ).fetchall()
    assert sorted(stored) == sorted((f"GOOD{n}", f"SKU{n}", n % 5 + 1) for n in good_orders)
    again = do_import(db, csv_text(rows).encode(encoding))
    assert (again.imported, again.updated) == (0, len(good_orders))
    assert db.execute("SELECT count(*) FROM order_lines").fetchone()[0] == len(good_orders)
    db.close()


def _with_time(row: list[str], ordered_at: str) -> list[str]:
    return [*row, ordered_at]


def _timed_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[*HEADER, "下单时间"], *rows])
    return out.getvalue().encode()


def test_the_duplicate_fingerprint_is_keyed_by_the_data_folder(data_dir) -> None:  # type: ignore[no-untyped-def]
    a, b = data_dir / "a", data_dir / "b"
    a.mkdir()
    b.mkdir()
    keys = []
    for folder in (a, b):
        db = connect(folder / DB_FILE)
        do_import(db, csv_text([good("K1")]).encode())
        keys.append(db.execute("SELECT dedupe_key FROM orders").fetchone()[0])
        db.close()
    assert all(keys) and keys[0] != keys[1], "another folder's key gives another fingerprint"
    plain = "张三|13812345678|浙江省杭州市西湖区文三路90号|CUP-350*1".encode()
    assert hashlib.blake2b(plain, digest_size=12).hexdigest() not in keys


def test_upgrading_rekeys_last_weeks_fingerprints_and_still_finds_the_twin(data_dir) -> None:  # type: ignore[no-untyped-def]
    path = data_dir / DB_FILE
    with connect(path) as db:
        recent = (dt.datetime.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        old = (dt.datetime.now() - dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
        do_import(
            db, _timed_csv([_with_time(good("R1"), recent), _with_time(good("O1", "TEA"), old)])
        )
        keyed = dict(db.execute("SELECT order_no, dedupe_key FROM orders").fetchall())
        # As the previous version left them: unkeyed fingerprints; then the upgrade's step.
        db.execute("UPDATE orders SET dedupe_key = 'unkeyed-' || order_no")
        with transaction(db):
            migrations._keyed_dedupe_keys(db, folder_keys(db))
        after = dict(db.execute("SELECT order_no, dedupe_key FROM orders").fetchall())
        assert after == {"R1": keyed["R1"], "O1": ""}
        twin = _with_time(good("R2"), recent)
        do_import(db, _timed_csv([twin]))
        assert any("duplicate" in f and "R1" in f for f in orders.find_order(db, "R2").flags)


def test_the_duplicate_check_reads_only_the_recent_fingerprints(db: sqlite_utils.Database) -> None:
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT order_no, dedupe_key, ordered_at, status FROM orders "
        "WHERE dedupe_key != '' AND ordered_at >= ?",
        ["2026-11-21T00:00:00Z"],
    ).fetchall()
    assert any("orders_recent_dedupe (ordered_at>?)" in row[-1] for row in plan), plan

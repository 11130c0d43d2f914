"""Import problems, flags and alerts by key: every text's placeholders match the
parameters its makers give (formatting never raises, in English or Chinese), every
source text is in the .ts translated, and flags keep their key through the database."""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication

from station.core import problem_texts
from station.core.address import AddressInput, parse_addresses
from station.core.carriers import CARRIERS
from station.core.model import Contact
from station.core.problem_texts import PLACEHOLDERS, TEXTS, Text, from_stored, stored
from station.importers import cells
from station.importers.carriers import columns_of, entry_from_cells
from station.importers.commit import apply_plan, plan_orders
from station.importers.mapping import FIELDS, ORDERS, PRODUCTS, Mapping, MappingError
from station.importers.orders import parse_orders
from station.importers.products import parse_products
from station.importers.table import Row, Table, UnreadableFile, table_from_bytes
from station.store import catalogue, orders
from station.store import flags as flag_store
from station.store.orders import NewLine, save_order
from station.ui.import_model import ACTIONS
from station.ui.texts import PROBLEMS_CONTEXT, problem_text
from station.ui.translations import TS_FILE, install_translators

CJK = ("\u3000", "\u9fff")


def fields(source: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(source)]


def names(source: str) -> set[str]:
    return {name for name, _, _ in fields(source) if name is not None}


def test_every_text_has_only_plain_named_placeholders() -> None:
    for key, source in TEXTS.items():
        for name, spec, conversion in fields(source):
            if name is None:
                continue
            assert name.isidentifier(), (key, name)
            assert not spec and conversion is None, (key, name)


def test_a_text_takes_exactly_the_parameters_its_source_names() -> None:
    assert (
        str(Text.of("sku_differs", sku="A", line=3)) == "SKU A is also on line 3 with other details"
    )
    with pytest.raises(TypeError):
        Text.of("sku_differs", sku="A")
    with pytest.raises(TypeError):
        Text.of("house_number_missing", detail="x")
    with pytest.raises(KeyError):
        Text.of("no_such_text")


def test_stored_texts_come_back_nested_and_unknown_ones_fall_back() -> None:
    nested = Text.of("flag_address", problem=Text.of("check_word", word="部队"))
    assert from_stored(*stored(nested)) == nested
    assert stored(None) == ("", "{}")
    assert from_stored("", "{}") is None
    assert from_stored("a_key_of_a_newer_station", "{}") is None
    assert from_stored("check_word", "not json") is None
    assert from_stored("check_word", '{"word": ["a list"]}') is None
    assert from_stored("check_word", "{}") is None  # a parameter missing


# -- the translation file ------------------------------------------------------------


def ts_contexts() -> dict[str, dict[str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return {
        context.findtext("name"): {
            message.findtext("source"): message.find("translation")
            for message in context.iter("message")
        }
        for context in root.iter("context")
    }


@pytest.mark.parametrize(
    ("context", "sources"),
    [
        ("problems", [*TEXTS.values(), problem_texts.LIST_SEPARATOR]),
        ("fields", [f.label for kind in (ORDERS, PRODUCTS) for f in FIELDS[kind]]),
        ("ImportActions", list(ACTIONS.values())),
    ],
)
def test_every_source_text_is_in_the_ts_translated(context: str, sources: list[str]) -> None:
    found = ts_contexts().get(context, {})
    for source in sources:
        assert source in found, (context, source)
        translation = found[source]
        assert translation.get("type") is None, (context, source)
        assert translation.text and any(
            CJK[0] <= ch <= CJK[1] or ch == "；" for ch in translation.text
        )
        assert names(translation.text) == names(source), (context, source)


# -- what the makers give, in English and in Chinese --------------------------------


@pytest.fixture(scope="module")
def chinese(qapp) -> Iterator[None]:
    assert install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


def assert_shows(text: Text) -> None:
    """The text formats in English and, with the same parameters, in Chinese."""
    assert text.key in TEXTS
    assert set(text.params) == PLACEHOLDERS[text.key]
    assert str(text)
    translated = QCoreApplication.translate(PROBLEMS_CONTEXT, TEXTS[text.key])
    assert translated != TEXTS[text.key] or not any(c.isalpha() for c in translated)
    translated.format(**{name: "·" for name in text.params})
    shown = problem_text(text)
    assert any(CJK[0] <= ch <= CJK[1] for ch in shown), shown
    for value in text.params.values():
        if isinstance(value, Text):
            assert_shows(value)


CELL = st.text(max_size=30)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(CELL, CELL)
def test_bad_cells_format_in_both_languages(chinese, text: str, refund: str) -> None:
    for parse in (cells.quantity, cells.fen, cells.grams, cells.moment):
        try:
            parse(text)
        except cells.BadCell as exc:
            assert str(exc) == str(exc.text)
            assert_shows(exc.text)
    try:
        cells.status(text, refund)
    except cells.BadCell as exc:
        assert_shows(exc.text)


@SLOW
@given(st.lists(CELL, min_size=1, max_size=5), st.lists(st.text(min_size=1, max_size=3)))
def test_address_problems_format_in_both_languages(chinese, texts: list[str], words) -> None:
    inputs = [AddressInput(t) for t in texts] + [AddressInput(t, t[:3], "", t[3:]) for t in texts]
    for parsed in parse_addresses(inputs, words):
        for problem in parsed.problems:
            assert_shows(problem)
            assert_shows(Text.of("flag_address", problem=problem))


@SLOW
@given(
    st.fixed_dictionaries(
        {},
        optional={
            c: CELL
            for c in ("code", "name_zh", "name_en", "services", "pattern", "tracking_url", "active")
        },
    )
)
def test_carrier_field_problems_format_in_both_languages(chinese, cell: dict[str, str]) -> None:
    known = {c.code: catalogue.CarrierEntry(c) for c in CARRIERS.values()}
    entry, problems = entry_from_cells(cell, known)
    assert (entry is None) == bool(problems)
    for _, problem in problems:
        assert_shows(problem)


ORDER_COLUMNS = ("单号", "SKU", "数量", "单价", "收货人", "地址", "状态", "下单时间")
PRODUCT_COLUMNS = ("SKU", "名称", "条码", "重量", "申报价值")


@SLOW
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "A1", "A2", "a1"]),
            st.sampled_from(["", "SKU-1", "SKU-2"]),
            CELL,
            CELL,
            st.sampled_from(["", "张三", "李四"]),
            st.sampled_from(["", "浙江省杭州市西湖区文三路1号", "某地"]),
            CELL,
            CELL,
        ),
        max_size=6,
    )
)
def test_order_and_product_row_problems_format_in_both_languages(chinese, rows) -> None:
    table = Table(ORDER_COLUMNS, tuple(Row(n, r) for n, r in enumerate(rows, start=2)), "utf-8")
    columns = dict(
        zip(
            ("order_no", "sku", "quantity", "unit_price", "recipient_name", "address", "status"),
            ORDER_COLUMNS,
            strict=False,
        ),
        ordered_at="下单时间",
    )
    for problem in parse_orders(table, Mapping(ORDERS, columns)).problems:
        assert problem.text is not None and problem.problem == str(problem.text)
        assert_shows(problem.text)
    products = Table(
        PRODUCT_COLUMNS, tuple(Row(n, r[1:6]) for n, r in enumerate(rows, start=2)), "utf-8"
    )
    mapping = Mapping(
        PRODUCTS,
        dict(
            zip(
                ("sku", "name", "barcodes", "weight_g", "declared_value"),
                PRODUCT_COLUMNS,
                strict=True,
            )
        ),
    )
    for problem in parse_products(products, mapping).problems:
        assert problem.text is not None
        assert_shows(problem.text)


def test_mapping_problems_name_fields_in_english_and_labels_in_chinese(chinese) -> None:
    mapping = Mapping(ORDERS, {"sku": "SKU", "quantity": "件数"})
    with pytest.raises(MappingError) as caught:
        mapping.check(("SKU",))
    assert "no column for order_no" in str(caught.value)
    for text in caught.value.texts:
        assert_shows(text)
    shown = [problem_text(t) for t in caught.value.texts]
    assert "没有对应“订单号”的列" in shown
    assert "没有对应“完整地址”或“详细地址”的列" in shown


def test_flags_and_alerts_keep_english_detail_and_their_key(db: sqlite_utils.Database, chinese):
    """Address, duplicate-order, duplicate-payment flags and a withdrawn-order alert as an
    import stores them: the English detail as before, the key and parameters beside it."""
    header = (
        "订单号",
        "商品编码",
        "商品数量",
        "收货人",
        "省",
        "市",
        "区",
        "详细地址",
        "支付单号",
        "售后状态",
    )
    rows = [
        ("D1", "CUP", "1", "张三", "浙江省", "杭州市", "西湖区", "文三路", "PAY-9", ""),
        ("D2", "CUP", "1", "张三", "浙江省", "杭州市", "西湖区", "文三路", "PAY-9", ""),
    ]
    table = Table(header, tuple(Row(n, r) for n, r in enumerate(rows, start=2)), "utf-8")
    mapping = Mapping(
        ORDERS,
        {
            "order_no": "订单号",
            "sku": "商品编码",
            "quantity": "商品数量",
            "recipient_name": "收货人",
            "province": "省",
            "city": "市",
            "district": "区",
            "detail": "详细地址",
            "payment_no": "支付单号",
            "refund_status": "售后状态",
        },
    )
    apply_plan(db, plan_orders(db, parse_orders(table, mapping), "test"))
    stored_flags = flag_store.flags_of(db, "D1")
    assert {f.kind for f in stored_flags} == {
        "address",
        "duplicate_order",
        "duplicate_payment",
        "phone",
    }
    for flag in stored_flags:
        assert flag.text is not None and flag.detail == str(flag.text)
        assert_shows(flag.text)
    assert "address: house number missing" in orders.find_order(db, "D1").flags
    assert orders.find_order(db, "D1").flag_texts == tuple(f.text for f in stored_flags)

    save_order(
        db,
        "S1",
        Contact("王五", "13800000000", "北京市朝阳区建国路1号"),
        [NewLine("CUP", "杯", 1)],
        status="shipped",
    )
    refunded = (
        ("S1", "CUP", "1", "王五", "北京市", "北京市", "朝阳区", "建国路1号", "", "退款成功"),
    )
    apply_plan(
        db,
        plan_orders(
            db, parse_orders(Table(header, (Row(2, refunded[0]),), "utf-8"), mapping), "test"
        ),
    )
    (alert,) = flag_store.open_alerts(db)
    assert alert.text is not None and alert.detail == str(alert.text)
    assert alert.detail.startswith("upstream says 退款成功 but the parcel is already")
    assert_shows(alert.text)
    assert "请联系快递公司拦截" in problem_text(alert.text)


def test_a_flag_without_key_is_read_with_its_detail(db: sqlite_utils.Database) -> None:
    save_order(db, "OLD1", Contact("张三", "13800000000", "某地"), [NewLine("CUP", "杯", 1)])
    db.execute(
        "INSERT INTO order_flags (order_no, kind, detail) "
        "VALUES ('OLD1', 'address', 'address: odd')"
    )
    (flag,) = flag_store.flags_of(db, "OLD1")
    assert (flag.detail, flag.text) == ("address: odd", None)
    order = orders.find_order(db, "OLD1")
    assert order.flags == ("address: odd",) and order.flag_texts == (None,)


def test_hold_reasons_and_unreadable_files_format_in_both_languages(chinese) -> None:
    reasons = [cells.status(status, "")[1] for status in cells._STATUS]
    reasons += [cells.status("待发货", "退款中")[1], Text.of("hold_voided", reason="破损")]
    reasons += [
        Text.of("hold_at_bench", station="bench-1", packer="李四"),
        Text.of("hold_shop_cancelled", status=200),
        Text.of("hold_shop_shipped", status=30),
    ]
    for reason in reasons:
        if reason is not None:
            assert_shows(reason)
    for data in (b"", b"  \n", b"\xef\xbb\xbf\xff", b"\x81\x30\xff", b"PK\x03\x04junk", b"a\x00b"):
        with pytest.raises(UnreadableFile) as caught:
            table_from_bytes(data)
        assert str(caught.value) == str(caught.value.text)
        assert_shows(caught.value.text)
    for headers in (("name_zh",), ("code", "编码")):
        with pytest.raises(UnreadableFile) as caught:
            columns_of(headers)
        assert_shows(caught.value.text)

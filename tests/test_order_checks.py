"""One order checker for every path: pulled shop orders get the flags and the value
of imported ones; phones and misspelt places are flagged."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st
from test_import_orders import csv_text, do_import, good
from test_sync_fakes import FakeWeChat, opened_uploader, wechat_server, write_sync_toml

from station.core.address import AddressInput, parse_addresses
from station.core.phone import is_valid_phone, phone_problem
from station.settings import Settings
from station.store import catalogue
from station.store.flags import flags_of
from station.store.orders import find_order
from station.sync.secrets import set_secret
from station.sync.shop_orders import order_value_fen

# -- phones ---------------------------------------------------------------------------

MOBILE = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(string.digits, min_size=9, max_size=9),
)


def grouped(number: str, sep: str) -> str:
    return f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"


@given(MOBILE, st.sampled_from(["", " ", "-"]), st.sampled_from(["", "+86", "+86 ", "0086"]))
def test_mainland_mobiles_are_accepted_however_grouped(number: str, sep: str, prefix: str) -> None:
    assert is_valid_phone(prefix + grouped(number, sep))


@given(
    MOBILE,
    st.sampled_from(["-", "转", " 转 ", "#"]),
    st.text(string.digits, min_size=1, max_size=4),
)
def test_virtual_numbers_with_an_extension_are_accepted(number: str, mark: str, ext: str) -> None:
    assert is_valid_phone(f"{number}{mark}{ext}")


@given(
    st.sampled_from(["010", "020", "021", "0755", "0571"]),
    st.sampled_from("2345678"),
    st.text(string.digits, min_size=6, max_size=7),
    st.sampled_from(["-", " ", ""]),
)
def test_landlines_with_their_area_code_are_accepted(
    area: str, first: str, rest: str, sep: str
) -> None:
    assert is_valid_phone(f"{area}{sep}{first}{rest}")
    assert is_valid_phone(f"+86 {area[1:]} {first}{rest}")


@given(st.text(string.digits, min_size=1, max_size=10).filter(lambda t: not t.startswith("0")))
def test_short_digit_strings_are_flagged(digits: str) -> None:
    assert not is_valid_phone(digits)


@given(st.text(string.ascii_letters, min_size=1, max_size=12), MOBILE)
def test_letters_are_flagged(letters: str, number: str) -> None:
    assert not is_valid_phone(letters)
    assert not is_valid_phone(number + letters)


@pytest.mark.parametrize("phone", ["", "   ", "1381234567", "12345678901", "abcdefg", "4008123123"])
def test_the_issues_numbers_are_flagged(phone: str) -> None:
    problem = phone_problem(phone)
    assert problem is not None
    assert problem.key == ("phone_missing" if not phone.strip() else "phone_invalid")


def test_an_imported_order_with_a_bad_phone_is_flagged(db: sqlite_utils.Database) -> None:
    bad, ok = good("P1"), good("P2")
    bad[5] = "abcdefg"
    summary = do_import(db, csv_text([bad, ok]).encode())
    assert summary.flagged == 1
    assert [f.kind for f in flags_of(db, "P1")] == ["phone"]
    assert "***defg is not a mobile or landline number" in flags_of(db, "P1")[0].detail
    assert flags_of(db, "P2") == []


# -- misspelt places ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "given_", "standard"),
    [
        ("广东省广洲市天河区中山大道100号", "广洲市", "广州市"),
        ("广冬省广州市天河区中山大道100号", "广冬省", "广东省"),
        ("广东省广洲市中山路1号", "广洲市", "广州市"),
    ],
)
def test_a_misspelt_place_is_flagged_with_its_official_name(
    text: str, given_: str, standard: str
) -> None:
    (parsed,) = parse_addresses([AddressInput(text)])
    typos = [p for p in parsed.problems if p.key == "address_typo"]
    assert [dict(t.params) for t in typos] == [{"given": given_, "standard": standard}]


def test_misspelt_columns_are_flagged_and_the_label_gets_official_names(
    db: sqlite_utils.Database,
) -> None:
    row = good("T1")
    row[6], row[7] = "广冬省", "广州市"
    row[8], row[9] = "天河区", "中山大道100号"
    do_import(db, csv_text([row, good("T2")]).encode())
    order = find_order(db, "T1")
    assert order is not None
    assert "广冬省 is not an official place name: did you mean 广东省?" in order.flags[0]
    assert order.recipient.address == "广东省广州市天河区中山大道100号"
    assert order.recipient.province == "广东省"
    assert find_order(db, "T2").flags == ()  # type: ignore[union-attr]


def test_official_names_written_short_are_no_typo() -> None:
    parsed = parse_addresses(
        [
            AddressInput("", "广东", "深圳", "南山区", "科技园1号"),
            AddressInput("北京朝阳区建国路88号"),
            AddressInput("新疆乌鲁木齐市天山区解放路1号"),
            AddressInput("广东省深圳市南山区科技园南区深南大道10000号"),
        ]
    )
    assert [p.problems for p in parsed] == [(), (), (), ()]


# -- the import summary -------------------------------------------------------------


def paid(order_no: str, payment_no: str, name: str) -> bytes:
    """A one-order file with a payment number column."""
    text = csv_text([good(order_no, name=name)]).splitlines()
    return (f"{text[0]},支付单号\n{text[1]},{payment_no}\n").encode()


def test_the_summary_counts_only_this_imports_flags(db: sqlite_utils.Database) -> None:
    """A file paid with the payment number of a stored order flags that order too,
    but the summary counts the file's own flagged orders: here one, not two."""
    assert do_import(db, paid("S1", "4200001", "李四")).flagged == 0
    second = do_import(db, paid("S2", "4200001", "王五"))
    assert [f.kind for f in flags_of(db, "S1")] == ["duplicate_payment"]
    assert second.flagged == 1


# -- pulled from WeChat Shop --------------------------------------------------------


@pytest.fixture
def fake() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def shop(fake: FakeWeChat, data_dir: Path, memory_keyring: None) -> object:
    with wechat_server(fake) as url:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "shop"\nkind = "wechat-shop"\nappid = "wxapp"\n'
            f'base_url = "{url}"\nsources = ["wechat-shop"]\npull_orders = true\n'
            f"timeout_seconds = 0.5\n",
        )
        set_secret("shop", "s3cret")
        yield url


def address_of(fake: FakeWeChat, order_id: str) -> dict[str, str]:
    return fake.shop[order_id]["order_detail"]["delivery_info"]["address_info"]


def test_pulled_shop_orders_go_through_the_import_checks(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, shop: object
) -> None:
    fake.add_shop_order("100001")
    address_of(fake, "100001")["tel_number"] = "abcdefg"
    fake.add_shop_order("100002")
    address_of(fake, "100002").update(city_name="广洲市", county_name="天河区")
    address_of(fake, "100002").update(detail_info="某某部队营区1号", tel_number="13900001111")
    fake.add_shop_order("100003")
    address_of(fake, "100003").update(user_name="王五", tel_number="020-87654321")
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
    kinds = {n: sorted({f.kind for f in flags_of(db, n)}) for n in ("100001", "100002", "100003")}
    assert kinds == {"100001": ["phone"], "100002": ["address"], "100003": []}
    details = " ".join(f.detail for f in flags_of(db, "100002"))
    assert "did you mean 广州市" in details and "contains 部队" in details


def test_pulled_twins_are_flagged_as_suspected_duplicates(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, shop: object
) -> None:
    fake.add_shop_order("200001")
    fake.add_shop_order("200002")
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
    assert [f.kind for f in flags_of(db, "200001")] == ["duplicate_order"]
    assert [f.kind for f in flags_of(db, "200002")] == ["duplicate_order"]


def test_a_pulled_orders_value_reaches_routing(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, shop: object
) -> None:
    """A 3,500-yuan watch goes SF insured; before, pulled orders had value 0 and went
    the cheapest carrier uninsured."""
    watch = fake.add_shop_order("300001")
    watch["order_detail"]["product_infos"][0].update(title="手表", sku_code="WATCH", sale_price=1)
    watch["order_detail"]["price_info"] = {
        "product_price": 350000,
        "order_price": 350000,
        "freight": 0,
    }
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
    order = find_order(db, "300001")
    assert order is not None and order.order_value_fen == 350000
    router = catalogue.load_router(db, data_dir, fast)
    decision = router.route(catalogue.parcel_for(db, order, 500))
    assert (decision.carrier, decision.service) == ("SF", "insured")


def test_order_value_from_the_documented_fields() -> None:
    product = {"sale_price": 990, "sku_cnt": 2}
    assert order_value_fen({"price_info": {"product_price": 1500}}) == 1500
    assert order_value_fen({"product_infos": [product]}) == 1980
    assert order_value_fen({"price_info": {"order_price": 1500, "freight": 500}}) == 1000
    assert order_value_fen({}) == 0

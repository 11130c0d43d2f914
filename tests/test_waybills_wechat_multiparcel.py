"""Multi-parcel orders (子母单) through WeChat Shop e-waybills (create_order.html:
`package_quantity`, the answer's `waybill_id_list`), against the local fake: N parcels
are taken at create for SF and JD and kept as the SF path keeps them (a mother and
N-1 children); a carrier WeChat issues no 子母单 for is refused before anything is
asked; a lost answer is looked up with order/get and never takes a second set; the
bench prints n/N with the mother's number on each child."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from test_printers_support import pdf_image, pdf_text, read_codes
from test_sync_fakes import reply, serving
from test_waybills import add_order
from test_waybills_bench import bench, pack  # noqa: F401 (fixture)
from waybill_fakes import SECRETS, FakeWeChatEwaybill, all_servers, waybills_toml

from station.bench import Bench
from station.labels import child_print_info, shipment_waybills
from station.settings import Settings
from station.store import ewaybills as store
from station.store.db import transaction
from station.waybills.config import load_providers
from station.waybills.model import (
    Address,
    Goods,
    Refusal,
    Refused,
    State,
    Unavailable,
    WaybillRequest,
)
from station.waybills.providers import build
from station.waybills.service import Prefetcher
from station.waybills.wechat import WeChatShopProvider

SHOP_ORDER = "3704612354559743232"
SHOP_ACCOUNTS = (
    '[providers.accounts.SF]\nacct_id = "6634794483"\n'
    '[providers.accounts.JD]\nacct_id = "6634309507"\n'
)


def shop_toml(urls: dict[str, str], timeout: float = 2.0) -> str:
    """The three fakes, the WeChat Shop provider also holding SF and JD accounts."""
    yto = '[providers.accounts.YTO]\nacct_id = "6620496317"\n'
    return waybills_toml(urls, timeout=timeout).replace(yto, yto + SHOP_ACCOUNTS, 1)


def prefetcher(
    db: sqlite_utils.Database, data_dir: Path, urls: dict[str, str], timeout: float = 2.0
) -> Prefetcher:
    (data_dir / "waybills.toml").write_text(shop_toml(urls, timeout), encoding="utf-8")
    built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
    return Prefetcher(db, Settings.load(data_dir), built.providers, data_dir)


def labels(folder: Path) -> list[tuple[set[str], str]]:
    """Each printed PDF label's Code 128 contents and text, in print order. Read at
    406 dpi: a JD child's 21 characters get 2-dot modules, which pdfium's anti-aliased
    rendering at 203 dpi (not a whole multiple of 72) blurs past zxing."""
    found = []
    for path in sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns):
        pdf = path.read_bytes()
        found.append((read_codes(pdf_image(pdf, 406)).get("Code128", set()), pdf_text(pdf)))
    return found


def take(db: sqlite_utils.Database, data_dir: Path, urls: dict[str, str], **kw):
    taker = prefetcher(db, data_dir, urls, kw.pop("timeout", 2.0))
    try:
        return taker.prefetch([SHOP_ORDER], parcels=kw.pop("parcels"))
    finally:
        taker.close()


@pytest.mark.parametrize("carrier", ["SF", "JD"])
def test_wechat_takes_every_parcel_at_create(
    db: sqlite_utils.Database, data_dir: Path, carrier: str
) -> None:
    add_order(db, SHOP_ORDER, carrier, "wechat-shop")
    with all_servers() as (wechat, sf, _kdn, urls):
        assert take(db, data_dir, urls, parcels=3).taken == [SHOP_ORDER]
    create = next(body for name, body in wechat.calls if name == "create")
    assert create["package_quantity"] == 3 and create["delivery_id"] == carrier
    assert sf.numbers_issued == 0  # the shop order went through WeChat, not 丰桥
    row = store.live(db, SHOP_ORDER)
    assert row.provider == "shop" and row.parcels == 3
    assert row.waybill_no == wechat.issued[row.key]
    assert len(row.sub_waybills) == 2 and row.waybill_no not in row.sub_waybills
    if carrier == "JD":  # 运单号-序号-总件数: the mother's own parcel 1 is not a child
        assert row.sub_waybills == (f"{row.waybill_no}-2-3", f"{row.waybill_no}-3-3")
    else:
        assert row.sub_waybills == tuple(wechat.orders[row.key]["subs"])
    assert set(row.print_data["childPrintInfo"]) == set(row.sub_waybills)


def test_a_single_parcel_asks_no_package_quantity(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    add_order(db, SHOP_ORDER, "SF", "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        assert take(db, data_dir, urls, parcels=1).taken == [SHOP_ORDER]
    create = next(body for name, body in wechat.calls if name == "create")
    assert "package_quantity" not in create
    assert store.live(db, SHOP_ORDER).sub_waybills == ()


def test_a_carrier_without_multi_parcel_is_refused_before_asking(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    add_order(db, SHOP_ORDER, "ZTO", "wechat-shop")
    with all_servers() as (wechat, _sf, kdn, urls):
        summary = take(db, data_dir, urls, parcels=2)
    reason = summary.pending[SHOP_ORDER]
    assert "no provider here issues multi-parcel (子母单) e-waybills for ZTO" in reason
    assert "WeChat Shop" in reason and "DBKD, JD, SF" in reason
    assert wechat.calls == [] and wechat.numbers_issued == kdn.numbers_issued == 0
    assert store.live(db, SHOP_ORDER) is None


@pytest.mark.parametrize("fault", ["slow", "drop"])
@pytest.mark.parametrize("carrier", ["SF", "JD"])
def test_a_lost_answer_is_looked_up_and_takes_no_second_set(
    db: sqlite_utils.Database, data_dir: Path, fault: str, carrier: str
) -> None:
    add_order(db, SHOP_ORDER, carrier, "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        wechat.slow_seconds = 1.0
        wechat.fault("create", fault)
        first = take(db, data_dir, urls, parcels=3, timeout=0.4)
        assert first.taken == [] and store.live(db, SHOP_ORDER).state is State.REQUESTED
        second = take(db, data_dir, urls, parcels=3, timeout=0.4)
    assert second.taken == [SHOP_ORDER]
    assert wechat.numbers_issued == 3  # one set of three parcels
    assert len([name for name, _ in wechat.calls if name == "create"]) == 1
    assert len([name for name, _ in wechat.calls if name == "precreate"]) == 1
    row = store.live(db, SHOP_ORDER)
    assert row.waybill_no == wechat.issued[row.key] and len(row.sub_waybills) == 2


def test_an_answer_without_the_children_is_looked_up_not_taken_again(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    """Seen on the forum: an SF answer with `waybill_id_list` empty. The number is in
    doubt, not refused: order/get names the children later, under the same id."""
    add_order(db, SHOP_ORDER, "SF", "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        original = wechat._create

        def without_list(request):
            answer = original(request)
            answer["waybill_id_list"] = []
            return answer

        wechat._create = without_list
        first = take(db, data_dir, urls, parcels=2)
        assert "without its 1 sub-waybills" in first.pending[SHOP_ORDER]
        second = take(db, data_dir, urls, parcels=2)
    assert second.taken == [SHOP_ORDER] and wechat.numbers_issued == 2
    assert store.live(db, SHOP_ORDER).sub_waybills == tuple(
        wechat.orders[store.live(db, SHOP_ORDER).key]["subs"]
    )


@pytest.mark.parametrize("carrier", ["SF", "JD"])
def test_labels_print_n_of_n_with_the_mother_number(
    bench: Bench,  # noqa: F811
    data_dir: Path,
    tmp_path: Path,
    carrier: str,
) -> None:
    add_order(bench.db, SHOP_ORDER, carrier, "wechat-shop")
    with all_servers() as (_wechat, _sf, _kdn, urls):
        assert take(bench.db, data_dir, urls, parcels=3).taken == [SHOP_ORDER]
    row = store.live(bench.db, SHOP_ORDER)
    mother, children = row.waybill_no, row.sub_waybills
    pack(bench, SHOP_ORDER)
    printed = labels(tmp_path / "labels")
    own = f"{mother}-1-3" if carrier == "JD" else mother  # JD: 运单号-序号-总件数
    assert [codes for codes, _ in printed] == [{own}, {children[0]}, {children[1]}]
    assert bench.db.execute("SELECT tracking_no FROM shipments").fetchone()[0] == mother
    first, second, third = (text for _, text in printed)
    assert "1/3" in first and "母单" not in first
    assert "2/3" in second and f"母单 {mother}" in second
    assert "3/3" in third and f"母单 {mother}" in third
    shipment = next(bench.db.query("SELECT * FROM shipments"))
    parcels = shipment_waybills(bench.db, shipment, bench.settings)
    assert parcels[0].print_info == row.print_data["print_info"]  # the print component's
    assert [json.loads(p.print_info)["waybill_id"] for p in parcels[1:]] == list(children)


def test_a_child_print_info_is_merged_over_the_mother_s() -> None:
    mother = json.dumps({"waybill_id": "SF1", "sum": 2, "sender": "店"})
    merged = json.loads(child_print_info(mother, json.dumps({"waybill_id": "SF2"})))
    assert merged == {"waybill_id": "SF2", "sum": 2, "sender": "店"}
    assert child_print_info("UFJJTlQ=", '{"waybill_id": "SF2"}') == '{"waybill_id": "SF2"}'
    assert child_print_info(mother, None) == ""  # never the mother's number on a child


# -- order/addsuborder -----------------------------------------------------------------


@pytest.mark.parametrize("carrier", ["SF", "JD"])
def test_a_taken_number_grows_with_addsuborder(
    db: sqlite_utils.Database, data_dir: Path, carrier: str
) -> None:
    add_order(db, SHOP_ORDER, carrier, "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        take(db, data_dir, urls, parcels=2)
        before = store.live(db, SHOP_ORDER)
        assert take(db, data_dir, urls, parcels=4).taken == [SHOP_ORDER]
    (added,) = wechat.added
    assert added["add_package_quantity"] == 2 and added["delivery_id"] == carrier
    assert added["ewaybill_order_id"] == int(before.key)  # a JSON number, as documented
    assert added["waybill_id"] == before.waybill_no
    row = store.live(db, SHOP_ORDER)
    assert row.parcels == 4 and row.waybill_no == before.waybill_no
    assert len([name for name, _ in wechat.calls if name == "create"]) == 1
    if carrier == "JD":  # every parcel renumbered: none of the old numbers is valid
        assert row.sub_waybills == tuple(f"{row.waybill_no}-{n}-4" for n in (2, 3, 4))
        assert not set(before.sub_waybills) & set(row.sub_waybills)
        assert before.print_data["parcelNumber"] == f"{row.waybill_no}-1-2"
        assert row.print_data["parcelNumber"] == f"{row.waybill_no}-1-4"
    else:  # the new ones appended to the old
        assert row.sub_waybills[:1] == before.sub_waybills and len(row.sub_waybills) == 3
    assert set(row.print_data["childPrintInfo"]) <= set(row.sub_waybills)
    assert row.print_data["print_info"] == before.print_data["print_info"]


@pytest.mark.parametrize("fault", ["drop", "slow", 10025024])
def test_a_lost_or_refused_addition_is_looked_up_and_never_added_twice(
    db: sqlite_utils.Database, data_dir: Path, fault
) -> None:
    add_order(db, SHOP_ORDER, "SF", "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        take(db, data_dir, urls, parcels=2)
        wechat.slow_seconds = 1.0
        wechat.fault("addsuborder", fault)
        first = take(db, data_dir, urls, parcels=3, timeout=0.4)
        assert "adding parcels" in first.pending[SHOP_ORDER]
        assert store.live(db, SHOP_ORDER).parcels == 3  # the target, kept for the retry
        second = take(db, data_dir, urls, parcels=3, timeout=0.4)
    assert second.taken == [SHOP_ORDER]
    assert len(wechat.added) == 1  # applied once: lost answers were looked up first
    assert wechat.numbers_issued == 3
    assert len(store.live(db, SHOP_ORDER).sub_waybills) == 2


def test_a_carrier_without_multi_parcel_cannot_grow(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    add_order(db, SHOP_ORDER, "ZTO", "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        take(db, data_dir, urls, parcels=1)
        summary = take(db, data_dir, urls, parcels=2)
    assert "cancel it first" in summary.pending[SHOP_ORDER]
    assert wechat.added == [] and "addsuborder" not in [name for name, _ in wechat.calls]


def test_an_addition_cut_off_by_a_kill_is_finished_by_the_next_prefetch(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    add_order(db, SHOP_ORDER, "JD", "wechat-shop")
    with all_servers() as (wechat, _sf, _kdn, urls):
        take(db, data_dir, urls, parcels=2)
        row = store.live(db, SHOP_ORDER)
        with transaction(db):  # killed after the target was stored, before WeChat was asked
            store.ask_parcels(db, row.id, 3)
        taker = prefetcher(db, data_dir, urls)
        try:
            summary = taker.prefetch()  # no order named: the addition resumes by itself
        finally:
            taker.close()
    assert SHOP_ORDER in summary.taken
    assert [a["add_package_quantity"] for a in wechat.added] == [1]
    assert store.live(db, SHOP_ORDER).sub_waybills == (
        f"{row.waybill_no}-2-3",
        f"{row.waybill_no}-3-3",
    )


# -- the documents' own examples (fixtures/wechat_ewaybill, see its README) ------------

FIXTURES = Path(__file__).parent / "fixtures" / "wechat_ewaybill"


def documented(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class QuotedAnswers(FakeWeChatEwaybill):
    """Answers an endpoint with an answer quoted from the documents or the forum."""

    def __init__(self) -> None:
        super().__init__()
        self.quoted: dict[str, dict[str, Any]] = {}

    def handle(self, handler) -> None:
        name = handler.path.split("?")[0].rsplit("/", 1)[-1]
        if name in self.quoted and self.token is not None:
            body = json.loads(handler.body or b"{}")
            with self.lock:
                self.calls.append((name, body))
            reply(handler, 200, self.quoted[name])
            return
        super().handle(handler)


@pytest.fixture
def quoted(data_dir: Path) -> Iterator[tuple[QuotedAnswers, WeChatShopProvider]]:
    fake = QuotedAnswers()
    with serving(fake) as url:
        urls = {"wechat": url, "sf": "http://127.0.0.1:9", "kdn": "http://127.0.0.1:9"}
        (data_dir / "waybills.toml").write_text(shop_toml(urls), encoding="utf-8")
        config = next(c for c in load_providers(data_dir) if c.name == "shop")
        provider = WeChatShopProvider(config, SECRETS["shop"])
        provider.balances()  # a token first
        yield fake, provider
        provider.close()


def shop_request(carrier: str, parcels: int) -> WaybillRequest:
    person = Address("张*", "138****5678", "广东省", "深圳市", "南山区", "****")
    return WaybillRequest(
        "O1", 1, carrier, "", person, person, (Goods("杯", 1),), SHOP_ORDER, parcels=parcels
    )


def test_addsuborder_sends_the_documented_request(quoted) -> None:
    fake, provider = quoted
    fake.quoted["addsuborder"] = {"errcode": 0, "errmsg": "ok", "waybill_id_list": []}
    example = documented("addsuborder_request.json")
    provider.add_parcels(str(example["ewaybill_order_id"]), "xxxxxxx", "SF", 1)
    name, sent = fake.calls[-1]
    assert name == "addsuborder"
    assert set(sent) - {"template_id"} == set(example)  # template_id: optional, ours set
    assert type(sent["ewaybill_order_id"]) is type(example["ewaybill_order_id"])
    for field in ("ewaybill_order_id", "delivery_id", "waybill_id", "add_package_quantity"):
        assert sent[field] == example[field]


def test_an_answer_quoted_without_its_children_is_in_doubt(quoted) -> None:
    fake, provider = quoted
    fake.quoted["create"] = documented("create_order_sf_children_missing_answer.json")
    with pytest.raises(Unavailable) as lost:
        provider.take(shop_request("SF", 2), "4782223723511113177")
    assert lost.value.in_doubt and "SF3299150988269" in lost.value.reason
    single = provider.take(shop_request("SF", 1), "4782223723511113177")
    assert single.waybill_no == "SF3299150988269" and single.sub_waybills == ()


def test_quoted_addsuborder_errors(quoted) -> None:
    fake, provider = quoted
    fake.quoted["addsuborder"] = documented("addsuborder_busy_answer.json")
    with pytest.raises(Unavailable) as busy:
        provider.add_parcels("3772101376398884869", "JDAWX0303749993", "JD", 1)
    assert busy.value.in_doubt and "并发冲突" in busy.value.reason
    fake.quoted["addsuborder"] = documented("addsuborder_string_id_answer.json")
    with pytest.raises(Refused) as refused:
        provider.add_parcels("3766137165030211590", "JDAWX0292002297", "JD", 1)
    assert refused.value.kind is Refusal.INVALID and "47001" in str(refused.value)


def test_addsuborder_is_refused_here_for_a_carrier_or_count_wechat_does_not_take(
    quoted,
) -> None:
    fake, provider = quoted
    for carrier, count in (("ZTO", 1), ("SF", 0), ("SF", 301)):
        with pytest.raises(Refused):
            provider.add_parcels("7000000000000000001", "SF75000000000001", carrier, count)
    assert "addsuborder" not in [name for name, _ in fake.calls]


def test_the_fake_refuses_what_the_platform_refuses(data_dir: Path) -> None:
    fake = FakeWeChatEwaybill()
    fake.token = "T"
    base = {"waybill_id": "x", "delivery_id": "SF", "shop_id": "s", "ewaybill_acct_id": "a"}
    assert (
        fake._addsuborder({**base, "ewaybill_order_id": "1", "add_package_quantity": 1})["errcode"]
        == documented("addsuborder_string_id_answer.json")["errcode"]
    )
    assert (
        fake._addsuborder({**base, "ewaybill_order_id": 1, "add_package_quantity": 1})["errcode"]
        == 10025020
    )

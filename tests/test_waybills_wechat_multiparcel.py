"""Multi-parcel orders (子母单) through WeChat Shop e-waybills (create_order.html:
`package_quantity`, the answer's `waybill_id_list`), against the local fake: N parcels
are taken at create for SF and JD and kept as the SF path keeps them (a mother and
N-1 children); a carrier WeChat issues no 子母单 for is refused before anything is
asked; a lost answer is looked up with order/get and never takes a second set; the
bench prints n/N with the mother's number on each child."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from test_printers_support import pdf_image, pdf_text, read_codes
from test_waybills import add_order
from test_waybills_bench import bench, pack  # noqa: F401 (fixture)
from waybill_fakes import SECRETS, all_servers, waybills_toml

from station.bench import Bench
from station.settings import Settings
from station.store import ewaybills as store
from station.store.db import transaction
from station.waybills.config import load_providers
from station.waybills.model import State
from station.waybills.providers import build
from station.waybills.service import Prefetcher

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

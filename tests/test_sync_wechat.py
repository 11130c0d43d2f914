"""Mini-program upload_shipping_info and WeChat Shop delivery/send against a local
server speaking the documented contract, with faults injected."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils
from test_sync_fakes import (
    FakeWeChat,
    add_records,
    opened_uploader,
    tracking_of,
    wechat_server,
    write_sync_toml,
)

from station.bench import Bench
from station.core.model import OrderStatus
from station.settings import Settings
from station.store import deliveries
from station.store.db import transaction
from station.store.orders import find_order
from station.store.outbox import save_ref
from station.sync.config import load_targets
from station.sync.secrets import set_secret
from station.sync.status import all_status
from station.sync.uploader import Uploader

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def fake() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def base(fake: FakeWeChat, data_dir: Path) -> Iterator[str]:
    with wechat_server(fake) as url:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'mchid = "1230000109"\nbase_url = "{url}"\ntimeout_seconds = 0.5\n'
            f"settle_seconds = 0.5\n"
            f'[[targets]]\nname = "shop"\nkind = "wechat-shop"\nappid = "wxapp"\n'
            f'base_url = "{url}"\nsources = ["wechat-shop"]\npull_orders = true\n'
            f"timeout_seconds = 0.5\nsettle_seconds = 0.5\n",
        )
        set_secret("mini", "s3cret")
        set_secret("shop", "s3cret")
        yield url


def run_until(uploader: Uploader, done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    idle = threading.Event()
    while not done():
        assert time.monotonic() < deadline, "condition not reached"
        if uploader.pass_once() == 0:
            idle.wait(0.005)


def state_of(db: sqlite_utils.Database, order_no: str, target: str = "mini") -> str:
    return db.execute(
        "SELECT d.state FROM deliveries d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE o.order_no = ? AND d.target = ?",
        (order_no, target),
    ).fetchone()[0]


def note_of(db: sqlite_utils.Database, order_no: str) -> str:
    return db.execute(
        "SELECT d.note FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE o.order_no = ?",
        [order_no],
    ).fetchone()[0]


def test_upload_follows_the_contract(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    orders = add_records(db, 3, carrier="SF", phone_masked="138****5678-1234")
    for order_no in orders:
        fake.add_order(order_no)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert [fake.uploads(o) for o in orders] == [1, 1, 1]
    assert fake.token_fetches == 1  # cached across calls
    request = fake.orders[orders[0]]["last_request"]
    assert request["order_key"] == {
        "order_number_type": 1,
        "mchid": "1230000109",
        "out_trade_no": orders[0],
    }
    item = request["shipping_list"][0]
    assert item["contact"] == {"receiver_contact": "138****5678"}
    assert item["tracking_no"] == tracking_of(orders[0], "SF") and item["express_company"] == "SF"
    assert item["item_desc"] == "保温杯*1"
    assert request["payer"] == {"openid": "oPayer"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00", request["upload_time"])
    times = [fake.orders[o]["last_upload_time"] for o in orders]
    assert times == sorted(times) and len(set(times)) == 3
    # the first call looked the payer up (no openid known), never re-uploaded
    assert all(fake.orders[o]["reships"] == 0 for o in orders)


@pytest.mark.parametrize("code", [40001, 42001])
def test_refused_token_is_refreshed_once(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    base: str,
    code: int,
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no)
    fake.fault("get_order", code)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert state_of(db, order_no) == "done" and fake.uploads(order_no) == 1
    assert fake.token_fetches == 2


@pytest.mark.parametrize("fault", ["http500", "drop", "slow"])
def test_possibly_applied_upload_is_checked_before_resending(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    base: str,
    fault: str,
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no)
    fake.slow_seconds = 0.8  # past the 0.5 s client timeout
    fake.fault("upload_shipping_info", fault)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pass_once()
        assert db.execute("SELECT in_doubt FROM deliveries WHERE target='mini'").fetchone()[0] == 1
        run_until(uploader, lambda: state_of(db, order_no) == "done")
    applied = 0 if fault == "http500" else 1  # 500 answers before acting; drop/slow act
    assert fake.uploads(order_no) == 1 and fake.orders[order_no]["reships"] == 0
    gets = [name for name, _ in fake.calls if name == "get_order"]
    assert len(gets) == 2  # the openid lookup, then the check before resending
    assert [n for n, _ in fake.calls].count("upload_shipping_info") == 2 - applied


def test_minute_quota_pauses_the_target_without_losing_the_record(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no)
    fake.fault("upload_shipping_info", 45011)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pass_once()
        assert uploader.pass_once() == 0
    assert state_of(db, order_no) == "queued"
    status = next(s for s in all_status(db, load_targets(data_dir)) if s.name == "mini")
    assert "45011" in status.last_error and status.online is True


def test_fresh_order_not_found_is_retried(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no, fresh=2)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pass_once()
        assert state_of(db, order_no) == "queued"
        run_until(uploader, lambda: state_of(db, order_no) == "done")
    assert fake.uploads(order_no) == 1


@pytest.mark.parametrize(
    ("held", "state", "expected", "words"),
    [
        ("same", 2, "done", "already holds"),
        ("other", 2, "attention", "another tracking number for this order (SF999)"),
        (None, 5, "attention", "refunded"),
    ],
)
def test_already_shipped_counts_only_with_the_same_tracking_number(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    base: str,
    held: str | None,
    state: int,
    expected: str,
    words: str,
) -> None:
    (order_no,) = add_records(db, 1)
    shipping = []
    if held:
        number = tracking_of(order_no) if held == "same" else "SF999"
        shipping = [{"tracking_no": number, "express_company": "ZTO"}]
    fake.add_order(order_no, order_state=state, shipping_list=shipping)
    fake.fault("upload_shipping_info", 10060004 if state == 5 else 10060002)
    with transaction(db):  # the payer is known, so the upload is the first call
        save_ref(db, order_no, "miniprogram", {"openid": "oPayer"}, "2026-11-21T00:00:00Z")
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert [n for n, _ in fake.calls if n != "stable_token"] == [
        "upload_shipping_info",
        "get_order",
    ]
    assert state_of(db, order_no) == expected
    assert words in note_of(db, order_no)
    assert fake.uploads(order_no) == 0 and fake.orders[order_no]["reships"] == 0


def test_invalid_request_needs_attention_in_plain_words(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no)
    fake.fault("upload_shipping_info", 48001)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert state_of(db, order_no) == "attention"
    assert note_of(db, order_no).startswith("this account is not authorised")


def test_interrupted_attempt_is_checked_first_after_restart(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    (order_no,) = add_records(db, 1)
    fake.add_order(order_no)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    # as if killed after WeChat acted but before the result was committed
    db.execute("UPDATE deliveries SET state = 'sending' WHERE target = 'mini'")
    with opened_uploader(data_dir, fast) as uploader:
        assert uploader.recover() == 1
        assert uploader.drain() == 0  # not looked up before the settle window passed
        run_until(uploader, lambda: state_of(db, order_no) == "done")
    assert fake.uploads(order_no) == 1
    assert "already holds" in note_of(db, order_no)


def test_shop_send_pull_and_cancellations_reach_the_bench(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    fake.add_shop_order("3704612354559743232")
    fake.add_shop_order("3704612354559743233")
    fake.add_shop_order("3704612354559743234", status=10)  # unpaid: not for the bench
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
        first = find_order(db, "3704612354559743232")
        assert first is not None and first.status is OrderStatus.OPEN
        assert first.recipient.city == "深圳市" and first.lines[0].sku == "CUP-350"
        assert find_order(db, "3704612354559743234") is None
        # the buyer edits the address of one order and cancels the other
        fake.shop["3704612354559743232"]["order_detail"]["delivery_info"]["address_info"][
            "detail_info"
        ] = "科技园2号"
        fake.shop["3704612354559743233"]["status"] = 200
        for order in fake.shop.values():
            order["update_time"] = int(time.time())
        uploader.pullers[0]._next = 0
        uploader.pull()
    assert find_order(db, "3704612354559743232").recipient.address == "广东省深圳市南山区科技园2号"
    cancelled = find_order(db, "3704612354559743233")
    assert cancelled.status is OrderStatus.CANCELLED and "200" in cancelled.hold_reason
    bench = Bench(db, fast, printer=None)  # type: ignore[arg-type]
    assert bench.scan("3704612354559743233").message.key == "order_cancelled"

    add_records(db, 1, source="wechat-shop")
    db.execute("UPDATE outbox SET order_no = '3704612354559743232'")
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert fake.shop["3704612354559743232"]["sends"] == 1
    assert deliveries.attention(db) == []
    sends = [r for n, r in fake.calls if n == "send"]
    assert sends[0]["delivery_list"][0]["product_infos"] == [
        {"product_id": "1001", "sku_id": "2001", "product_cnt": 1}
    ]
    # a lost answer: the shop already holds our waybill, so it is done without a re-send
    db.execute("UPDATE deliveries SET state = 'queued', in_doubt = 1 WHERE target = 'shop'")
    with opened_uploader(data_dir, fast) as uploader:
        run_until(uploader, lambda: state_of(db, "3704612354559743232", "shop") == "done")
    assert fake.shop["3704612354559743232"]["sends"] == 1
    assert state_of(db, "3704612354559743232", "shop") == "done"


def test_shop_shipped_without_a_waybill_says_what_happened_and_what_to_do(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, base: str
) -> None:
    """Shipped in the shop's back office without a waybill: the record says so and
    what to do, not 'shipped this order with another waybill (none known)'."""
    (order_no,) = add_records(db, 1, source="wechat-shop")
    fake.add_shop_order(order_no)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
        fake.shop[order_no]["status"] = 30
        uploader.drain()
    assert state_of(db, order_no, "shop") == "attention"
    (note,) = db.execute(
        "SELECT d.note FROM deliveries d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE o.order_no = ? AND d.target = 'shop'",
        [order_no],
    ).fetchone()
    assert "none known" not in note
    assert "shipped (status 30) without a waybill number" in note
    assert f"add waybill {tracking_of(order_no)} to the order" in note

"""A voided waybill upstream: the webhook's event log hears of it; WeChat, which keeps
one waybill per order and cannot unship, never gets a voided one, and a void of a
waybill WeChat already has waits for a person to correct it there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from shipments_factory import Made, make_shipment
from test_sync_fakes import (
    FakeWeChat,
    WebhookReceiver,
    opened_uploader,
    serving,
    wechat_server,
    write_sync_toml,
)

from station.core.events import EventKind
from station.core.permissions import Role, User
from station.settings import Settings
from station.store import deliveries
from station.store.db import now_utc, transaction
from station.store.search import void_shipment
from station.store.users import add_user
from station.sync.secrets import set_secret
from station.sync.voids import NOT_SENT

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def fake() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def log(fake: FakeWeChat, data_dir: Path) -> Iterator[WebhookReceiver]:
    """A mini-program target and a webhook target, both served locally."""
    receiver = WebhookReceiver()
    with wechat_server(fake) as wechat, serving(receiver) as hook:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'mchid = "1230000109"\nbase_url = "{wechat}"\ntimeout_seconds = 0.5\n'
            f"settle_seconds = 0.5\n"
            f'[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "{hook}/hooks"\n'
            f"timeout_seconds = 2\n",
        )
        set_secret("mini", "s3cret")
        set_secret("erp", "hook-key")
        yield receiver


@pytest.fixture
def boss(db: sqlite_utils.Database) -> User:
    return add_user(db, "wang", Role.SUPERVISOR, "2222")


def queue_upload(
    db: sqlite_utils.Database, shipment_id: int, order_no: str, tracking: str, source: str
) -> None:
    """The shipment.recorded record record_shipment writes."""
    payload = {
        "shipment_id": shipment_id,
        "order_no": order_no,
        "source": source,
        "carrier": "ZTO",
        "tracking_no": tracking,
        "weight_g": 500,
        "shipped_at": now_utc(),
        "station": "bench-1",
        "packer": "li",
        "receiver_contact": "138****5678",
        "items": [{"sku": "CUP-350", "name": "杯子", "quantity": 1}],
    }
    with transaction(db):
        db.execute(
            "INSERT INTO outbox (event, shipment_id, order_no, idempotency_key, payload, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                EventKind.RECORDED,
                shipment_id,
                order_no,
                f"ship:{order_no}:{tracking}",
                json.dumps(payload, ensure_ascii=False),
                now_utc(),
            ),
        )


def shipped(db: sqlite_utils.Database, fake: FakeWeChat, source: str = "miniprogram") -> Made:
    """A recorded shipment with its queued upload, as record_shipment leaves it."""
    made = make_shipment(db, datetime.now(UTC))
    with transaction(db):
        db.execute("UPDATE orders SET source = ? WHERE order_no = ?", (source, made.order_no))
    queue_upload(db, made.shipment_id, made.order_no, made.tracking_no, source)
    if source == "wechat-shop":
        fake.add_shop_order(made.order_no)
    else:
        fake.add_order(made.order_no)
    return made


def packed_again(
    db: sqlite_utils.Database, made: Made, tracking: str, source: str = "miniprogram"
) -> None:
    """The order of a voided shipment packed anew under a new waybill."""
    with transaction(db):
        shipment_id = db.execute(
            "INSERT INTO shipments (order_no, carrier, tracking_no, tracking_source, weight_g, "
            "packer, station, started_at, recorded_at, label_status, print_count) "
            "VALUES (?, 'ZTO', ?, 'scanned', 500, 'li', 'bench-1', ?, ?, 'printed', 1)",
            (made.order_no, tracking, now_utc(), now_utc()),
        ).lastrowid
    queue_upload(db, shipment_id, made.order_no, tracking, source)


def delivery(db: sqlite_utils.Database, target: str, event: str, order_no: str) -> tuple[str, str]:
    return db.execute(
        "SELECT d.state, d.note FROM deliveries d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE d.target = ? AND o.event = ? AND o.order_no = ?",
        (target, event, order_no),
    ).fetchone()


def events(log: WebhookReceiver) -> list[tuple[str, str]]:
    return [(r["event"], r["data"]["tracking_no"]) for r in log.stored.values()]


def test_voided_before_upload_never_reaches_wechat_and_the_log_hears_both(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    log: WebhookReceiver,
    boss: User,
) -> None:
    made = shipped(db, fake)
    void_shipment(db, made.shipment_id, boss, "wrong item packed", "bench-1", repack=True)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert fake.uploads(made.order_no) == 0
    assert delivery(db, "mini", EventKind.RECORDED, made.order_no) == ("done", NOT_SENT)
    assert delivery(db, "mini", EventKind.VOIDED, made.order_no)[0] == "done"
    assert events(log) == [
        (EventKind.RECORDED, made.tracking_no),
        (EventKind.VOIDED, made.tracking_no),
    ]
    voided = next(r["data"] for r in log.stored.values() if r["event"] == EventKind.VOIDED)
    assert voided["reason"] == "wrong item packed" and voided["repack"] is True
    assert voided["voided_by"] == "wang" and voided["shipment_id"] == made.shipment_id


def test_voided_after_wechat_got_it_waits_for_a_person_to_correct_it_there(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    log: WebhookReceiver,
    boss: User,
) -> None:
    made = shipped(db, fake)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
        assert fake.uploads(made.order_no) == 1
        void_shipment(db, made.shipment_id, boss, "parcel lost at the bench", "bench-1")
        uploader.drain()
    assert fake.uploads(made.order_no) == 1
    state, note = delivery(db, "mini", EventKind.VOIDED, made.order_no)
    assert state == "attention"
    assert made.tracking_no in note and "WeChat back office" in note
    (waiting,) = deliveries.attention(db, "mini")
    assert (waiting.order_no, waiting.tracking_no) == (made.order_no, made.tracking_no)
    assert delivery(db, "erp", EventKind.VOIDED, made.order_no)[0] == "done"


def test_an_interrupted_upload_of_a_since_voided_waybill_goes_to_a_person(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    log: WebhookReceiver,
    boss: User,
) -> None:
    made = shipped(db, fake)
    (outbox_id,) = db.execute("SELECT id FROM outbox").fetchone()
    deliveries.fan_out(db, "mini")
    deliveries.start(db, "mini", [outbox_id])  # the attempt was cut off here
    deliveries.recover_in_flight(db, "mini")
    void_shipment(db, made.shipment_id, boss, "wrong address", "bench-1")
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
    assert fake.uploads(made.order_no) == 0
    state, note = delivery(db, "mini", EventKind.RECORDED, made.order_no)
    assert state == "attention" and "may have reached WeChat" in note


def test_the_repacked_waybill_replaces_the_voided_one_with_the_single_re_ship(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    log: WebhookReceiver,
    boss: User,
) -> None:
    made = shipped(db, fake)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
        void_shipment(db, made.shipment_id, boss, "label smudged", "bench-1", repack=True)
        uploader.drain()
        assert delivery(db, "mini", EventKind.VOIDED, made.order_no)[0] == "attention"
        packed_again(db, made, "7399000000001")
        uploader.drain()
    wechat = fake.orders[made.order_no]
    assert wechat["shipping_list"] == [{"tracking_no": "7399000000001", "express_company": "ZTO"}]
    assert wechat["reships"] == 1
    state, note = delivery(db, "mini", EventKind.VOIDED, made.order_no)
    assert state == "done" and "7399000000001" in note
    assert deliveries.attention(db, "mini") == []


def test_a_replacement_wechat_refuses_waits_for_a_person(
    db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    log: WebhookReceiver,
    boss: User,
) -> None:
    made = shipped(db, fake)
    with opened_uploader(data_dir, fast) as uploader:
        uploader.drain()
        fake.orders[made.order_no]["reships"] = 1  # the single re-ship is spent already
        void_shipment(db, made.shipment_id, boss, "label smudged", "bench-1", repack=True)
        packed_again(db, made, "7399000000002")
        uploader.drain()
    assert held_waybills(fake, made.order_no) == [made.tracking_no]
    new_record = db.execute(
        "SELECT d.state, d.note FROM deliveries d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE d.target = 'mini' AND o.idempotency_key LIKE '%7399000000002'"
    ).fetchone()
    assert new_record[0] == "attention" and "WeChat back office" in new_record[1]
    assert delivery(db, "mini", EventKind.VOIDED, made.order_no)[0] == "attention"


def test_the_shop_corrects_a_voided_waybill_with_deliveryinfo_update(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, boss: User
) -> None:
    with wechat_server(fake) as url:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "shop"\nkind = "wechat-shop"\nappid = "wxapp"\n'
            f'base_url = "{url}"\nsources = ["wechat-shop"]\ntimeout_seconds = 0.5\n'
            f"settle_seconds = 0.5\n",
        )
        set_secret("shop", "s3cret")
        made = shipped(db, fake, source="wechat-shop")
        with opened_uploader(data_dir, fast) as uploader:
            uploader.drain()
            void_shipment(db, made.shipment_id, boss, "wrong size", "bench-1", repack=True)
            packed_again(db, made, "7399000000003", source="wechat-shop")
            uploader.drain()
    order = fake.shop[made.order_no]
    assert (order["sends"], order["updates"]) == (1, 1)
    parcels = order["order_detail"]["delivery_info"]["delivery_product_info"]
    assert [p["waybill_id"] for p in parcels] == ["7399000000003"]
    assert delivery(db, "shop", EventKind.VOIDED, made.order_no)[0] == "done"
    assert deliveries.attention(db, "shop") == []


def held_waybills(fake: FakeWeChat, order_no: str) -> list[str]:
    return [item["tracking_no"] for item in fake.orders[order_no]["shipping_list"]]

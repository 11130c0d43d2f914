"""An upload WeChat is still processing when the station gives up on it is never
sent a second time (which would spend the order's single re-ship).

The local WeChat server holds each order's first upload for `late_seconds` before
acting on it, longer than the client waits: the client times out (or is killed)
while the request is still in flight, and a look-up meanwhile shows the order
still to ship. Two defences, each shown alone and together: the station looks an
in-doubt record up only after the target's settle window has passed since the
in-doubt send (noted durably before it left), and a resend carries the in-doubt
upload's own upload_time, which WeChat refuses to take twice for an order.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from test_sync_fakes import FakeWeChat, add_records, opened_uploader, wechat_server
from test_sync_kill import start_uploader

from station.settings import Settings
from station.store import deliveries
from station.store.db import now_utc, transaction
from station.store.outbox import save_ref
from station.sync.secrets import set_secret

RECORDS = 20
LATE = 1.0


def queue(db: sqlite_utils.Database, fake: FakeWeChat, count: int) -> list[str]:
    """Records whose payer is known, so the first upload goes out without a look-up."""
    orders = add_records(db, count)
    with transaction(db):
        for order_no in orders:
            save_ref(db, order_no, "miniprogram", {"openid": "oPayer"}, now_utc())
    for order_no in orders:
        fake.add_order(order_no)
    fake.late_orders = set(orders)
    fake.late_seconds = LATE
    return orders


def configure(data_dir: Path, url: str, timeout: float, settle: float) -> None:
    (data_dir / "sync.toml").write_text(
        f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
        f'mchid = "1230000109"\nbase_url = "{url}"\ntimeout_seconds = {timeout}\n'
        f"settle_seconds = {settle}\n",
        encoding="utf-8",
    )


def done_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM deliveries WHERE state = 'done'").fetchone()[0]


def wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        pause.wait(0.01)


@pytest.mark.usefixtures("memory_keyring")
@pytest.mark.parametrize(
    ("ordered", "settle"),
    [(True, 1.5), (False, 1.5), (True, 0.3)],
    ids=["both", "settle-window-alone", "same-upload-time-alone"],
)
def test_a_timed_out_upload_still_in_flight_lands_once(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings, ordered: bool, settle: float
) -> None:
    fake = FakeWeChat()
    fake.orders_by_upload_time = ordered
    orders = queue(db, fake, RECORDS)
    with wechat_server(fake) as url:
        configure(data_dir, url, timeout=0.3, settle=settle)
        set_secret("mini", "s3cret")
        with opened_uploader(data_dir, fast) as uploader:
            pause = threading.Event()
            while done_count(db) < RECORDS:
                if uploader.pass_once() == 0:
                    pause.wait(0.01)
        wait(lambda: fake.in_flight == 0 and not fake.late_orders)
    assert [fake.uploads(o) for o in orders] == [1] * RECORDS
    assert [fake.orders[o]["reships"] for o in orders] == [0] * RECORDS


@pytest.mark.usefixtures("memory_keyring")
def test_an_in_doubt_record_waits_the_settle_window_from_its_noted_send(
    db: sqlite_utils.Database,
) -> None:
    add_records(db, 2)
    deliveries.fan_out(db, "mini")
    deliveries.start(db, "mini", [1, 2])
    deliveries.note_sent(db, "mini", 1, "2026-11-21T13:29:35.120+08:00")
    deliveries.recover_in_flight(db, "mini")
    sent_at = db.execute("SELECT sent_at FROM deliveries WHERE outbox_id = 1").fetchone()[0]
    now = now_utc()
    ready = deliveries.due(db, "mini", now, 10, settle_seconds=3600)
    assert [d.outbox_id for d in ready] == [2]  # in doubt, but nothing was sent for it
    deliveries.finish(db, "mini", [deliveries.Finished(2, "done")])
    later = deliveries.next_due_at(db, "mini", settle_seconds=3600)
    assert later is not None and later > sent_at and later > now
    (first,) = deliveries.due(db, "mini", later, 10, settle_seconds=3600)
    assert first.outbox_id == 1 and first.in_doubt
    assert first.sent_mark == "2026-11-21T13:29:35.120+08:00"


@pytest.mark.slow
def test_sigkill_during_the_first_upload_never_lands_twice(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    Settings.load(data_dir).save(
        sync__backoff_base_seconds=0.01, sync__backoff_cap_seconds=0.05, sync__idle_seconds=0.05
    )
    fake = FakeWeChat()
    orders = queue(db, fake, 3)
    fake.late_orders = {orders[0]}
    fake.late_seconds = 5.0  # longer than a restart takes

    def received(order_no: str) -> bool:
        return any(
            name == "upload_shipping_info" and r["order_key"]["out_trade_no"] == order_no
            for name, r in list(fake.calls)
        )

    with wechat_server(fake) as url:
        configure(data_dir, url, timeout=2, settle=6)
        process = start_uploader(data_dir)
        try:
            wait(lambda: received(orders[0]) or process.poll() is not None)
            process.send_signal(signal.SIGKILL)  # the first upload is still in flight
            process.wait()
        finally:
            process.stderr.close()
        assert fake.uploads(orders[0]) == 0
        process = start_uploader(data_dir)
        try:
            wait(lambda: done_count(db) == len(orders) or process.poll() is not None)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
            process.stderr.close()
        wait(lambda: fake.in_flight == 0)
    assert [fake.uploads(o) for o in orders] == [1, 1, 1]
    assert [fake.orders[o]["reships"] for o in orders] == [0, 0, 0]
    note = db.execute("SELECT note FROM deliveries WHERE outbox_id = 1").fetchone()[0]
    assert note == "WeChat already holds this tracking number"


# upload_shipping_info's example request in WeChat's documentation (as quoted in
# /work/shared/reference/upstream-apis.md): order by transaction_id, unified
# delivery by express, SF with the receiver's masked phone.
DOC_TRANSACTION = "4200001234202211150000000001"
DOC_TRACKING = "SF1023574470215"


@pytest.mark.usefixtures("memory_keyring")
def test_the_documented_example_upload_in_flight_is_taken_once(
    db: sqlite_utils.Database, data_dir: Path, fast: Settings
) -> None:
    fake = FakeWeChat()
    (order_no,) = add_records(db, 1, carrier="SF")
    db.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.tracking_no', ?, "
        '\'$.items\', json(\'[{"name": "保温杯", "quantity": 1}]\'))',
        [DOC_TRACKING],
    )
    with transaction(db):
        save_ref(
            db,
            order_no,
            "miniprogram",
            {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "transaction_id": DOC_TRANSACTION},
            now_utc(),
        )
    fake.add_order(DOC_TRANSACTION, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    fake.late_orders = {DOC_TRANSACTION}
    fake.late_seconds = LATE
    with wechat_server(fake) as url:
        (data_dir / "sync.toml").write_text(
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'order_key = "transaction_id"\nbase_url = "{url}"\ntimeout_seconds = 0.3\n'
            f"settle_seconds = 0.3\n",
            encoding="utf-8",
        )
        set_secret("mini", "s3cret")
        with opened_uploader(data_dir, fast) as uploader:
            pause = threading.Event()
            while done_count(db) < 1:
                if uploader.pass_once() == 0:
                    pause.wait(0.01)
        wait(lambda: fake.in_flight == 0)
    uploads = [r for name, r in fake.calls if name == "upload_shipping_info"]
    assert len(uploads) == 2  # the one in flight, then the resend after the look-up
    first, resend = uploads
    assert first == resend  # the very same request, upload_time included
    assert first["order_key"] == {"order_number_type": 2, "transaction_id": DOC_TRANSACTION}
    assert (first["delivery_mode"], first["logistics_type"]) == (1, 1)
    assert first["shipping_list"] == [
        {
            "tracking_no": DOC_TRACKING,
            "express_company": "SF",
            "item_desc": "保温杯*1",
            "contact": {"receiver_contact": "138****5678"},
        }
    ]
    assert first["payer"] == {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    order = fake.orders[DOC_TRANSACTION]
    assert (order["uploads"], order["reships"], order["order_state"]) == (1, 0, 2)
    assert order["shipping_list"] == [{"tracking_no": DOC_TRACKING, "express_company": "SF"}]

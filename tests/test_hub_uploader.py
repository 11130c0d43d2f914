"""The hub uploader on a real PostgreSQL against the local WeChat fake: every bench's
shipments uploaded once, voids, lost answers looked up before any resend, and the
IP whitelist refusal (61004) said with what to do."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from hub_shipments import push, push_void, uploader
from test_sync_fakes import FakeWeChat, wechat_server

from station.hub import wechat_queue
from station.hub.db import connect
from station.hub.migrations import migrate
from station.hub.schema import SCHEMA_1


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def states(hub: psycopg.Connection) -> list[tuple[str, str, str]]:
    return hub.execute(
        """SELECT s.order_no, u.event, u.state FROM wechat_uploads u
           JOIN shipments s ON s.id = u.shipment_id ORDER BY u.id"""
    ).fetchall()


def drain_until(job, condition, timeout: float = 30.0) -> None:
    """Drain again until `condition()` (rows waiting for a backoff or a settle
    window become due meanwhile); no figure of time is asserted."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "no progress"
        job.drain()
        pause.wait(0.05)


def test_two_benches_shipments_are_uploaded_once_each(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    orders = [f"WX{n:08d}" for n in range(1, 7)]
    for order_no in orders:
        fake.add_order(order_no)
    push(hub_url, "bench-1", [(1, orders[0], "7500001"), (2, orders[1], "7500002")])
    push(hub_url, "bench-2", [(1, orders[2], "7500003"), (2, orders[3], "7500004")])
    with wechat_server(fake) as url:
        job = uploader(hub_url, url)
        try:
            assert job.drain() == 4
            push(hub_url, "bench-1", [(3, orders[4], "7500005")])
            push(hub_url, "bench-2", [(3, orders[5], "7500006")])
            assert job.drain() == 2
            calls = len(fake.calls)
            assert job.drain() == 0
        finally:
            job.close()
    assert len(fake.calls) == calls  # nothing more to send
    assert [fake.uploads(o) for o in orders] == [1] * 6
    assert [fake.orders[o]["shipping_list"][0]["tracking_no"] for o in orders] == [
        f"750000{n}" for n in range(1, 7)
    ]
    assert {state for _, _, state in states(hub)} == {"done"}
    assert wechat_queue.get_state(hub, "mini", "upload_time")  # kept at the hub


def test_the_hub_schema_step_queues_shipments_pushed_before_it(pg_url: str) -> None:
    with connect(pg_url) as conn:
        with conn.transaction():  # a hub at schema version 1, with shipments
            conn.execute(SCHEMA_1)
            conn.execute("CREATE TABLE hub_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO hub_version VALUES (1)")
        push(pg_url, "bench-1", [(1, "WX1", "7501"), (2, "WX2", "7502")])
        push_void(pg_url, "bench-1", 2, "WX2", "7502")
        migrate(conn)
        push(pg_url, "bench-2", [(1, "WX3", "7503")])
        inbox = conn.execute(
            """SELECT s.order_no, i.event FROM wechat_inbox i
               JOIN shipments s ON s.id = i.shipment_id ORDER BY i.id"""
        ).fetchall()
    assert inbox == [
        ("WX1", "shipment.recorded"),
        ("WX2", "shipment.recorded"),
        ("WX2", "shipment.voided"),
        ("WX3", "shipment.recorded"),
    ]


def test_a_shipment_voided_before_its_upload_is_never_sent(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001")])
    push_void(hub_url, "bench-1", 1, "WX00000001", "7500001")
    with wechat_server(fake) as url:
        job = uploader(hub_url, url)
        try:
            job.drain()
        finally:
            job.close()
    assert fake.uploads("WX00000001") == 0
    assert states(hub) == [
        ("WX00000001", "shipment.recorded", "done"),
        ("WX00000001", "shipment.voided", "done"),
    ]


def test_a_void_after_the_upload_waits_for_the_new_waybill(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    with wechat_server(fake) as url:
        job = uploader(hub_url, url)
        try:
            push(hub_url, "bench-1", [(1, "WX00000001", "7500001")])
            job.drain()
            push_void(hub_url, "bench-1", 1, "WX00000001", "7500001")
            job.drain()
            assert states(hub)[-1] == ("WX00000001", "shipment.voided", "attention")
            push(hub_url, "bench-2", [(1, "WX00000001", "7500009")])  # packed again
            job.drain()
        finally:
            job.close()
    order = fake.orders["WX00000001"]
    assert order["shipping_list"][0]["tracking_no"] == "7500009"
    assert order["reships"] == 1  # the single re-ship, spent on the new waybill
    assert [s for _, _, s in states(hub)] == ["done", "done", "done"]


def test_an_upload_whose_answer_was_lost_is_looked_up_not_sent_again(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    fake.add_order("WX00000002")
    fake.slow_seconds = 3.0
    fake.fault("upload_shipping_info", "slow")  # acted on, answered after the timeout
    fake.late_orders = {"WX00000002"}  # held, lands after our look-up
    fake.late_seconds = 10.0
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001"), (2, "WX00000002", "7500002")])
    with wechat_server(fake) as url:
        job = uploader(hub_url, url, timeout=1.0, settle=1.0)
        try:
            job.drain()
            doubt = hub.execute(
                "SELECT in_doubt, sent_mark <> '' FROM wechat_uploads ORDER BY id"
            ).fetchall()
            assert doubt[0] == (True, True)
            drain_until(job, lambda: {s for _, _, s in states(hub)} == {"done"})
        finally:
            job.close()
    for order_no in ("WX00000001", "WX00000002"):
        assert fake.uploads(order_no) == 1
        assert fake.orders[order_no]["reships"] == 0


def test_61004_pauses_the_target_and_names_the_fixed_address(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    fake.fault("get_order", *[61004] * 1000)  # until the address is whitelisted
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001")])
    with wechat_server(fake) as url:
        job = uploader(hub_url, url)
        try:
            job.drain()
            words = job.problems["mini"]
            assert "61004" in words and "fixed public IP address" in words
            assert "whitelist" in words
            assert states(hub) == [("WX00000001", "shipment.recorded", "queued")]
            assert "fixed public IP" in (wechat_queue.get_state(hub, "mini", "last_error") or "")
            fake.faults["get_order"].clear()  # the address was added to the whitelist
            drain_until(job, lambda: states(hub)[0][2] == "done")
        finally:
            job.close()
    assert fake.uploads("WX00000001") == 1


def test_a_row_left_sending_by_a_live_uploader_is_not_taken(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001")])
    with wechat_server(fake) as url:
        first, second = uploader(hub_url, url), uploader(hub_url, url)
        try:
            conn = first.connect()
            wechat_queue.fan_out(conn, first.sources)
            assert len(wechat_queue.claim(conn, "mini", first.owner, 1, 0.0)) == 1
            assert second.drain() == 0  # first is alive: its row stays its own
            first.disconnect()  # as if killed: its session and lock go (soon)
            drain_until(second, lambda: fake.orders["WX00000001"]["uploads"] == 1)
        finally:
            first.close()
            second.close()
    assert fake.uploads("WX00000001") == 1
    assert hub.execute("SELECT in_doubt FROM wechat_uploads").fetchone() == (True,)


def test_a_hub_connection_dropped_mid_upload_is_reopened_and_nothing_sent_twice(
    hub_url: str, hub
) -> None:
    fake = FakeWeChat()
    fake.add_order("WX00000001")
    fake.add_order("WX00000002")
    fake.slow_seconds = 1.0
    fake.fault("upload_shipping_info", "slow")
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001"), (2, "WX00000002", "7500002")])
    stop = threading.Event()
    with wechat_server(fake) as url:
        job = uploader(hub_url, url, timeout=3.0, settle=3.0)
        worker = threading.Thread(target=job.run, args=(stop, 0.05))
        try:
            pid = job.connect().info.backend_pid
            worker.start()
            deadline = time.monotonic() + 30
            while not any(name == "upload_shipping_info" for name, _ in fake.calls):
                assert time.monotonic() < deadline
                threading.Event().wait(0.005)
            # WeChat is acting on the upload; the hub drops the uploader's session.
            hub.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 30
            while {s for _, _, s in states(hub)} != {"done"}:
                assert time.monotonic() < deadline, states(hub)
                threading.Event().wait(0.05)
        finally:
            stop.set()
            worker.join(30)
            job.close()
    assert fake.uploads("WX00000001") == 1 and fake.uploads("WX00000002") == 1
    assert fake.orders["WX00000001"]["reships"] == 0
    assert hub.execute("SELECT in_doubt FROM wechat_uploads ORDER BY id").fetchall()[0] == (True,)


def test_shop_orders_are_pulled_into_the_hub_and_their_shipments_sent(hub_url: str, hub) -> None:
    fake = FakeWeChat()
    fake.add_shop_order("3700001")
    fake.add_shop_order("3700002", status=250)  # cancelled before the hub knew it
    with wechat_server(fake) as url:
        shop = {
            "name": "shop",
            "kind": "wechat-shop",
            "appid": "wxapp",
            "base_url": url,
            "timeout_seconds": 2.0,
            "settle_seconds": 2.0,
            "pull_orders": True,
        }
        job = uploader(hub_url, url, config=shop)
        try:
            job.drain()
            rows = hub.execute("SELECT order_no, source, data->>'status' FROM orders").fetchall()
            assert rows == [("3700001", "wechat-shop", "open")]
            push(hub_url, "bench-1", [(1, "3700001", "7500001")])
            job.drain()
        finally:
            job.close()
    assert fake.shop["3700001"]["sends"] == 1
    assert fake.shop["3700001"]["order_detail"]["delivery_info"]["delivery_product_info"] == [
        {"waybill_id": "7500001", "delivery_id": "ZTO"}
    ]
    assert wechat_queue.get_state(hub, "shop", "pulled_until")

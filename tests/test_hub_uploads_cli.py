"""`station hub uploads` list / retry / dismiss, run as a supervisor runs them, on a
real PostgreSQL with the hub uploader against the local WeChat fake."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from hub_shipments import push, uploader
from test_hub_cli import station
from test_sync_fakes import FakeWeChat, wechat_server

from station.hub.db import connect


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def upload_states(hub: psycopg.Connection) -> dict[str, str]:
    rows = hub.execute(
        "SELECT s.order_no, u.state FROM wechat_uploads u JOIN shipments s ON s.id = u.shipment_id"
    ).fetchall()
    return dict(rows)


def listed(folder: Path, hub_url: str) -> list[dict]:
    out = station(folder, "hub", "uploads", "--json", "--url", hub_url)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_a_retried_upload_is_looked_up_first_and_a_dismissal_is_audited(
    tmp_path: Path, hub_url: str, hub: psycopg.Connection
) -> None:
    fake = FakeWeChat()
    for order_no in ("WX00000001", "WX00000002"):  # not shippable: needs a person
        fake.add_order(order_no, order_state=5)
    push(hub_url, "bench-1", [(1, "WX00000001", "7500001"), (2, "WX00000002", "7500002")])
    with wechat_server(fake) as url:
        job = uploader(hub_url, url)
        try:
            job.drain()
            assert upload_states(hub) == {"WX00000001": "attention", "WX00000002": "attention"}
            rows = listed(tmp_path, hub_url)
            assert [(r["order_no"], r["tracking_no"], r["bench"]) for r in rows] == [
                ("WX00000001", "7500001", "bench-1"),
                ("WX00000002", "7500002", "bench-1"),
            ]
            first, second = rows[0]["id"], rows[1]["id"]
            # Meanwhile the parcel was shipped in WeChat with our number (by hand):
            # sending it again would spend the order's single re-ship.
            fake.add_order(
                "WX00000001",
                order_state=2,
                shipping_list=[{"tracking_no": "7500001", "express_company": "ZTO"}],
            )
            retry = ["hub", "uploads", "retry", str(first), "--url", hub_url]
            refused = station(tmp_path, *retry)
            assert refused.returncode == 2 and "--as NAME" in refused.stderr
            out = station(tmp_path, *retry, "--technician")
            assert out.returncode == 0, out.stderr
            assert out.stdout.startswith(f"{first}: queued again")
            # Queued in doubt: the uploader asks WeChat before it sends anything.
            assert hub.execute(
                "SELECT state, in_doubt FROM wechat_uploads WHERE id = %s", [first]
            ).fetchone() == ("queued", True)
            job.drain()
        finally:
            job.close()
    assert fake.uploads("WX00000001") == 0
    assert fake.orders["WX00000001"]["reships"] == 0
    assert upload_states(hub)["WX00000001"] == "done"

    # --url before the action counts too
    dismiss = ["hub", "uploads", "--url", hub_url, "dismiss", str(second), "--technician"]
    blank = station(tmp_path, *dismiss, "--reason", "  ")
    assert blank.returncode == 2 and "reason" in blank.stderr
    out = station(tmp_path, *dismiss, "--reason", "order cancelled by phone")
    assert out.returncode == 0, out.stderr
    assert upload_states(hub)["WX00000002"] == "dismissed"
    assert listed(tmp_path, hub_url) == []
    again = station(tmp_path, *dismiss, "--reason", "twice")
    assert again.returncode == 2 and str(second) in again.stderr
    audit = hub.execute(
        "SELECT action, order_no, bench, detail FROM audit WHERE action LIKE 'wechat_upload%%'"
        " ORDER BY id"
    ).fetchall()
    assert [(a, o, b) for a, o, b, _ in audit] == [
        ("wechat_upload_retry", "WX00000001", "bench-1"),
        ("wechat_upload_dismiss", "WX00000002", "bench-1"),
    ]
    assert audit[1][3].endswith("order cancelled by phone")


def test_retrying_an_id_that_needs_no_attention_says_so(
    tmp_path: Path, hub_url: str, hub: psycopg.Connection
) -> None:
    out = station(tmp_path, "hub", "uploads", "retry", "999", "--url", hub_url, "--technician")
    assert out.returncode == 2
    assert "999: no such record needing attention" in out.stderr

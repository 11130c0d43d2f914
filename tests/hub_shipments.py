"""Shipments pushed to a hub as benches push them (the outbox target `hub`), and a
hub uploader wired to the local WeChat fake: helpers for the hub uploader tests."""

from __future__ import annotations

import itertools
from typing import Any

from station.core.events import EventKind
from station.hub.push import HubTarget
from station.hub.wechat import HubUploader, build_targets
from station.store.outbox import Record
from station.sync.config import parse_target
from station.sync.outcome import Verdict
from station.sync.uploader import Backoff

_ids = itertools.count(1)


def payload(bench: str, shipment_id: int, order_no: str, tracking_no: str) -> dict[str, Any]:
    return {
        "shipment_id": shipment_id,
        "order_no": order_no,
        "source": "miniprogram",
        "carrier": "ZTO",
        "tracking_no": tracking_no,
        "weight_g": 500,
        "shipped_at": "2026-12-04T10:00:00.000Z",
        "station": bench,
        "packer": "packer",
        "receiver_contact": "138****5678",
        "items": [{"sku": "CUP-350", "name": "保温杯", "quantity": 1}],
    }


def push(url: str, bench: str, shipments: list[tuple[int, str, str]]) -> None:
    """Push (bench shipment id, order_no, tracking_no) recorded shipments as `bench`."""
    records = [
        Record(
            next(_ids),
            EventKind.RECORDED,
            order_no,
            f"ship:{order_no}:{tracking}",
            payload(bench, shipment_id, order_no, tracking),
            "2026-12-04T10:00:00.000Z",
        )
        for shipment_id, order_no, tracking in shipments
    ]
    _deliver(url, records)


def push_void(url: str, bench: str, shipment_id: int, order_no: str, tracking: str) -> None:
    data = payload(bench, shipment_id, order_no, tracking) | {
        "voided_at": "2026-12-04T10:05:00.000Z"
    }
    record = Record(next(_ids), EventKind.VOIDED, order_no, f"void:{tracking}", data, "")
    _deliver(url, [record])


def _deliver(url: str, records: list[Record]) -> None:
    target = HubTarget(url, 5.0)
    try:
        outcomes = target.deliver(records, {})
    finally:
        target.close()
    assert all(o.verdict is Verdict.DONE for o in outcomes)


def mini_config(wechat_url: str, timeout: float = 2.0, settle: float = 2.0) -> dict[str, Any]:
    return {
        "name": "mini",
        "kind": "wechat-miniprogram",
        "appid": "wxapp",
        "mchid": "1230000109",
        "base_url": wechat_url,
        "timeout_seconds": timeout,
        "settle_seconds": settle,
    }


def sync_toml(config: dict[str, Any]) -> str:
    lines = ["[[targets]]"]
    for key, value in config.items():
        lines.append(f"{key} = {value!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


def uploader(
    hub_url: str,
    wechat_url: str,
    timeout: float = 2.0,
    settle: float = 2.0,
    config: dict[str, Any] | None = None,
):
    """A hub uploader for the mini-program target (or the `config` given)."""
    target = parse_target(config or mini_config(wechat_url, timeout, settle), "test")
    parts = build_targets([target], lambda name: "s3cret", lambda name: "")
    return HubUploader(
        hub_url, parts.targets, parts.sources, Backoff(0.01, 0.05), parts.pullers, timeout_s=5.0
    )

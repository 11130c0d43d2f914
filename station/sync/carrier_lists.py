"""Fetching WeChat's carrier lists once a day, so that a carrier code WeChat does not
know is refused before packing, not at upload after the parcel has left.

Mini-program: `POST /cgi-bin/express/delivery/open_msg/get_delivery_list` `{}` ->
`{"errcode":0,"delivery_list":[{"delivery_id":"YD","delivery_name":"韵达速递"},...]}`.
WeChat Shop: `POST /channels/ec/order/deliverycompanylist/new/get`
`{"ewaybill_only":false}` -> `company_list` of the same `delivery_id` /
`delivery_name` items (shared reference upstream-apis.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from station.store import wechat_carriers
from station.sync.outcome import TargetProblem
from station.sync.wechat_api import WeChatApi, call
from station.sync.wechat_errors import describe

MINIPROGRAM_LIST = "/cgi-bin/express/delivery/open_msg/get_delivery_list"
SHOP_LIST = "/channels/ec/order/deliverycompanylist/new/get"


class CarrierListPuller:
    """Runs at the uploader's first pass of each local day (a Puller)."""

    def __init__(
        self,
        name: str,
        api: WeChatApi,
        path: str,
        request: dict[str, Any],
        sources: Sequence[str] = (),
        clock: Callable[[], float] = time.time,
    ):
        self.name = name
        self.api = api
        self.path = path
        self.request = request
        self.sources = tuple(sources)
        self.clock = clock
        self._done_on = ""

    def due(self, now: float) -> bool:
        return self._done_on != _day(now)

    def pull(self, db: sqlite_utils.Database) -> str:
        today = _day(self.clock())
        if wechat_carriers.fetched_on(db, self.name) == today:
            self._done_on = today
            return "carrier list already fetched today"
        reply = call(self.api, self.path, self.request, False, self.clock())
        if reply.code != 0:
            reason = (
                describe(reply.code, reply.message)
                if reply.code is not None
                else f"no usable answer (HTTP {reply.status})"
            )
            raise TargetProblem(
                f"fetching WeChat's carrier list: {reason}", in_doubt=False, offline=False
            )
        codes = carrier_codes(reply.data)
        wechat_carriers.save_list(db, self.name, codes, self.sources, today)
        self._done_on = today
        return f"WeChat knows {len(codes)} carriers"

    def close(self) -> None:
        self.api.close()


def carrier_codes(data: dict[str, Any]) -> list[str]:
    """The `delivery_id`s of a carrier-list answer (`delivery_list` or `company_list`)."""
    items = data.get("delivery_list", data.get("company_list"))
    return [
        str(item["delivery_id"]).upper()
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and str(item.get("delivery_id") or "").strip()
    ]


def _day(moment: float) -> str:
    return datetime.fromtimestamp(moment).astimezone().date().isoformat()

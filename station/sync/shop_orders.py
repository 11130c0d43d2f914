"""Pulling WeChat Shop orders into the bench's database on a schedule.

New and changed orders (address edits) are saved with `save_order`, which never
touches an order already shipped here. Cancellations (190, 200, 250) become
'cancelled' with the reason, and an order shipped from the shop's back office
is put on hold, so the bench refuses to pack either. The pull works through
`update_time_range` windows of at most 7 days, remembering how far it got.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import sqlite_utils

from station.core.model import Contact, OrderStatus
from station.core.problem_texts import Text
from station.store import deliveries, outbox
from station.store.db import now_utc, transaction
from station.store.orders import NewLine, save_order
from station.sync.outcome import TargetProblem
from station.sync.shop import CANCELLED, COMPLETED, SHIPPED, product_infos
from station.sync.wechat_api import Reply, WeChatApi, call
from station.sync.wechat_errors import describe

LIST = "/channels/ec/order/list/get"
GET = "/channels/ec/order/get"
SOURCE = "wechat-shop"
WINDOW_SECONDS = 7 * 24 * 3600
OVERLAP_SECONDS = 300
PULLED_UNTIL = "pulled_until"
UNPAID = 10


class ShopOrderPuller:
    def __init__(
        self,
        name: str,
        api: WeChatApi,
        interval_minutes: float = 5.0,
        days: int = 3,
        clock: Callable[[], float] = time.time,
    ):
        self.name = name
        self.api = api
        self.interval = interval_minutes * 60
        self.days = days
        self.clock = clock
        self._next = 0.0

    def due(self, now: float) -> bool:
        return now >= self._next

    def pull(self, db: sqlite_utils.Database) -> str:
        """Fetch orders changed since the last pull and save them; a summary."""
        now = self.clock()
        self._next = now + self.interval
        known = deliveries.get_state(db, self.name, PULLED_UNTIL)
        start = int(known) - OVERLAP_SECONDS if known else int(now) - self.days * 86400
        end = int(now)
        counts: dict[str, int] = {}
        for order_id in self._changed(start, end):
            order = self._get(order_id)
            result = save_shop_order(db, order)
            counts[result] = counts.get(result, 0) + 1
        deliveries.save_state(db, self.name, {PULLED_UNTIL: str(end)})
        return ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "no changes"

    def close(self) -> None:
        self.api.close()

    def _changed(self, start: int, end: int) -> Iterator[str]:
        while start < end:
            stop = min(end, start + WINDOW_SECONDS)
            next_key = ""
            while True:
                request: dict[str, Any] = {
                    "update_time_range": {"start_time": start, "end_time": stop},
                    "page_size": 100,
                }
                if next_key:
                    request["next_key"] = next_key
                data = self._ok(call(self.api, LIST, request, False, self.clock()))
                ids = data.get("order_id_list")
                if isinstance(ids, list):
                    yield from (str(i) for i in ids)
                next_key = data.get("next_key") if isinstance(data.get("next_key"), str) else ""
                if data.get("has_more") is not True or not next_key:
                    break
            start = stop

    def _get(self, order_id: str) -> dict[str, Any]:
        data = self._ok(call(self.api, GET, {"order_id": order_id}, False, self.clock()))
        order = data.get("order")
        if not isinstance(order, dict):
            raise TargetProblem(
                "the shop sent an order without details", in_doubt=False, offline=False
            )
        return order

    @staticmethod
    def _ok(reply: Reply) -> dict[str, Any]:
        if reply.code == 0:
            return reply.data
        reason = (
            describe(reply.code, reply.message)
            if reply.code is not None
            else f"no usable answer (HTTP {reply.status})"
        )
        raise TargetProblem(f"pulling shop orders: {reason}", in_doubt=False, offline=False)


def save_shop_order(db: sqlite_utils.Database, order: dict[str, Any]) -> str:
    """Save one shop order; returns what happened ('saved', 'cancelled', 'held', 'skipped')."""
    order_id = str(order.get("order_id", ""))
    status = order.get("status")
    if not order_id or type(status) is not int or status == UNPAID:
        return "skipped"
    fields: dict[str, Any] = {"source": SOURCE}
    result = "saved"
    exists = db.execute("SELECT 1 FROM orders WHERE order_no = ?", [order_id]).fetchone()
    if status in CANCELLED:
        if not exists:
            return "skipped"
        fields |= {
            "status": OrderStatus.CANCELLED.value,
            "hold_reason": Text.of("hold_shop_cancelled", status=status),
        }
        result = "cancelled"
    elif status in (SHIPPED, COMPLETED):
        if not exists:
            return "skipped"
        fields |= {
            "status": OrderStatus.HOLD.value,
            "hold_reason": Text.of("hold_shop_shipped", status=status),
        }
        result = "held"
    detail = order.get("order_detail") if isinstance(order.get("order_detail"), dict) else {}
    with transaction(db):
        saved = save_order(db, order_id, _recipient(detail), _lines(detail), **fields)
        if not saved:
            return "skipped"
        ref = {"product_infos": product_infos(order), "openid": str(order.get("openid", ""))}
        outbox.save_ref(db, order_id, SOURCE, ref, now_utc())
    return result


def _recipient(detail: dict[str, Any]) -> Contact:
    info = detail.get("delivery_info")
    address = info.get("address_info") if isinstance(info, dict) else None
    a = address if isinstance(address, dict) else {}

    def text(key: str) -> str:
        value = a.get(key)
        return value.strip() if isinstance(value, str) else ""

    street = " ".join(part for part in (text("detail_info"), text("house_number")) if part)
    return Contact(
        name=text("user_name") or "?",
        phone=text("tel_number"),
        address=street,
        province=text("province_name"),
        city=text("city_name"),
        district=text("county_name"),
    )


def _lines(detail: dict[str, Any]) -> list[NewLine]:
    products = detail.get("product_infos")
    lines = []
    for p in products if isinstance(products, list) else []:
        if not isinstance(p, dict) or type(p.get("sku_cnt")) is not int or p["sku_cnt"] <= 0:
            continue
        sku = str(p.get("sku_code") or p.get("sku_id") or p.get("product_id") or "?")
        lines.append(NewLine(sku=sku, name=str(p.get("title") or sku), quantity=p["sku_cnt"]))
    return lines

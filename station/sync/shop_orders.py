"""Pulling WeChat Shop orders into the bench's database on a schedule.

New and changed orders (address edits) go through the one order checker of file
imports (`station.importers.commit.check_and_store`): the same address, phone and
duplicate flags, the order's value for routing, and an order already shipped
here is never touched. Cancellations (190, 200, 250) become
'cancelled' with the reason, and an order shipped from the shop's back office
is put on hold, so the bench refuses to pack either. The pull works through
`update_time_range` windows of at most 7 days, remembering how far it got.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlite_utils

from station.core.address import DEFAULT_CHECK_WORDS, AddressInput
from station.core.model import Contact, OrderStatus
from station.core.problem_texts import Text
from station.importers.commit import check_and_store
from station.importers.orders import ImportedOrder, ImportLine
from station.store import deliveries, outbox
from station.store.db import now_utc, transaction
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
        check_words: Sequence[str] = DEFAULT_CHECK_WORDS,
    ):
        self.name = name
        self.check_words = tuple(check_words)
        self.api = api
        self.interval = interval_minutes * 60
        self.days = days
        self.clock = clock
        self._next = 0.0

    def due(self, now: float) -> bool:
        return now >= self._next

    def pull(self, db: sqlite_utils.Database) -> str:
        """Fetch orders changed since the last pull and save them; a summary."""
        start, end = self.window(deliveries.get_state(db, self.name, PULLED_UNTIL))
        counts: dict[str, int] = {}
        for order_id in self.changed(start, end):
            order = self.get(order_id)
            result = save_shop_order(db, order, self.check_words)
            counts[result] = counts.get(result, 0) + 1
        deliveries.save_state(db, self.name, {PULLED_UNTIL: str(end)})
        return summary(counts)

    def close(self) -> None:
        self.api.close()

    def window(self, pulled_until: str | None) -> tuple[int, int]:
        """The update times to ask for now, from how far the last pull got (its
        PULLED_UNTIL value); the next pull is due an interval from now."""
        now = self.clock()
        self._next = now + self.interval
        if pulled_until:
            return int(pulled_until) - OVERLAP_SECONDS, int(now)
        return int(now) - self.days * 86400, int(now)

    def changed(self, start: int, end: int) -> Iterator[str]:
        """The ids of orders the shop changed between `start` and `end`."""
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
                found = data.get("next_key")
                next_key = found if isinstance(found, str) else ""
                if data.get("has_more") is not True or not next_key:
                    break
            start = stop

    def get(self, order_id: str) -> dict[str, Any]:
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


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "no changes"


def judge_shop_order(order: dict[str, Any]) -> tuple[OrderStatus, Text | None, str] | None:
    """How a shop order is kept: its status at the bench, the hold reason, and what
    happened ('saved', 'cancelled', 'held'); None when it is not one to keep (no id,
    unpaid). A cancelled or shipped order is kept only when it is known already."""
    status = order.get("status")
    if not str(order.get("order_id", "")) or type(status) is not int or status == UNPAID:
        return None
    if status in CANCELLED:
        return OrderStatus.CANCELLED, Text.of("hold_shop_cancelled", status=status), "cancelled"
    if status in (SHIPPED, COMPLETED):
        return OrderStatus.HOLD, Text.of("hold_shop_shipped", status=status), "held"
    return OrderStatus.OPEN, None, "saved"


def save_shop_order(
    db: sqlite_utils.Database,
    order: dict[str, Any],
    check_words: Sequence[str] = DEFAULT_CHECK_WORDS,
) -> str:
    """Check and save one shop order through the same checker as a file import
    (`station.importers.commit`): address, phone and duplicate flags, its value for
    routing. Returns what happened ('saved', 'cancelled', 'held', 'skipped')."""
    judged = judge_shop_order(order)
    if judged is None:
        return "skipped"
    shown, hold, result = judged
    order_id = str(order["order_id"])
    exists = db.execute("SELECT 1 FROM orders WHERE order_no = ?", [order_id]).fetchone()
    if result != "saved" and not exists:
        return "skipped"
    summary = check_and_store(db, [shop_order(order, shown, hold)], SOURCE, check_words)
    if summary.unchanged_shipped:
        return "skipped"
    ref = {"product_infos": product_infos(order), "openid": str(order.get("openid", ""))}
    with transaction(db):
        outbox.save_ref(db, order_id, SOURCE, ref, now_utc())
    return result


def shop_order(
    order: dict[str, Any], status: OrderStatus = OrderStatus.OPEN, hold: Text | None = None
) -> ImportedOrder:
    """A WeChat Shop order (`/channels/ec/order/get`'s `order`) as the checker takes it."""
    found = order.get("order_detail")
    detail: dict[str, Any] = found if isinstance(found, dict) else {}
    contact = _recipient(detail)
    parts = (contact.province, contact.city, contact.district)
    return ImportedOrder(
        order_no=str(order["order_id"]),
        lines=tuple(_lines(detail)),
        recipient_name=contact.name,
        phone=contact.phone,
        address=AddressInput("".join(parts) + contact.address, *parts, contact.address),
        status=status,
        hold_reason=hold,
        order_value_fen=order_value_fen(detail),
        ordered_at=_moment(order.get("create_time")),
        payment_no=_transaction_id(detail),
    )


def order_value_fen(detail: dict[str, Any]) -> int:
    """The goods' value in fen, for routing (high value -> insured) and the shipping-cost
    alert. WeChat's order/get documents `order_detail.price_info.product_price` (the
    goods' total, fen) beside `order_price` (what the buyer paid, freight included) and
    `freight`; each product has its `sale_price` (fen) and `sku_cnt`
    (developers.weixin.qq.com ... cooperation_shop/get_order.html, the same Order
    structure). product_price first, else the products' sale prices, else the order
    price less freight; 0 when none is given."""
    price = detail.get("price_info")
    info = price if isinstance(price, dict) else {}
    if _amount(info.get("product_price")) is not None:
        return _amount(info["product_price"]) or 0
    products = detail.get("product_infos")
    lines = [
        (_amount(p.get("sale_price")), _amount(p.get("sku_cnt")))
        for p in (products if isinstance(products, list) else [])
        if isinstance(p, dict)
    ]
    if lines and all(fen is not None and count is not None for fen, count in lines):
        return sum((fen or 0) * (count or 0) for fen, count in lines)
    paid = _amount(info.get("order_price"))
    if paid is not None:
        return max(0, paid - (_amount(info.get("freight")) or 0))
    return 0


def _amount(value: object) -> int | None:
    return value if type(value) is int and value >= 0 else None


def _moment(seconds: object) -> str | None:
    if type(seconds) is not int or seconds <= 0:
        return None
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _transaction_id(detail: dict[str, Any]) -> str:
    pay = detail.get("pay_info")
    value = pay.get("transaction_id") if isinstance(pay, dict) else None
    return value if isinstance(value, str) else ""


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


def _lines(detail: dict[str, Any]) -> list[ImportLine]:
    products = detail.get("product_infos")
    lines: dict[str, ImportLine] = {}
    for p in products if isinstance(products, list) else []:
        if not isinstance(p, dict) or type(p.get("sku_cnt")) is not int or p["sku_cnt"] <= 0:
            continue
        sku = str(p.get("sku_code") or p.get("sku_id") or p.get("product_id") or "?")
        known = lines.get(sku.upper())
        if known is not None:
            lines[sku.upper()] = known._replace(quantity=known.quantity + p["sku_cnt"])
            continue
        price = _amount(p.get("sale_price"))
        lines[sku.upper()] = ImportLine(sku, str(p.get("title") or sku), p["sku_cnt"], price)
    return list(lines.values())

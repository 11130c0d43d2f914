"""WeChat Shop (微信小店) target: `delivery/send` per order.

Like the mini-program API it has no idempotency key, and a re-send of a
shipped order fails with 101100, so an in-doubt record is first looked up with
`order/get`: shipped with our waybill is done, still to ship is sent, shipped
with only waybills we voided is corrected with `deliveryinfo/update`, anything
else needs a person.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from station.store.outbox import Record
from station.sync.miniprogram import SETTLE_SECONDS
from station.sync.outcome import UploadResult
from station.sync.target import Sending, not_noted
from station.sync.upstream_view import Upstream
from station.sync.wechat_api import WeChatApi, call, judge_failure
from station.sync.wechat_errors import Kind, classify, describe
from station.sync.wechat_lookup import OrderRead, look_up_order

SEND = "/channels/ec/order/delivery/send"
UPDATE = "/channels/ec/order/deliveryinfo/update"
GET = "/channels/ec/order/get"
TO_SHIP, PARTLY_SHIPPED, SHIPPED, COMPLETED = 20, 21, 30, 100
CANCELLED = (190, 200, 250)


def shipped_waybills(order: dict[str, Any]) -> set[str]:
    """Waybill numbers the shop holds for an order (from order/get)."""
    detail = order.get("order_detail")
    info = detail.get("delivery_info") if isinstance(detail, dict) else None
    parcels = info.get("delivery_product_info") if isinstance(info, dict) else None
    if not isinstance(parcels, list):
        return set()
    return {
        p["waybill_id"].strip().upper()
        for p in parcels
        if isinstance(p, dict) and isinstance(p.get("waybill_id"), str)
    }


def product_infos(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The `product_infos` of a delivery/send request: every product of the order."""
    detail = order.get("order_detail")
    products = detail.get("product_infos") if isinstance(detail, dict) else None
    if not isinstance(products, list):
        return []
    return [
        {
            "product_id": str(p["product_id"]),
            "sku_id": str(p["sku_id"]),
            "product_cnt": p["sku_cnt"],
        }
        for p in products
        if isinstance(p, dict)
        and {"product_id", "sku_id", "sku_cnt"} <= p.keys()
        and type(p["sku_cnt"]) is int
    ]


READ = OrderRead(GET, "order/get", shipped_waybills, "status", TO_SHIP)


class ShopTarget:
    def __init__(
        self,
        name: str,
        api: WeChatApi,
        clock: Callable[[], float] = time.time,
        settle_seconds: float = SETTLE_SECONDS,
    ):
        self.name = name
        self.batch = 1
        self.takes_voids = False
        self.settle_seconds = settle_seconds
        self.api = api
        self.clock = clock

    def deliver(
        self, records: list[Record], in_doubt: Mapping[int, str], sending: Sending = not_noted
    ) -> list[UploadResult]:
        return [self._one(r, r.id in in_doubt, sending) for r in records]

    def state(self) -> dict[str, str]:
        return {}

    def look_up(self, record: Record) -> Upstream:
        """What the shop holds for the record's order (`order/get`), sending nothing."""
        request = {"order_id": record.order_no}
        return look_up_order(self.name, self.api, READ, request, self.clock())

    def close(self) -> None:
        self.api.close()

    def _one(self, record: Record, doubt: bool, sending: Sending) -> UploadResult:
        waybill = str(record.payload.get("tracking_no", "")).strip().upper()
        if not waybill:
            return UploadResult.attention("the record has no tracking number")
        products = record.ref.get("product_infos")
        path, replacing = SEND, frozenset[str]()
        if doubt or record.voided_waybills or not isinstance(products, list) or not products:
            checked = self._check(record, waybill)
            if isinstance(checked, UploadResult):
                return checked
            products, replacing = checked
            path = UPDATE if replacing else SEND
        request = {
            "order_id": record.order_no,
            "delivery_list": [
                {
                    "delivery_id": str(record.payload.get("carrier", "")),
                    "waybill_id": waybill,
                    "deliver_type": 1,
                    "product_infos": products,
                }
            ],
        }
        sending(record.id, "")
        reply = call(self.api, path, request, True, self.clock())
        if reply.code == 0:
            if replacing:
                return UploadResult.done(f"sent, replacing voided {', '.join(sorted(replacing))}")
            return UploadResult.done("sent")
        if reply.code is not None and classify(reply.code) is Kind.SHOP_STATE:
            checked = self._check(record, waybill)
            if isinstance(checked, UploadResult):
                return checked
            return UploadResult.attention(describe(reply.code, reply.message))
        return judge_failure(reply, may_apply=True)

    def _check(
        self, record: Record, waybill: str
    ) -> UploadResult | tuple[list[dict[str, Any]], frozenset[str]]:
        """Settle the record from the shop's view, else the products to ship and the
        voided waybills the shop holds (the send then replaces them)."""
        reply = call(self.api, GET, {"order_id": record.order_no}, False, self.clock())
        order = reply.data.get("order")
        if reply.code != 0 or not isinstance(order, dict):
            return judge_failure(reply, may_apply=False)
        status = order.get("status")
        held = shipped_waybills(order)
        if waybill in held:
            return UploadResult.done("the shop already holds this waybill number")
        if status in CANCELLED:
            return UploadResult.attention(f"the order was cancelled in the shop (status {status})")
        replacing = frozenset(held & record.voided_waybills)
        if held and held == replacing and status == SHIPPED:
            products = product_infos(order)
            if not products:
                return UploadResult.attention("the shop did not list the order's products")
            return products, replacing
        if held:
            return UploadResult.attention(
                f"the shop already shows this order shipped with waybill "
                f"{', '.join(sorted(held))}, not {waybill}: if this parcel replaces it, "
                "correct the waybill in the WeChat Shop back office; otherwise void this "
                "shipment (F3) and stop the parcel"
            )
        if status in (SHIPPED, COMPLETED):
            return UploadResult.attention(
                f"the shop marked this order shipped (status {status}) without a waybill "
                f"number: someone shipped it in the WeChat Shop back office. Check that "
                f"the buyer is not sent two parcels, then add waybill {waybill} to the "
                "order there"
            )
        if type(status) is not int or status not in (TO_SHIP, PARTLY_SHIPPED):
            return UploadResult.attention(f"the shop shows the order in status {status!r}")
        products = product_infos(order)
        if not products:
            return UploadResult.attention("the shop did not list the order's products")
        return products, frozenset()

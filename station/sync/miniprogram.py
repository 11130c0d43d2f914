"""WeChat mini-program shipping upload (`upload_shipping_info`).

WeChat offers no idempotency key and allows one re-ship per order, so a resend
must never be blind: a record whose earlier attempt may have reached WeChat
(timeout, lost connection, crash while sending) is first looked up with
`get_order`, and only sent when WeChat still has it as to-ship. "Already
shipped" answers count as done only when WeChat holds our tracking number.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from station.store.outbox import Record
from station.sync.outcome import UploadResult
from station.sync.target import Sending, not_noted
from station.sync.upstream_view import Upstream
from station.sync.wechat_api import WeChatApi, call, judge_failure
from station.sync.wechat_errors import Kind, classify, describe
from station.sync.wechat_lookup import OrderRead, look_up_order

UPLOAD = "/wxa/sec/order/upload_shipping_info"
# How long after an in-doubt upload left before the order is looked up: eight times
# the default HTTP timeout (15 s). A request WeChat received and is still processing
# when we gave up lands within its own processing time, which its documentation puts
# at no figure; two minutes of delay on the rare record in doubt costs nothing.
SETTLE_SECONDS = 120.0
GET_ORDER = "/wxa/sec/order/get_order"
UPLOAD_TIME = "upload_time"  # the target's saved value: its last upload_time
CHINA = timezone(timedelta(hours=8))
ITEM_DESC_MAX = 120
_MASKED = re.compile(r"\d{3}\*{4}\d{4}|0\d{2,3}-\*{4}\d{4}")

TO_SHIP, SHIPPED, RECEIVED, COMPLETED, REFUNDED = 1, 2, 3, 4, 5


def rfc3339(moment: datetime) -> str:
    """'2026-11-21T13:29:35.120+08:00': China time, milliseconds."""
    return moment.astimezone(CHINA).isoformat(timespec="milliseconds")


def receiver_contact(masked: str) -> str | None:
    """The contact as the API demands it ('189****1234', '021-****1234'), or None."""
    found = _MASKED.match(masked.strip())
    return found.group(0) if found else None


def item_desc(items: Any) -> str:
    parts = []
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                parts.append(
                    f"{item.get('name') or item.get('sku') or '?'}*{item.get('quantity', 1)}"
                )
    text = " ".join(parts) or "商品"
    return text if len(text) <= ITEM_DESC_MAX else text[: ITEM_DESC_MAX - 1] + "…"


def held_tracking(order: dict[str, Any]) -> set[str]:
    """Tracking numbers WeChat holds for an order (from get_order)."""
    shipping = order.get("shipping")
    items = shipping.get("shipping_list") if isinstance(shipping, dict) else None
    if not isinstance(items, list):
        return set()
    return {
        i["tracking_no"].strip().upper()
        for i in items
        if isinstance(i, dict) and isinstance(i.get("tracking_no"), str)
    }


READ = OrderRead(GET_ORDER, "get_order", held_tracking, "order_state", TO_SHIP)


class MiniProgramTarget:
    def __init__(
        self,
        name: str,
        api: WeChatApi,
        order_key: str = "out_trade_no",
        mchid: str = "",
        last_upload_time: str = "",
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        clock: Callable[[], float] = time.time,
        settle_seconds: float = SETTLE_SECONDS,
    ):
        self.name = name
        self.batch = 1
        self.takes_voids = False
        self.settle_seconds = settle_seconds
        self.api = api
        self.order_key = order_key
        self.mchid = mchid
        self.wall = wall
        self.clock = clock
        self._last_upload = datetime.fromisoformat(last_upload_time) if last_upload_time else None

    def deliver(
        self, records: list[Record], in_doubt: Mapping[int, str], sending: Sending = not_noted
    ) -> list[UploadResult]:
        return [self._one(r, r.id in in_doubt, in_doubt.get(r.id, ""), sending) for r in records]

    def state(self) -> dict[str, str]:
        return {UPLOAD_TIME: rfc3339(self._last_upload)} if self._last_upload else {}

    def look_up(self, record: Record) -> Upstream:
        """What WeChat holds for the record's order (`get_order`), sending nothing."""
        return look_up_order(self.name, self.api, READ, self._lookup_key(record), self.clock())

    def close(self) -> None:
        self.api.close()

    # -- one record -------------------------------------------------------------

    def _one(self, record: Record, doubt: bool, earlier: str, sending: Sending) -> UploadResult:
        tracking = str(record.payload.get("tracking_no", "")).strip().upper()
        if not tracking:
            return UploadResult.attention("the record has no tracking number")
        openid = record.ref.get("openid")
        replacing: frozenset[str] = frozenset()
        if doubt or record.voided_waybills or not isinstance(openid, str) or not openid:
            checked = self._check(record, tracking)
            if isinstance(checked, UploadResult):
                return checked
            openid, replacing = checked
        return self._upload(record, tracking, openid, replacing, earlier, sending)

    def _check(self, record: Record, tracking: str) -> UploadResult | tuple[str, frozenset[str]]:
        """What WeChat holds: an outcome when that settles it, else the payer's openid
        and the voided waybills WeChat holds, which the upload replaces."""
        reply = call(self.api, GET_ORDER, self._lookup_key(record), False, self.clock())
        order = reply.data.get("order")
        if reply.code != 0 or not isinstance(order, dict):
            return judge_failure(reply, may_apply=False)
        settled = _compare(order, tracking, record.voided_waybills)
        if settled is not None:
            return settled
        openid = order.get("openid") or record.ref.get("openid")
        if not isinstance(openid, str) or not openid:
            return UploadResult.attention("WeChat did not name the payer (openid) of this order")
        return openid, frozenset(held_tracking(order) & record.voided_waybills)

    def _upload(
        self,
        record: Record,
        tracking: str,
        openid: str,
        replacing: frozenset[str] = frozenset(),
        earlier: str = "",
        sending: Sending = not_noted,
    ) -> UploadResult:
        """Upload the shipping info. A resend of an in-doubt upload carries that
        upload's `upload_time` (`earlier`): WeChat takes an update of an order only
        with an upload_time later than its previous one (上传时间...如果要更新物流信息,
        上传时间必须比之前的请求更新), so if the in-doubt request landed after all,
        the resend is refused instead of spending the single re-ship, and if the
        resend lands first the late one is refused."""
        carrier = str(record.payload.get("carrier", ""))
        item: dict[str, Any] = {
            "tracking_no": tracking,
            "express_company": carrier,
            "item_desc": item_desc(record.payload.get("items")),
        }
        contact = receiver_contact(str(record.payload.get("receiver_contact", "")))
        if contact:
            item["contact"] = {"receiver_contact": contact}
        elif carrier.upper() == "SF":
            return UploadResult.attention(
                "SF parcels need the receiver's phone, and this order has none"
            )
        upload_time = earlier or self._upload_time()
        request = {
            "order_key": self._order_key(record),
            "delivery_mode": 1,
            "logistics_type": 1,
            "shipping_list": [item],
            "upload_time": upload_time,
            "payer": {"openid": openid},
        }
        sending(record.id, upload_time)
        reply = call(self.api, UPLOAD, request, True, self.clock())
        if reply.code == 0:
            if replacing:
                return UploadResult.done(
                    f"uploaded, replacing voided {', '.join(sorted(replacing))}"
                )
            return UploadResult.done("uploaded")
        if earlier and reply.code is not None and classify(reply.code) is Kind.INVALID:
            # Refused, so it did not land: the in-doubt upload may have (or the time
            # itself was refused). Look again; still to ship, send with a new time.
            checked = self._check(record, tracking)
            if isinstance(checked, UploadResult):
                return checked
            return self._upload(record, tracking, checked[0], checked[1], "", sending)
        if reply.code is not None and classify(reply.code) is Kind.ALREADY:
            checked = self._check(record, tracking)
            if isinstance(checked, UploadResult):
                return checked
            if replacing:
                return UploadResult.attention(
                    f"{describe(reply.code, reply.message)}: WeChat kept the voided waybill; "
                    f"correct order {record.order_no} to {tracking} in the WeChat back office"
                )
            return UploadResult.attention(
                describe(reply.code, reply.message) + "; yet WeChat shows it still to ship"
            )
        return judge_failure(reply, may_apply=True)

    # -- request pieces -----------------------------------------------------------

    def _order_key(self, record: Record) -> dict[str, Any]:
        if self.order_key == "transaction_id":
            return {"order_number_type": 2, "transaction_id": self._transaction_id(record)}
        return {"order_number_type": 1, "mchid": self.mchid, "out_trade_no": record.order_no}

    def _lookup_key(self, record: Record) -> dict[str, Any]:
        if self.order_key == "transaction_id":
            return {"transaction_id": self._transaction_id(record)}
        return {"merchant_id": self.mchid, "merchant_trade_no": record.order_no}

    def _transaction_id(self, record: Record) -> str:
        value = record.ref.get("transaction_id")
        return value if isinstance(value, str) and value else record.order_no

    def _upload_time(self) -> str:
        """Now, but always later than the previous upload (clocks get corrected)."""
        now = self.wall()
        if self._last_upload is not None and now <= self._last_upload:
            now = self._last_upload + timedelta(milliseconds=1)
        self._last_upload = now
        return rfc3339(now)


def _compare(
    order: dict[str, Any], tracking: str, voided: frozenset[str] = frozenset()
) -> UploadResult | None:
    """Settle a record from WeChat's view of its order; None while it is to ship, or
    when WeChat holds only waybills we voided (the upload replaces them, spending the
    order's single re-ship)."""
    state = order.get("order_state")
    held = held_tracking(order)
    if type(state) is int and state == TO_SHIP and not held:
        return None
    if tracking in held:
        return UploadResult.done("WeChat already holds this tracking number")
    if held and held <= voided and state == SHIPPED:
        return None
    if state == REFUNDED:
        return UploadResult.attention("the order was refunded in WeChat before it was shipped")
    if held:
        return UploadResult.attention(
            f"WeChat holds another tracking number for this order ({', '.join(sorted(held))}); "
            "re-shipping it would use the single re-ship allowance"
        )
    return UploadResult.attention(
        f"WeChat shows the order in state {state!r} with no tracking number"
    )

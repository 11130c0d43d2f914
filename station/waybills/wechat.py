"""WeChat Shop e-waybills (微信小店电子面单), `/channels/ec/logistics/ewaybill/biz/...`.

Contract (developers.weixin.qq.com/doc/store/API/ewaybill/: precreate_order,
create_order, get_order, cancel_order, get_account, notify_print; and the channels
copies under /doc/channels/API/ewaybill/):
- order/precreate checks the request and returns a fresh `ewaybill_order_id`
  (uint64 sent as a string, unique across the platform): our idempotency key.
- order/create with that id takes the number: `waybill_id`, and `print_info` when a
  `template_id` is given. Creating again under the same id answers 10025019
  (电子面单已存在) without the number: recover with order/get (`order_info.waybill_id`).
  10025005 is a refusal whose reason is in `delivery_error_msg` (地址不可达, 余额不足...).
- The receiver is passed as the shop order gives it (masked) with its `ec_order_id`;
  WeChat fills the real data into the print data. Never decrypted here.
- account/get (`need_balance`) lists accounts with their `available` stock.
- order/print tells the platform a label printed (`re_print` 0 or 1).
- delivery/get (get_acctdeliverylist.html: `{"status": 3}`, 3 = 已绑定) lists the
  carriers opened for e-waybills: `list[{delivery_id, delivery_name}]` and `shop_id`.
- template/get (get_template.html: optional `delivery_id`) lists the shop's label
  templates: `total_template[{delivery_id, default_template_id, template_list[{
  template_id, template_name, template_desc, template_type, is_default, ...}]}]`;
  10025125 (模板列表为空) is an empty list, 10025102 a carrier not supported.

Multi-parcel (子母单), create_order.html and add_suborder.html (doc/store/API/ewaybill/):
- order/create takes `package_quantity` (the parcels); the answer's `waybill_id` is the
  mother and `waybill_id_list` lists the sub-waybills (SubWaybillIdInfo: the number and
  a `print_info` JSON string merged over the mother's print_info for that label).
- Carriers: the store documents list SF, DBKD, JD, SXJD, YDKY, ANEKY (the older
  doc/channels copy lists only SF, DBKD, JD: the store page is followed here). Others
  are refused before anything is asked.
- JD numbers every parcel 运单号-序号-总件数 and, per the platform's forum answer
  (community/develop/doc/0002ca1c3fc00020c0d28af426a400), answers the full list
  (the mother's own parcel first); the other carriers answer only the sub-waybills.
- The field naming the number inside SubWaybillIdInfo is not shown in the pages as
  stored here; the forum calls the list `sub_waybill_id_list`, so `sub_waybill_id` is
  read, with `waybill_id` as the fallback.
- order/get (get_order.html) is the lookup after a lost answer: order_info carries
  the same list, so a retry never asks for a second set.
- order/addsuborder (ewaybill_order_id as a number, waybill_id, delivery_id,
  add_package_quantity 1..300, shop_id, ewaybill_acct_id, optional template_id) adds
  parcels to a taken number; its answer holds the new sub-waybills only (JD: all,
  renumbered, so every JD label must be taken again and reprinted: the forum answers
  community/develop/doc/0008acf3148fc8ed91d2f45066bc00 and
  0002ca1c3fc00020c0d28af426a400). order/get gives the whole set afterwards. Only
  the whole ticket cancels (order/cancel); 10025024 并发冲突 is a retry later.
"""

from __future__ import annotations

from typing import Any

from station.sync.http import HttpClient, Unreachable
from station.sync.outcome import TargetProblem
from station.sync.wechat_api import Reply, WeChatApi
from station.sync.wechat_errors import TOKEN
from station.sync.wechat_token import TokenCache
from station.waybills.config import ProviderConfig
from station.waybills.model import (
    Address,
    AlreadyExists,
    Balance,
    Delivery,
    Refusal,
    Refused,
    Taken,
    Unavailable,
    WaybillRequest,
    WaybillTemplate,
)
from station.waybills.ratelimit import RateLimiter

BIZ = "/channels/ec/logistics/ewaybill/biz"
EXISTS = 10025019
NOT_FOUND = 10025010
REFUSED = 10025005
NO_TEMPLATES = 10025125
BOUND = 3  # delivery/get status: 已绑定
TRANSIENT = {-1, 45009, 45011}
BUSY_ADDING = 10025024  # addsuborder: 并发冲突,请稍后重试
MAX_ADDED = 300  # add_package_quantity: 1..300
FULL_LIST_CARRIER = "JD"  # answers every parcel, renumbered 运单号-序号-总件数
MULTI_PARCEL = frozenset({"SF", "DBKD", "JD", "SXJD", "YDKY", "ANEKY"})  # add_suborder.html


def refusal_of(message: str) -> Refusal:
    """The kind of a 取号失败 from its delivery_error_msg."""
    if any(word in message for word in ("不可达", "超区", "不派送", "无法派送")):
        return Refusal.UNREACHABLE
    if any(word in message for word in ("余额", "库存", "单号不足")):
        return Refusal.BALANCE
    if any(word in message for word in ("禁", "管控", "停发", "限制")):
        return Refusal.BLOCKED
    return Refusal.INVALID


def _address(a: Address) -> dict[str, str]:
    return {
        "name": a.name,
        "mobile": a.mobile,
        "province": a.province,
        "city": a.city,
        "county": a.county,
        "street": a.street,
        "address": a.address,
    }


def taken_of(answer: dict[str, Any], key: str, carrier: str) -> Taken:
    """The mother number, its sub-waybills and their print data from a create or
    addsuborder answer or an order/get order_info. JD's full list (the mother's own
    parcel first) and the others' list of sub-waybills alone both give the children."""
    waybill = str(answer.get("waybill_id") or "")
    listed = [
        (str(s.get("sub_waybill_id") or s.get("waybill_id") or ""), s.get("print_info"))
        for s in answer.get("waybill_id_list") or []
        if isinstance(s, dict)
    ]
    subs = [(number, info) for number, info in listed if number and number != waybill]
    print_data: dict[str, Any] = {}
    if carrier == FULL_LIST_CARRIER and subs:
        print_data["parcelNumber"] = subs[0][0]
        subs = subs[1:]
    if answer.get("print_info"):
        print_data["print_info"] = answer["print_info"]
    child_print = {number: info for number, info in subs if isinstance(info, str) and info}
    if child_print:
        print_data["childPrintInfo"] = child_print
    return Taken(
        waybill_no=waybill,
        provider_order_id=key,
        print_data=print_data,
        sub_waybills=tuple(number for number, _ in subs),
    )


class WeChatShopProvider:
    def __init__(self, config: ProviderConfig, secret: str, limiter: RateLimiter | None = None):
        self.name = config.name
        self.config = config
        self.carriers = config.carriers
        client = HttpClient(config.url, config.timeout_seconds)
        self.api = WeChatApi(client, TokenCache(client, config.appid, secret))
        self.limiter = limiter or RateLimiter(config.rate)

    def serves(self, request: WaybillRequest) -> bool:
        """Shop orders; several parcels only with the carriers WeChat issues 子母单 for."""
        return (
            bool(request.shop_order_id)
            and request.carrier in self.carriers
            and (request.parcels == 1 or request.carrier in MULTI_PARCEL)
        )

    def _call(self, endpoint: str, payload: dict[str, Any], may_apply: bool) -> Reply:
        self.limiter.wait()
        try:
            reply = self.api.call(f"{BIZ}/{endpoint}", payload)
        except Unreachable as exc:
            raise Unavailable(
                f"WeChat unreachable: {exc.reason}", may_apply and exc.in_doubt
            ) from exc
        except TargetProblem as exc:
            if exc.offline:
                raise Unavailable(exc.reason, in_doubt=False) from exc
            raise Refused(Refusal.CREDENTIALS, exc.reason) from exc
        if reply.code is None:
            raise Unavailable(f"no usable answer from WeChat (HTTP {reply.status})", may_apply)
        if reply.code in TOKEN:
            raise Refused(Refusal.CREDENTIALS, f"WeChat refused the access token: {reply.message}")
        if reply.code in TRANSIENT:
            raise Unavailable(f"WeChat is busy ({reply.code} {reply.message})", may_apply)
        return reply

    def _order(self, request: WaybillRequest) -> dict[str, Any]:
        account = self.config.accounts[request.carrier]
        payload: dict[str, Any] = {
            "delivery_id": request.carrier,
            "ewaybill_acct_id": account.get("acct_id", ""),
            "sender": _address(request.sender),
            "receiver": _address(request.receiver),
            "ec_order_list": [
                {
                    "ec_order_id": int(request.shop_order_id),
                    "goods_list": [
                        {
                            "good_name": g.name,
                            "good_count": g.count,
                            **({"product_id": int(g.product_id)} if g.product_id else {}),
                            **({"sku_id": int(g.sku_id)} if g.sku_id else {}),
                        }
                        for g in request.goods
                    ],
                }
            ],
            "shop_id": self.config.shop_id,
        }
        if account.get("site_code"):
            payload["site_code"] = account["site_code"]
        return payload

    def key(self, request: WaybillRequest) -> str:
        reply = self._call("order/precreate", self._order(request), may_apply=False)
        self._refuse_unless_ok(reply)
        key = str(reply.data.get("ewaybill_order_id", ""))
        if not key.isdigit():
            raise Unavailable("WeChat's precreate answer has no ewaybill_order_id", False)
        return key

    def take(self, request: WaybillRequest, key: str) -> Taken:
        payload = {"ewaybill_order_id": key, **self._order(request)}
        if self.config.template_id:
            payload["template_id"] = self.config.template_id
        if request.insured_fen and request.carrier != "SF":
            yuan = f"{request.insured_fen / 100:.2f}"
            payload["order_vas_list"] = [{"vas_type": "INSURE", "vas_value": yuan}]
        if request.parcels > 1:
            payload["package_quantity"] = request.parcels
        reply = self._call("order/create", payload, may_apply=True)
        if reply.code == EXISTS:
            raise AlreadyExists(f"WeChat holds e-waybill order {key} already")
        self._refuse_unless_ok(reply)
        waybill = str(reply.data.get("waybill_id") or "")
        if not waybill:
            raise Unavailable("WeChat's create answer has no waybill_id", in_doubt=True)
        taken = taken_of(reply.data, key, request.carrier)
        if len(taken.sub_waybills) + 1 < request.parcels:
            raise Unavailable(
                f"WeChat took {waybill} without its {request.parcels - 1} sub-waybills",
                in_doubt=True,
            )
        return taken

    def look_up(self, key: str, request: WaybillRequest) -> Taken | None:
        reply = self._call("order/get", {"ewaybill_order_id": key}, may_apply=False)
        if reply.code == NOT_FOUND:
            return None
        self._refuse_unless_ok(reply)
        info = reply.data.get("order_info") or {}
        if not info.get("waybill_id"):
            return None
        return taken_of(info, key, str(info.get("delivery_id") or request.carrier))

    def adds_parcels(self, carrier: str) -> bool:
        return carrier in MULTI_PARCEL and carrier in self.carriers

    def add_parcels(self, key: str, waybill_no: str, carrier: str, count: int) -> dict[str, str]:
        """order/addsuborder: `count` more sub-waybills on a taken number. The answer
        holds only the new ones (JD's: every parcel, renumbered), so the caller reads
        the whole set again with `look_up`; after a lost answer it looks up first and
        adds only what is still missing. `ewaybill_order_id` goes as a JSON number
        here (add_suborder.html: number; the forum's 47001 answer refuses a string)."""
        if carrier not in MULTI_PARCEL:
            raise Refused(
                Refusal.INVALID,
                f"WeChat issues no multi-parcel (子母单) e-waybills for {carrier} "
                f"(only {', '.join(sorted(MULTI_PARCEL))})",
            )
        if not 1 <= count <= MAX_ADDED:
            raise Refused(Refusal.INVALID, f"WeChat adds 1 to {MAX_ADDED} parcels at a time")
        account = self.config.accounts[carrier]
        payload: dict[str, Any] = {
            "ewaybill_order_id": int(key),
            "waybill_id": waybill_no,
            "delivery_id": carrier,
            "add_package_quantity": count,
            "shop_id": self.config.shop_id,
            "ewaybill_acct_id": account.get("acct_id", ""),
        }
        if self.config.template_id:
            payload["template_id"] = self.config.template_id
        reply = self._call("order/addsuborder", payload, may_apply=True)
        if reply.code == BUSY_ADDING:
            raise Unavailable(f"WeChat: {reply.message}", in_doubt=True)
        self._refuse_unless_ok(reply)
        return dict(taken_of(reply.data, key, carrier).print_data.get("childPrintInfo") or {})

    def cancel(self, key: str, waybill_no: str, carrier: str) -> None:
        payload = {"ewaybill_order_id": key, "delivery_id": carrier, "waybill_id": waybill_no}
        reply = self._call("order/cancel", payload, may_apply=True)
        if reply.code == NOT_FOUND:
            return
        self._refuse_unless_ok(reply)

    def notify_printed(self, key: str, waybill_no: str, carrier: str, reprint: bool) -> None:
        """order/print: tell WeChat a label printed (notify_print.html: ewaybill_order_id,
        delivery_id, waybill_id, re_print 0 first print / 1 reprint). For the print
        component backend; printing does not ship the order (delivery/send does)."""
        payload = {
            "ewaybill_order_id": key,
            "delivery_id": carrier,
            "waybill_id": waybill_no,
            "re_print": int(reprint),
        }
        self._refuse_unless_ok(self._call("order/print", payload, may_apply=False))

    def balances(self) -> list[Balance]:
        reply = self._call("account/get", {"need_balance": True}, may_apply=False)
        self._refuse_unless_ok(reply)
        found = []
        for account in reply.data.get("account_list") or []:
            carrier = str(account.get("delivery_id", ""))
            available = account.get("available")
            found.append(
                Balance(
                    self.name,
                    str(account.get("acct_id", "")),
                    carrier,
                    int(available) if isinstance(available, int | float) else None,
                )
            )
        return found

    def deliveries(self) -> list[Delivery]:
        """delivery/get: the carriers bound (opened) for e-waybills in the shop."""
        reply = self._call("delivery/get", {"status": BOUND}, may_apply=False)
        self._refuse_unless_ok(reply)
        return [
            Delivery(str(d.get("delivery_id", "")), str(d.get("delivery_name", "")))
            for d in reply.data.get("list") or []
            if d.get("delivery_id")
        ]

    def templates(self, carrier: str = "") -> list[WaybillTemplate]:
        """template/get: the shop's label templates, every carrier's (or `carrier`'s)."""
        reply = self._call(
            "template/get", {"delivery_id": carrier} if carrier else {}, may_apply=False
        )
        if reply.code == NO_TEMPLATES:
            return []
        self._refuse_unless_ok(reply)
        found = []
        for each in reply.data.get("total_template") or []:
            delivery = str(each.get("delivery_id", ""))
            default = str(each.get("default_template_id") or "")
            for t in each.get("template_list") or []:
                template_id = str(t.get("template_id", ""))
                found.append(
                    WaybillTemplate(
                        carrier=delivery,
                        template_id=template_id,
                        name=str(t.get("template_name", "")),
                        kind=str(t.get("template_type", "")),
                        default=t.get("is_default") is True or template_id == default,
                    )
                )
        return found

    def _refuse_unless_ok(self, reply: Reply) -> None:
        if reply.code == 0:
            return
        if reply.code == REFUSED:
            detail = str(reply.data.get("delivery_error_msg") or reply.message)
            raise Refused(refusal_of(detail), f"WeChat e-waybill refused: {detail}")
        raise Refused(Refusal.INVALID, f"WeChat e-waybill error {reply.code}: {reply.message}")

    def close(self) -> None:
        self.api.close()

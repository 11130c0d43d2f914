"""Local stand-ins for the e-waybill providers (no tests here), each from its documented
contract, with fault injection: WeChat Shop e-waybills, SF 丰桥 and KDNiao.

Each counts the numbers it issued (`issued`) and the cancels it carried out, so a
test can prove that no parcel got two numbers and no cancel went through twice.

Faults: `fault(endpoint, *items)` queues items used one per call of that endpoint
(WeChat: "precreate", "create", "get", "cancel", "account"; SF: the serviceCode;
KDNiao: the RequestType): an int errcode (WeChat), "http500", "drop" (act, then
close without an answer: the client sees a lost connection), "slow" (act, then
answer after `slow_seconds`: past the client's timeout).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

from test_sync_fakes import MemoryKeyring, drop, reply, serving


class EnvKeyring(MemoryKeyring):
    """For subprocesses: secrets from $STATION_TEST_SECRETS (JSON name -> value)."""

    def get_password(self, service: str, username: str) -> str | None:
        secrets = json.loads(os.environ.get("STATION_TEST_SECRETS", "{}"))
        return secrets.get(username.removeprefix("waybill/"))


def no_delay(handler: BaseHTTPRequestHandler) -> None:
    """Answer without Nagle's delay: the handler writes headers and body apart, and the
    client's delayed ACK would hold every answer 40 ms (a real server answers at once)."""
    handler.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _Faults:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults: dict[str, list[Any]] = defaultdict(list)
        self.slow_seconds = 0.0
        self.delay_seconds = 0.0  # every call waits this long before it is acted on
        self.issued: dict[str, str] = {}  # provider order id -> number
        self.numbers_issued = 0
        self.cancels: dict[str, int] = defaultdict(int)  # number -> cancels carried out
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.times: list[float] = []  # when each call arrived (time.monotonic)
        self.unreachable: set[str] = set()  # receiver counties the carrier does not reach

    def fault(self, name: str, *items: Any) -> None:
        self.faults[name].extend(items)

    def _next_fault(self, name: str) -> Any:
        return self.faults[name].pop(0) if self.faults[name] else None

    def _finish(self, handler: BaseHTTPRequestHandler, fault: Any, answer: Any) -> None:
        if fault == "drop":
            drop(handler)
            return
        if fault == "slow":
            time.sleep(self.slow_seconds)
        with contextlib.suppress(OSError):  # the client gave up waiting
            reply(handler, 200, answer)


# -- WeChat Shop e-waybills ----------------------------------------------------------


MULTI_PARCEL_DELIVERIES = {"SF", "DBKD", "JD", "SXJD", "YDKY", "ANEKY"}  # add_suborder.html
KNOWN_DELIVERIES = {"ZTO", "YTO", "YUNDA", "JTSD", "STO", "SF", "JD", "EMS", "CNSD", "DBKD"}


def template(template_id: str, name: str, default: bool = False) -> dict[str, Any]:
    """A template/get template_list entry, shaped as the documents' example."""
    return {
        "is_default": default,
        "template_desc": "一联单标准模板",
        "template_id": template_id,
        "template_name": name,
        "template_type": "single",
        "update_time": 1690426204,
        "create_time": 1690426204,
        "options": [
            {"option_id": i, "font_size": 0, "is_bold": False, "is_open": i in (1, 4, 5, 6, 7)}
            for i in range(8)
        ],
    }


class FakeWeChatEwaybill(_Faults):
    """/channels/ec/logistics/ewaybill/biz/... as developers.weixin.qq.com documents it
    (doc/store/API/ewaybill/precreate_order, create_order, get_order, cancel_order,
    get_account, notify_print): precreate answers a fresh uint64 `ewaybill_order_id`;
    create under an id already used answers 10025019 "电子面单已存在" without the
    number; 10025005 with `delivery_error_msg` for a refusal; order/get 10025010 for
    an unknown id; tokens from /cgi-bin/stable_token (40001 for a stale one).
    `balance` is each account's `available` stock, spent by each number issued.

    delivery/get (doc/channels/API/ewaybill/get_acctdeliverylist.html): `status`
    filters (3 = 已绑定), answers `shop_id` and `list[{delivery_id, delivery_name}]`
    from `deliveries` (carrier -> (name, status)). template/get
    (doc/channels/API/ewaybill/get_template.html): optional `delivery_id`, answers
    `total_template[{delivery_id, default_template_id, template_list}]` from
    `templates`; 10025102 for a carrier WeChat does not support, 10025125 when
    there are none.

    Multi-parcel (子母单): order/create's `package_quantity` (1..300) issues a mother and
    children (https://developers.weixin.qq.com/doc/store/API/ewaybill/create_order.html),
    answered in `waybill_id_list` as SubWaybillIdInfo {sub_waybill_id, print_info (a JSON
    string merged over the mother's, forum 000408baf20158cc159229d0c6b800)}; order/get
    gives the same list. order/addsuborder
    (https://developers.weixin.qq.com/doc/store/API/ewaybill/add_suborder.html) adds
    children to a taken number; its answer lists the new ones only, except JD's, which
    lists every parcel renumbered 运单号-序号-总件数 (forum answer
    0002ca1c3fc00020c0d28af426a400). Carriers: SF, DBKD, JD, SXJD, YDKY, ANEKY, as the
    store page lists them (the older doc/channels copy names only SF, DBKD and JD; the
    docs are followed). Where the forum and the docs disagree on `ewaybill_order_id`'s
    type in addsuborder (the forum quotes 10025020 for a number and 47001 for a
    string), the docs' number is followed; the platform's own forum answer says the
    10025020 came from an id that did not exist, which is what the fake answers for it.
    The number field's name inside SubWaybillIdInfo is not shown by the pages as stored
    here: `sub_waybill_id` follows the forum's `sub_waybill_id_list`."""

    def __init__(self, appid: str = "wxshop", secret: str = "s3cret"):
        super().__init__()
        self.appid, self.secret = appid, secret
        self.token: str | None = None
        self.tokens = 0
        self.next_id = 7000000000000000000
        self.precreated: set[str] = set()
        self.orders: dict[str, dict[str, Any]] = {}
        self.balance: dict[str, int] = defaultdict(lambda: 1_000_000)
        self.hidden_gets = 0  # order/get answers 10025010 this many times for a fresh id
        self.printed: list[dict[str, Any]] = []  # order/print notices accepted
        self.added: list[dict[str, Any]] = []  # order/addsuborder requests carried out
        self.shop_id = "5009820302542"
        self.deliveries: dict[str, tuple[str, int]] = {
            "ZTO": ("中通快递", 3),
            "YTO": ("圆通速递", 3),
            "SF": ("顺丰速运", 1),  # 绑定审核中
        }
        self.templates: dict[str, list[dict[str, Any]]] = {
            "ZTO": [template("single", "中通一联单", default=True)],
            "YTO": [template("6600000001", "圆通一联单", default=True)],
        }

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        no_delay(handler)
        time.sleep(self.delay_seconds)
        parts = urlsplit(handler.path)
        request = json.loads(handler.body or b"{}")
        path = parts.path
        if path == "/cgi-bin/stable_token":
            with self.lock:
                if request.get("secret") != self.secret:
                    reply(handler, 200, {"errcode": 40125, "errmsg": "invalid appsecret"})
                    return
                if self.token is None or request.get("force_refresh"):
                    self.tokens += 1
                    self.token = f"TOKEN{self.tokens}"
                reply(handler, 200, {"access_token": self.token, "expires_in": 7200})
            return
        name = path.rsplit("/", 1)[-1]
        for kind in ("account", "delivery", "template"):
            if path.endswith(f"/{kind}/get"):
                name = kind
        with self.lock:
            self.calls.append((name, request))
            self.times.append(time.monotonic())
            fault = self._next_fault(name)
            if fault == "http500":
                reply(handler, 500, {"message": "internal"})
                return
            if isinstance(fault, int):
                if fault in (40001, 42001):
                    self.token = None
                reply(handler, 200, {"errcode": fault, "errmsg": f"injected {fault} rid: 1"})
                return
            token = parse_qs(parts.query).get("access_token", [""])[0]
            if not token or token != self.token:
                reply(handler, 200, {"errcode": 40001, "errmsg": "invalid credential rid: 2"})
                return
            answer = getattr(self, "_" + name.replace("/", "_"))(request)
        self._finish(handler, fault, answer)

    def _precreate(self, request: dict[str, Any]) -> dict[str, Any]:
        missing = [
            k
            for k in ("delivery_id", "ewaybill_acct_id", "sender", "receiver", "ec_order_list")
            if not request.get(k)
        ]
        if missing or not request.get("shop_id"):
            return {"errcode": 47001, "errmsg": f"data format error {missing}"}
        self.next_id += 1
        key = str(self.next_id)
        self.precreated.add(key)
        return {"errcode": 0, "errmsg": "ok", "ewaybill_order_id": key}

    def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        key = request.get("ewaybill_order_id")
        if not isinstance(key, str) or not key.isdigit():
            return {"errcode": 10025020, "errmsg": "EWaybill Order ID 的数据内容是Uint64"}
        if key in self.orders:
            return {
                "errcode": 10025019,
                "errmsg": "电子面单已存在 rid: 3",
                "waybill_id_list": [],
                "order_risk_info": [],
            }
        receiver = request.get("receiver") or {}
        if receiver.get("county") in self.unreachable:
            return {
                "errcode": 10025005,
                "errmsg": "电子面单取号失败,请参考delivery_error_msg字段后重试 rid: 4",
                "delivery_error_msg": "收件地址不可达",
            }
        account = request.get("ewaybill_acct_id", "")
        if self.balance[account] <= 0:
            return {
                "errcode": 10025005,
                "errmsg": "电子面单取号失败,请参考delivery_error_msg字段后重试 rid: 5",
                "delivery_error_msg": "电子面单余额不足",
            }
        parcels = request.get("package_quantity", 1)
        carrier = request["delivery_id"]
        if not isinstance(parcels, int) or not 1 <= parcels <= 300:
            return {"errcode": 47001, "errmsg": "data format error package_quantity rid: 12"}
        if parcels > 1 and carrier not in MULTI_PARCEL_DELIVERIES:
            return {
                "errcode": 10025005,
                "errmsg": "电子面单取号失败,请参考delivery_error_msg字段后重试 rid: 13",
                "delivery_error_msg": "该快递公司不支持子母单",
            }
        self.balance[account] -= parcels
        first = self.numbers_issued + 1
        self.numbers_issued += parcels
        number = self._number(carrier, first)
        subs = [self._number(carrier, n) for n in range(first + 1, first + parcels)]
        self.issued[key] = number
        self.orders[key] = {
            "request": request,
            "waybill_id": number,
            "subs": subs,
            "status": 1,
            "gets": 0,
        }
        answer = {"errcode": 0, "errmsg": "ok", "ewaybill_order_id": key, "waybill_id": number}
        if request.get("template_id"):
            answer["print_info"] = base64.b64encode(f"PRINT:{number}".encode()).decode()
        answer["waybill_id_list"] = self._sub_list(
            self.orders[key], bool(request.get("template_id"))
        )
        return answer

    @staticmethod
    def _number(carrier: str, n: int) -> str:
        """The n-th number issued; JD's as add_suborder.html's JDAWX021335191911."""
        prefix = {"YTO": "YT75", "SF": "SF75", "JD": "JDAWX"}.get(carrier, "75")
        return f"{prefix}{n:012d}"

    def _addsuborder(self, request: dict[str, Any]) -> dict[str, Any]:
        """order/addsuborder (add_suborder.html): `ewaybill_order_id` a JSON number (a
        string is refused 47001, as the forum shows; an unknown id 10025020, as the
        platform's forum answer explains it), `add_package_quantity` 1..300. Answers
        the new sub-waybills only, JD every parcel renumbered. A carrier without 子母单:
        10025102 (快递公司不支持, the code template/get documents for it)."""
        key = request.get("ewaybill_order_id")
        if isinstance(key, str):
            return {
                "errcode": 47001,
                "errmsg": f'data format error, field "ewaybill_order_id" does\'t expect a '
                f'string value "{key}" rid: 14',
            }
        order = self.orders.get(str(key))
        if order is None:
            return {
                "errcode": 10025020,
                "errmsg": "EWaybill Order ID 的数据内容是Uint64,用字符串传递参数,请确认是否正确 "
                "rid: 15",
                "waybill_id_list": [],
            }
        count = request.get("add_package_quantity")
        missing = [k for k in ("delivery_id", "shop_id", "ewaybill_acct_id") if not request.get(k)]
        if not isinstance(count, int) or not 1 <= count <= 300 or missing:
            return {"errcode": 47001, "errmsg": f"data format error {missing} rid: 16"}
        carrier = order["request"]["delivery_id"]
        if request["delivery_id"] != carrier or request.get("waybill_id") != order["waybill_id"]:
            return {"errcode": 10025010, "errmsg": "电子面单不存在 rid: 17"}
        if carrier not in MULTI_PARCEL_DELIVERIES:
            return {"errcode": 10025102, "errmsg": "快递公司不支持 rid: 18"}
        first = self.numbers_issued + 1
        self.numbers_issued += count
        self.balance[request["ewaybill_acct_id"]] -= count
        new = [self._number(carrier, n) for n in range(first, first + count)]
        order["subs"].extend(new)
        self.added.append(request)
        listed = self._sub_list(order, bool(request.get("template_id")))
        if carrier != "JD":
            listed = [s for s in listed if s["sub_waybill_id"] in new]
        return {
            "errcode": 0,
            "errmsg": "ok",
            "ewaybill_order_id": str(key),
            "waybill_id": order["waybill_id"],
            "waybill_id_list": listed,
        }

    def _sub_list(self, order: dict[str, Any], printing: bool) -> list[dict[str, Any]]:
        """SubWaybillIdInfo of an order: JD's every parcel renumbered 运单号-序号-总件数
        (the mother's own parcel first), the others' sub-waybills alone."""
        count = len(order["subs"]) + 1  # JD: only the count is used
        if count == 1:
            return []
        if order["request"]["delivery_id"] == "JD":
            numbers = [f"{order['waybill_id']}-{n}-{count}" for n in range(1, count + 1)]
        else:
            numbers = list(order["subs"])
        return [
            {
                "sub_waybill_id": n,
                **({"print_info": json.dumps({"waybill_id": n})} if printing else {}),
            }
            for n in numbers
        ]

    def _get(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(request.get("ewaybill_order_id", ""))
        if order is not None and order["gets"] < self.hidden_gets:
            order["gets"] += 1
            order = None
        if order is None:
            return {"errcode": 10025010, "errmsg": "电子面单订单不存在,请确认面单ID rid: 6"}
        info = {
            "ewaybill_order_id": request["ewaybill_order_id"],
            "delivery_id": order["request"]["delivery_id"],
            "waybill_id": order["waybill_id"],
            "status": order["status"],
            "waybill_id_list": self._sub_list(order, False),
        }
        return {"errcode": 0, "errmsg": "ok", "order_info": info}

    def _cancel(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(request.get("ewaybill_order_id", ""))
        if order is None or order["waybill_id"] != request.get("waybill_id"):
            return {"errcode": 10025010, "errmsg": "电子面单不存在 rid: 7"}
        if order["status"] != 2:
            order["status"] = 2
            self.cancels[order["waybill_id"]] += 1
        return {"errcode": 0, "errmsg": "ok"}

    def _print(self, request: dict[str, Any]) -> dict[str, Any]:
        """order/print (notify_print): ewaybill_order_id, delivery_id, waybill_id and
        re_print (0 or 1) of a number this shop took; answers errcode 0."""
        order = self.orders.get(request.get("ewaybill_order_id", ""))
        if order is None or order["waybill_id"] != request.get("waybill_id"):
            return {"errcode": 10025010, "errmsg": "电子面单不存在 rid: 8"}
        if request.get("re_print") not in (0, 1) or not request.get("delivery_id"):
            return {"errcode": 47001, "errmsg": "data format error rid: 9"}
        self.printed.append(request)
        return {"errcode": 0, "errmsg": "ok"}

    def _delivery(self, request: dict[str, Any]) -> dict[str, Any]:
        status = request.get("status")
        listed = [
            {"delivery_id": carrier, "delivery_name": name}
            for carrier, (name, state) in self.deliveries.items()
            if status is None or state == status
        ]
        return {"errcode": 0, "errmsg": "ok", "shop_id": self.shop_id, "list": listed}

    def _template(self, request: dict[str, Any]) -> dict[str, Any]:
        carrier = request.get("delivery_id")
        if carrier and carrier not in KNOWN_DELIVERIES:
            return {"errcode": 10025102, "errmsg": "快递公司不支持 rid: 10"}
        chosen = {c: t for c, t in self.templates.items() if t and carrier in (None, c)}
        if not chosen:
            return {"errcode": 10025125, "errmsg": "模板列表为空 rid: 11"}
        total = [
            {
                "delivery_id": c,
                "default_template_id": next(
                    (t["template_id"] for t in listed if t["is_default"]), ""
                ),
                "template_list": listed,
            }
            for c, listed in chosen.items()
        ]
        return {"errcode": 0, "errmsg": "ok", "total_template": total}

    def _account(self, request: dict[str, Any]) -> dict[str, Any]:
        accounts = [
            {"delivery_id": carrier, "acct_id": acct, "available": self.balance[acct]}
            for carrier, acct in (("ZTO", "6635671203"), ("YTO", "6620496317"))
        ]
        return {"errcode": 0, "errmsg": "ok", "account_list": accounts, "total_num": 2}


# -- SF 丰桥 -------------------------------------------------------------------------


def java_urlencode_reference(text: str) -> str:
    """Java's URLEncoder as SF's Java sample uses it, written apart from the client."""
    return quote_plus(text, safe="*").replace("~", "%7E")


class FakeSf(_Faults):
    """SF's /std/service (open.sf-express.com, 数字签名认证说明 and EXP_RECE_CREATE_ORDER,
    EXP_RECE_SEARCH_ORDER_RESP, EXP_RECE_UPDATE_ORDER): a form POST whose msgDigest must
    verify (A1006 otherwise); apiResultData is a JSON string; a second order under the
    same orderId is refused with 8016 (重复下单); parcelQty N gives a mother number and
    N-1 children; routeLabelInfo carries destRouteLabel and codingMapping."""

    def __init__(self, partner: str = "QIAO", check_word: str = "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci"):
        super().__init__()
        self.partner, self.check_word = partner, check_word
        self.orders: dict[str, dict[str, Any]] = {}
        self.bad_signatures = 0

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        no_delay(handler)
        time.sleep(self.delay_seconds)
        form = {k: v[0] for k, v in parse_qs(handler.body.decode()).items()}
        service = form.get("serviceCode", "")
        with self.lock:
            self.calls.append((service, form))
            self.times.append(time.monotonic())
            fault = self._next_fault(service)
            if fault == "http500":
                reply(handler, 500, {"message": "internal"})
                return
            text = form.get("msgData", "") + form.get("timestamp", "") + self.check_word
            digest = base64.b64encode(
                hashlib.md5(java_urlencode_reference(text).encode()).digest()
            ).decode()
            if form.get("partnerID") != self.partner or form.get("msgDigest") != digest:
                self.bad_signatures += 1
                answer = {
                    "apiResultCode": "A1006",
                    "apiErrorMsg": "数字签名无效",
                    "apiResultData": None,
                }
            else:
                result = getattr(self, "_" + service.lower())(json.loads(form["msgData"]))
                answer = {
                    "apiResultCode": "A1000",
                    "apiErrorMsg": "",
                    "apiResponseID": "0001",
                    "apiResultData": json.dumps(result, ensure_ascii=False),
                }
        self._finish(handler, fault, answer)

    @staticmethod
    def _error(code: str, message: str) -> dict[str, Any]:
        return {"success": False, "errorCode": code, "errorMsg": message, "msgData": None}

    def _msg(self, order_id: str) -> dict[str, Any]:
        order = self.orders[order_id]
        numbers = [{"waybillType": 1, "waybillNo": order["numbers"][0]}] + [
            {"waybillType": 2, "waybillNo": n} for n in order["numbers"][1:]
        ]
        labels = [
            {
                "code": "1000",
                "message": "SF000",
                "routeLabelData": {
                    "waybillNo": n,
                    "destRouteLabel": "755WE-571A3",
                    "twoDimensionCode": f"MMM={{'k1':'755WE','k5':'{n}'}}",
                    "proCode": "T4",
                    "codingMapping": "F33",
                    "codingMappingOut": "1A",
                },
            }
            for n in order["numbers"]
        ]
        return {"orderId": order_id, "waybillNoInfoList": numbers, "routeLabelInfo": labels}

    def _exp_rece_create_order(self, msg: dict[str, Any]) -> dict[str, Any]:
        order_id = msg.get("orderId", "")
        if order_id in self.orders:
            return self._error("8016", "重复下单")
        receiver = next(c for c in msg["contactInfoList"] if c["contactType"] == 2)
        if receiver.get("county") in self.unreachable:
            return self._error("8114", "收件地址超范围,不可达")
        numbers = []
        for _ in range(int(msg.get("parcelQty", 1))):
            self.numbers_issued += 1
            numbers.append(f"SF{1000000000000 + self.numbers_issued}")
        self.orders[order_id] = {"msg": msg, "numbers": numbers, "cancelled": False}
        self.issued[order_id] = numbers[0]
        return {
            "success": True,
            "errorCode": "S0000",
            "errorMsg": None,
            "msgData": self._msg(order_id),
        }

    def _exp_rece_search_order_resp(self, msg: dict[str, Any]) -> dict[str, Any]:
        if msg.get("orderId") not in self.orders:
            return self._error("8018", "订单不存在")
        return {
            "success": True,
            "errorCode": "S0000",
            "errorMsg": None,
            "msgData": self._msg(msg["orderId"]),
        }

    def _exp_rece_update_order(self, msg: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(msg.get("orderId", ""))
        if order is None:
            return self._error("8018", "订单不存在")
        if order["cancelled"]:
            return self._error("8037", "订单已消单")
        order["cancelled"] = True
        self.cancels[order["numbers"][0]] += 1
        return {
            "success": True,
            "errorCode": "S0000",
            "errorMsg": None,
            "msgData": {"orderId": msg["orderId"]},
        }


# -- KDNiao --------------------------------------------------------------------------


class FakeKdniao(_Faults):
    """KDNiao's /api/EOrderService (电子面单, RequestType 1007 / 1147): DataSign must be
    base64(md5hex(RequestData + AppKey)) as KDNiao's demo computes it; a second 1007
    under an OrderCode answers 106 with the number already taken.

    1127 (单号余量查询接口, KDNiao's e-waybill API docs, apifox docs-site 2538027 api
    72895688) answers EorderBalance {AvailableNum, TotalNum} for a CustomerName from
    `stock` (each number issued spends one; none left: 1007 refused 余额不足); an
    account in `no_stock_query` is refused, as a monthly account is."""

    def __init__(self, business_id: str = "1237100", app_key: str = "kdn-app-key"):
        super().__init__()
        self.picked_up: set[str] = set()  # numbers the courier took: cancel refused
        self.refused_cancels = 0
        self.business_id, self.app_key = business_id, app_key
        self.orders: dict[str, dict[str, Any]] = {}
        self.stock: dict[str, int] = defaultdict(lambda: 1_000_000)  # CustomerName -> left
        self.no_stock_query: set[str] = set()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        no_delay(handler)
        time.sleep(self.delay_seconds)
        form = {k: v[0] for k, v in parse_qs(handler.body.decode()).items()}
        kind = form.get("RequestType", "")
        with self.lock:
            self.calls.append((kind, form))
            self.times.append(time.monotonic())
            fault = self._next_fault(kind)
            if fault == "http500":
                reply(handler, 500, {"message": "internal"})
                return
            data = form.get("RequestData", "")
            sign = base64.b64encode(
                hashlib.md5((data + self.app_key).encode()).hexdigest().encode()
            ).decode()
            if form.get("EBusinessID") != self.business_id or form.get("DataSign") != sign:
                answer = {"Success": False, "ResultCode": "101", "Reason": "DataSign 签名错误"}
            elif kind == "1007":
                answer = self._create(json.loads(data))
            elif kind == "1127":
                answer = self._balance(json.loads(data))
            else:
                answer = self._cancel(json.loads(data))
        self._finish(handler, fault, answer)

    def _create(self, data: dict[str, Any]) -> dict[str, Any]:
        code = data.get("OrderCode", "")
        if code in self.orders:
            order = self.orders[code]
            return {
                "EBusinessID": self.business_id,
                "Order": order["order"],
                "Success": True,
                "ResultCode": "106",
                "Reason": "该订单号已下单成功",
            }
        if data["Receiver"].get("ExpAreaName") in self.unreachable:
            return {
                "EBusinessID": self.business_id,
                "Success": False,
                "ResultCode": "105",
                "Reason": "收件地址不可达,超区",
            }
        customer = data.get("CustomerName", "")
        if self.stock[customer] <= 0:
            return {
                "EBusinessID": self.business_id,
                "Success": False,
                "ResultCode": "105",
                "Reason": "电子面单余额不足",
            }
        self.stock[customer] -= 1
        self.numbers_issued += 1
        number = f"43{self.numbers_issued:013d}"
        order = {
            "OrderCode": code,
            "ShipperCode": data["ShipperCode"],
            "LogisticCode": number,
            "MarkDestination": "浙江 杭州 西湖",
            "SortingCode": "300-L12 05",
            "PackageName": "杭州中转包",
            "PackageCode": "571001",
        }
        self.orders[code] = {"order": order, "cancelled": False}
        self.issued[code] = number
        answer = {
            "EBusinessID": self.business_id,
            "Order": order,
            "Success": True,
            "ResultCode": "100",
            "Reason": "成功",
            "UniquerRequestNumber": "5e36e0ae",
        }
        if data.get("IsReturnPrintTemplate") == 1:
            answer["PrintTemplate"] = f"<html>{data['Receiver']['Name']} {number}</html>"
        return answer

    def _balance(self, data: dict[str, Any]) -> dict[str, Any]:
        customer = data.get("CustomerName", "")
        if not data.get("ShipperCode") or customer in self.no_stock_query:
            return {
                "EBusinessID": self.business_id,
                "Success": False,
                "ResultCode": "105",
                "Reason": "该账号不支持单号余量查询",
            }
        left = self.stock[customer]
        return {
            "EBusinessID": self.business_id,
            "Success": True,
            "Reason": "",
            "ResultCode": "100",
            "EorderBalance": {"AvailableNum": left, "TotalNum": left},
        }

    def _cancel(self, data: dict[str, Any]) -> dict[str, Any]:
        order = self.orders.get(data.get("OrderCode", ""))
        if order is None or order["order"]["LogisticCode"] != data.get("ExpNo"):
            return {"Success": False, "ResultCode": "105", "Reason": "单号不存在"}
        if order["cancelled"]:
            return {"Success": False, "ResultCode": "105", "Reason": "单号已取消"}
        if order["order"]["LogisticCode"] in self.picked_up:
            self.refused_cancels += 1
            return {"Success": False, "ResultCode": "105", "Reason": "快件已揽收,不能取消"}
        order["cancelled"] = True
        self.cancels[order["order"]["LogisticCode"]] += 1
        return {
            "EBusinessID": self.business_id,
            "Success": True,
            "ResultCode": "100",
            "Reason": "成功",
        }


@contextmanager
def all_servers() -> Iterator[tuple[FakeWeChatEwaybill, FakeSf, FakeKdniao, dict[str, str]]]:
    """The three fakes, each on its own local port; yields them and their base URLs."""
    wechat, sf, kdn = FakeWeChatEwaybill(), FakeSf(), FakeKdniao()
    with serving(wechat) as w, serving(sf) as s, serving(kdn) as k:
        yield wechat, sf, kdn, {"wechat": w, "sf": s, "kdn": k}


def waybills_toml(urls: dict[str, str], timeout: float = 2.0, rate: float = 60000.0) -> str:
    """waybills.toml for the three fakes: WeChat Shop for shop orders (ZTO, YTO), SF,
    and KDNiao for the 通达系."""
    return (
        f'[[providers]]\nname = "shop"\nkind = "wechat-shop"\nappid = "wxshop"\n'
        f'shop_id = "5009820302542"\ntemplate_id = "single"\nbase_url = "{urls["wechat"]}"\n'
        f"timeout_seconds = {timeout}\nrate_per_minute = {rate}\n"
        f'[providers.accounts.ZTO]\nacct_id = "6635671203"\nsite_code = "029055"\n'
        f'[providers.accounts.YTO]\nacct_id = "6620496317"\n'
        f'[[providers]]\nname = "sf"\nkind = "sf"\npartner_id = "QIAO"\n'
        f'monthly_card = "7551234567"\nbase_url = "{urls["sf"]}"\n'
        f"timeout_seconds = {timeout}\nrate_per_minute = {rate}\n[providers.accounts.SF]\n"
        f'[[providers]]\nname = "kdn"\nkind = "kdniao"\nebusiness_id = "1237100"\n'
        f'base_url = "{urls["kdn"]}"\ntimeout_seconds = {timeout}\nrate_per_minute = {rate}\n'
        f'[providers.accounts.ZTO]\ncustomer_name = "zto-acct"\n'
        f'[providers.accounts.YTO]\ncustomer_name = "yto-acct"\n'
        f'[providers.accounts.YD]\ncustomer_name = "yd-acct"\n'
    )


SECRETS = {"shop": "s3cret", "sf": "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci", "kdn": "kdn-app-key"}

"""Local stand-ins for the sync tests (no tests here): a keyring in memory, a WeChat
server speaking the documented contract with fault injection, a webhook receiver
that checks signatures and idempotency, and helpers to fill the upload queue."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import sqlite_utils
from keyring.backend import KeyringBackend

from station.store.db import now_utc, transaction

# -- keyring -----------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


class EnvKeyring(MemoryKeyring):
    """For uploader subprocesses: secrets from $STATION_TEST_SECRETS (JSON name -> value)."""

    def get_password(self, service: str, username: str) -> str | None:
        secrets = json.loads(os.environ.get("STATION_TEST_SECRETS", "{}"))
        return secrets.get(username.removeprefix("sync/"))


# -- queue helpers -----------------------------------------------------------------


def add_records(
    db: sqlite_utils.Database,
    count: int,
    start: int = 1,
    carrier: str = "ZTO",
    source: str = "miniprogram",
    phone_masked: str = "138****5678",
) -> list[str]:
    """Queue `count` shipment records as record_shipment would; returns order numbers."""
    stamp = now_utc()
    rows = []
    for n in range(start, start + count):
        order_no = f"WX{n:08d}"
        payload = {
            "shipment_id": None,
            "order_no": order_no,
            "source": source,
            "carrier": carrier,
            "tracking_no": f"{'SF' if carrier == 'SF' else ''}75{n:010d}",
            "weight_g": 500,
            "shipped_at": stamp,
            "station": "bench-1",
            "packer": "packer",
            "receiver_contact": phone_masked,
            "items": [{"sku": "CUP-350", "name": "保温杯", "quantity": 1}],
        }
        rows.append(
            (
                order_no,
                f"ship:{order_no}:{payload['tracking_no']}",
                json.dumps(payload, ensure_ascii=False),
                stamp,
            )
        )
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO outbox (event, order_no, idempotency_key, payload, created_at) "
            "VALUES ('shipment.recorded', ?, ?, ?, ?)",
            rows,
        )
    return [r[0] for r in rows]


def tracking_of(order_no: str, carrier: str = "ZTO") -> str:
    return f"{'SF' if carrier == 'SF' else ''}75{int(order_no[2:]):010d}"


# -- servers -----------------------------------------------------------------------


@contextmanager
def serving(handler_state: Any) -> Iterator[str]:
    """Run `handler_state.handle(handler)` for every POST on 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self.body = self.rfile.read(length)
            handler_state.handle(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, document: Any, **headers: str) -> None:
    body = json.dumps(document, ensure_ascii=False).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def drop(handler: BaseHTTPRequestHandler) -> None:
    """Close the connection without an answer (the request was acted on)."""
    handler.close_connection = True


class FakeWeChat:
    """WeChat's shipping APIs as upstream-apis.md documents them.

    Faults: `fault(name, *items)` queues per endpoint name (last path segment)
    items used one per call: an int errcode, "http500", "drop" (act, then close
    without answering), "slow" (act, then answer after `slow_seconds`).

    A request still in flight: an upload for an order in `late_orders` is received
    and held (its order leaves the set), and acted on `late_seconds` later, or right
    after the next get_order of that order has been answered, whichever is first: a
    client that timed out or was killed meanwhile sees nothing of it in its look-up,
    and the request lands just after, before any resend can arrive (the worst case of
    an upstream still processing a request; WeChat's documentation promises no bound
    on its processing time).

    Ordering of uploads, per order, as WeChat documents it: "upload_time ... 用于标识
    请求的先后顺序,如果要更新物流信息,上传时间必须比之前的请求更新" (upload_time marks
    the order of requests; an update must carry a later one than the previous
    request; developers.weixin.qq.com, shopping-orders/uploadShippingInfo.html and
    the upload_shipping_info page, api_uploadshippinginfo). An upload whose
    upload_time is not later than the order's last is refused (268485216) and
    changes nothing. `orders_by_upload_time = False` turns that off, to show what
    the station does without it. An order ships once and can be re-shipped once
    (api_uploadshippinginfo: "一个支付单只能更新一次发货信息"): `reships` counts that.
    """

    def __init__(self, appid: str = "wxapp", secret: str = "s3cret"):
        self.appid = appid
        self.secret = secret
        self.lock = threading.Lock()
        self.token_counter = 0
        self.token: str | None = None
        self.token_fetches = 0
        self.forced = 0
        self.orders: dict[str, dict[str, Any]] = {}
        self.shop: dict[str, dict[str, Any]] = {}
        self.faults: dict[str, list[Any]] = defaultdict(list)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.slow_seconds = 0.0
        self.jitter_seconds = 0.0
        self.late_orders: set[str] = set()
        self.late_seconds = 0.0
        self.in_flight = 0  # late uploads received and not yet acted on
        self._held: dict[str, tuple[threading.Event, threading.Event]] = {}  # go, landed
        self.orders_by_upload_time = True
        # The carrier lists (get_delivery_list; the shop's deliverycompanylist/new/get).
        self.delivery_ids = ["SF", "ZTO", "YTO", "STO", "YD", "JTSD", "JD", "DBL", "YZPY", "EMS"]
        self.shop_delivery_ids = list(self.delivery_ids)

    # -- set-up --------------------------------------------------------------------

    def add_order(self, order_no: str, openid: str = "oPayer", **fields: Any) -> dict[str, Any]:
        order = {
            "openid": openid,
            "order_state": 1,
            "shipping_list": [],
            "uploads": 0,
            "reships": 0,
            "fresh": 0,
            "last_upload_time": "",
        } | fields
        self.orders[order_no] = order
        return order

    def add_shop_order(self, order_id: str, status: int = 20, **fields: Any) -> dict[str, Any]:
        order = {
            "order_id": order_id,
            "status": status,
            "openid": "oShop",
            "create_time": int(time.time()),
            "update_time": int(time.time()),
            "order_detail": {
                "product_infos": [
                    {
                        "product_id": "1001",
                        "sku_id": "2001",
                        "sku_cnt": 1,
                        "title": "保温杯",
                        "sale_price": 5900,
                        "sku_code": "CUP-350",
                    }
                ],
                "delivery_info": {
                    "address_info": {
                        "user_name": "张三",
                        "tel_number": "13812345678",
                        "province_name": "广东省",
                        "city_name": "深圳市",
                        "county_name": "南山区",
                        "detail_info": "科技园1号",
                        "house_number": "",
                        "postal_code": "518000",
                    },
                    "delivery_product_info": [],
                },
            },
            "sends": 0,
            "updates": 0,
        } | fields
        self.shop[order_id] = order
        return order

    def fault(self, name: str, *items: Any) -> None:
        self.faults[name].extend(items)

    def uploads(self, order_no: str) -> int:
        return self.orders[order_no]["uploads"]

    # -- serving -------------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        name = parts.path.rsplit("/", 1)[-1]
        if parts.path.endswith("/order/list/get"):
            name = "list_get_page"
        if parts.path.endswith("/deliverycompanylist/new/get"):
            name = "company_list"
        try:
            request = json.loads(handler.body)
        except ValueError:
            reply(handler, 200, {"errcode": 47001, "errmsg": "data format error"})
            return
        if self.jitter_seconds:
            time.sleep(self.jitter_seconds * (hash(handler.body) % 100) / 100)
        with self.lock:
            self.calls.append((name, request))
            if name == "stable_token":
                reply(handler, 200, self._token(request))
                return
            fault = self.faults[name].pop(0) if self.faults[name] else None
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
                reply(handler, 200, {"errcode": 40001, "errmsg": "invalid credential"})
                return
            late = self._late(request) if name == "upload_shipping_info" else ""
            if not late:
                answer = getattr(self, "_" + name)(request)
            pending = self._held.get(self._key(request)) if name == "get_order" else None
        if late:
            go, landed = self._held[late]
            go.wait(self.late_seconds)
            with self.lock:
                answer = self._upload_shipping_info(request)
                self.in_flight -= 1
                del self._held[late]
            landed.set()
            with contextlib.suppress(OSError):  # the client may have given up long ago
                reply(handler, 200, answer)
            return
        if pending is not None:  # the held upload lands right after this look-up
            pending[0].set()
            pending[1].wait(10)
        if fault == "drop":
            drop(handler)
            return
        if fault == "slow":
            time.sleep(self.slow_seconds)
        reply(handler, 200, answer)

    def _token(self, request: dict[str, Any]) -> dict[str, Any]:
        self.token_fetches += 1
        if request.get("appid") != self.appid or request.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if request.get("force_refresh"):
            self.forced += 1
            self.token = None
        if self.token is None:
            self.token_counter += 1
            self.token = f"TOKEN{self.token_counter}"
        return {"access_token": self.token, "expires_in": 7200}

    # mini-program

    def _key(self, request: dict[str, Any]) -> str:
        """The order a mini-program request names (get_order's or an upload's key)."""
        if "order_key" in request:
            k = request["order_key"]
            return k.get("transaction_id") or k.get("out_trade_no") or ""
        return request.get("transaction_id") or request.get("merchant_trade_no") or ""

    def _order(self, request: dict[str, Any]) -> dict[str, Any] | None:
        return self.orders.get(self._key(request))

    def _get_order(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self._order(request)
        if order is None:
            return {"errcode": 10060001, "errmsg": "order not found"}
        return {
            "errcode": 0,
            "errmsg": "ok",
            "order": {
                "openid": order["openid"],
                "order_state": order["order_state"],
                "shipping": {"shipping_list": list(order["shipping_list"])},
            },
        }

    def _late(self, request: dict[str, Any]) -> str:
        """The order whose upload this is, when it is held before it lands, else ''."""
        order_no = self._key(request)
        if order_no in self.late_orders:
            self.late_orders.discard(order_no)
            self.in_flight += 1
            self._held[order_no] = (threading.Event(), threading.Event())
            return order_no
        return ""

    def _upload_shipping_info(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self._order(request)
        if order is None:
            return {"errcode": 10060001, "errmsg": "order not found"}
        if order["fresh"] > 0:
            order["fresh"] -= 1
            return {"errcode": 10060001, "errmsg": "order not found"}
        if request.get("payer", {}).get("openid") != order["openid"]:
            return {"errcode": 10060031, "errmsg": "openid is not the payer"}
        items = request.get("shipping_list") or []
        item = items[0] if items else {}
        if item.get("express_company") == "SF":
            contact = item.get("contact", {}).get("receiver_contact", "")
            if "****" not in contact:
                return {"errcode": 268485224, "errmsg": "contact required"}
        upload_time = request.get("upload_time", "")
        if (
            self.orders_by_upload_time
            and order["last_upload_time"]
            and upload_time <= order["last_upload_time"]
        ):
            return {"errcode": 268485216, "errmsg": "upload_time must grow"}
        if order["order_state"] == 5:
            return {"errcode": 10060004, "errmsg": "order not shippable"}
        if order["order_state"] != 1:
            if order["reships"]:
                return {"errcode": 10060003, "errmsg": "re-ship allowance used"}
            order["reships"] += 1  # the single re-ship allowance, spent
        order["order_state"] = 2
        order["shipping_list"] = [
            {"tracking_no": item.get("tracking_no"), "express_company": item.get("express_company")}
        ]
        order["uploads"] += 1
        order["last_upload_time"] = upload_time
        order["last_request"] = request
        return {"errcode": 0, "errmsg": "ok"}

    # shop

    def _shop_view(self, order: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in order.items() if k not in ("sends", "updates")}

    def _get(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self.shop.get(str(request.get("order_id")))
        if order is None:
            return {"errcode": 100002, "errmsg": "order not exist"}
        return {"errcode": 0, "errmsg": "ok", "order": self._shop_view(order)}

    def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        order = self.shop.get(str(request.get("order_id")))
        if order is None or order["status"] != 20:
            return {"errcode": 101100, "errmsg": "order status wrong"}
        parcel = request["delivery_list"][0]
        order["status"] = 30
        order["order_detail"]["delivery_info"]["delivery_product_info"] = [
            {"waybill_id": parcel["waybill_id"], "delivery_id": parcel["delivery_id"]}
        ]
        order["sends"] += 1
        order["update_time"] = int(time.time())
        return {"errcode": 0, "errmsg": "ok"}

    def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        """deliveryinfo/update: corrects the waybill of a shipped order (same shape as
        delivery/send); an order not shipped yet is in the wrong status for it."""
        order = self.shop.get(str(request.get("order_id")))
        if order is None or order["status"] != 30:
            return {"errcode": 101100, "errmsg": "order status wrong"}
        parcel = request["delivery_list"][0]
        order["order_detail"]["delivery_info"]["delivery_product_info"] = [
            {"waybill_id": parcel["waybill_id"], "delivery_id": parcel["delivery_id"]}
        ]
        order["updates"] += 1
        order["update_time"] = int(time.time())
        return {"errcode": 0, "errmsg": "ok"}

    def _get_delivery_list(self, request: dict[str, Any]) -> dict[str, Any]:
        items = [{"delivery_id": code, "delivery_name": code} for code in self.delivery_ids]
        return {"errcode": 0, "delivery_list": items, "count": len(items)}

    def _company_list(self, request: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(request.get("ewaybill_only"), bool):
            return {"errcode": 47001, "errmsg": "data format error"}
        items = [{"delivery_id": code, "delivery_name": code} for code in self.shop_delivery_ids]
        return {"errcode": 0, "errmsg": "ok", "company_list": items}

    def _list_get_page(self, request: dict[str, Any]) -> dict[str, Any]:
        window = request.get("update_time_range") or {}
        ids = sorted(
            oid
            for oid, o in self.shop.items()
            if window.get("start_time", 0) <= o["update_time"] <= window.get("end_time", 0)
        )
        start = int(request.get("next_key") or 0)
        size = request.get("page_size", 100)
        page = ids[start : start + size]
        more = start + size < len(ids)
        return {
            "errcode": 0,
            "errmsg": "ok",
            "order_id_list": page,
            "next_key": str(start + size),
            "has_more": more,
        }


@contextmanager
def wechat_server(fake: FakeWeChat) -> Iterator[str]:
    with serving(fake) as url:
        yield url


class WebhookReceiver:
    """A receiver keeping the first result per idempotency key (Stripe's model)."""

    def __init__(self, key: str = "hook-key"):
        self.key = key
        self.lock = threading.Lock()
        self.stored: dict[str, dict[str, Any]] = {}
        self.deliveries: dict[str, int] = defaultdict(int)
        self.batches: dict[str, str] = {}
        self.bad_signatures = 0
        self.faults: list[Any] = []
        self.reject: dict[str, str] = {}  # order_no -> reason

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.body
        expected = "sha256=" + hmac.new(self.key.encode(), body, hashlib.sha256).hexdigest()
        with self.lock:
            if not hmac.compare_digest(handler.headers.get("X-Station-Signature", ""), expected):
                self.bad_signatures += 1
                reply(handler, 401, {"error": "bad signature"})
                return
            fault = self.faults.pop(0) if self.faults else None
            if isinstance(fault, tuple):
                status, headers = fault
                reply(handler, status, {"error": "injected"}, **headers)
                return
            if isinstance(fault, int):
                reply(handler, fault, {"error": "injected"})
                return
            batch_key = handler.headers.get("Idempotency-Key", "")
            digest = hashlib.sha256(body).hexdigest()
            if self.batches.setdefault(batch_key, digest) != digest:
                reply(handler, 409, {"error": "idempotency key reused with another body"})
                return
            results = []
            for record in json.loads(body)["records"]:
                key = record["idempotency_key"]
                self.deliveries[key] += 1
                reason = self.reject.get(record["data"]["order_no"])
                if reason:
                    results.append({"idempotency_key": key, "status": "rejected", "reason": reason})
                elif key in self.stored:
                    results.append({"idempotency_key": key, "status": "duplicate"})
                else:
                    self.stored[key] = record
                    results.append({"idempotency_key": key, "status": "accepted"})
        if fault == "drop":
            drop(handler)
            return
        reply(handler, 200, {"results": results})


def write_sync_toml(folder: Any, text: str) -> None:
    (folder / "sync.toml").write_text(text, encoding="utf-8")


@contextmanager
def opened_uploader(folder: Any, settings: Any) -> Iterator[Any]:
    from station.store.db import DB_FILE
    from station.sync.worker import open_uploader

    uploader = open_uploader(folder, settings, folder / DB_FILE)
    try:
        yield uploader
    finally:
        uploader.close()
        uploader.db.close()

"""KDNiao (快递鸟) e-waybill API: one account for ZTO, YTO, STO, Yunda, J&T, EMS, JD...

Contract (KDNiao's 电子面单 API docs, www.kdniao.com/api-eorder, and its official
demo code; RequestType constants as in public clients: 1007 下单, 1147 取消):
- A form POST of RequestData (the JSON, URL-encoded), EBusinessID, RequestType,
  DataSign = urlencode(base64(md5hex(RequestData + AppKey))) and DataType 2 (JSON).
- 1007 answers Success, ResultCode ("100" = taken), Reason, and Order with
  LogisticCode (the number), MarkDestination (大头笔), SortingCode (三段码),
  PackageName / PackageCode (集包地), plus PrintTemplate (HTML) when asked.
- OrderCode is the idempotency key: a second 1007 under the same OrderCode answers
  ResultCode "106" (该订单号已下单成功) with the number already taken, so it is its
  own look-up; KDNiao has no separate order query for e-waybills.
- 1147 cancels by ShipperCode, OrderCode and ExpNo.
- 1127 (单号余量查询接口, KDNiao's e-waybill API docs; RequestType as in public
  clients) asks a carrier account's stock of numbers: ShipperCode, CustomerName,
  CustomerPwd, StationCode, StationName; answers Success, ResultCode "100" and
  EorderBalance {AvailableNum, TotalNum}. A carrier whose account holds no stock at
  KDNiao (a monthly account) refuses it: its balance is unknown, not zero.
Carrier codes are WeChat's (ZTO, YTO, STO, YD, JTSD, EMS, JD); KDNiao's own
ShipperCode differs for a few and is mapped here.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from station.sync.http import HttpClient
from station.waybills.config import ProviderConfig
from station.waybills.forms import post_form
from station.waybills.model import (
    Address,
    Balance,
    Refusal,
    Refused,
    Taken,
    Unavailable,
    WaybillRequest,
)
from station.waybills.ratelimit import RateLimiter
from station.waybills.sign import kdniao_sign
from station.waybills.wechat import refusal_of

log = logging.getLogger("station.waybills")
PATH = "/api/EOrderService"
CREATE, CANCEL, BALANCE = "1007", "1147", "1127"
TAKEN, ALREADY = "100", "106"
SHIPPER_CODES = {"YD": "YD", "JTSD": "JTSD", "EMS": "EMS", "JD": "JD", "YZPY": "YZPY"}


def _person(a: Address) -> dict[str, str]:
    return {
        "Name": a.name,
        "Mobile": a.mobile,
        "ProvinceName": a.province,
        "CityName": a.city,
        "ExpAreaName": a.county,
        "Address": a.address,
    }


def parse_order(document: dict[str, Any], order_code: str) -> Taken | None:
    """The number and sort codes of a 1007 answer. Its PrintTemplate (an HTML label
    with the receiver's name and address in clear) is not kept: personal data is
    stored only encrypted, and the station prints its own layout from the codes."""
    order = document.get("Order") or {}
    number = str(order.get("LogisticCode") or "")
    if not number:
        return None
    return Taken(
        waybill_no=number,
        provider_order_id=order_code,
        sort_mark=str(order.get("MarkDestination") or ""),
        sort_code=str(order.get("SortingCode") or ""),
        package_center=str(order.get("PackageName") or ""),
        print_data={"Order": order},
        sub_waybills=tuple(str(s) for s in document.get("SubOrders") or []),
    )


class KdniaoProvider:
    def __init__(
        self,
        config: ProviderConfig,
        app_key: str,
        limiter: RateLimiter | None = None,
        passwords: dict[str, str] | None = None,
    ):
        self.name = config.name
        self.config = config
        self.carriers = config.carriers
        self._app_key = app_key
        self._passwords = passwords or {}  # CustomerPwd per carrier, from the keyring
        self.client = HttpClient(config.url, config.timeout_seconds)
        self.limiter = limiter or RateLimiter(config.rate)

    def serves(self, request: WaybillRequest) -> bool:
        """Single parcels only: KDNiao's multi-parcel (子母件) answer is not documented
        where we could read it."""
        return request.carrier in self.carriers and request.parcels == 1

    def fields(self, request_type: str, data: dict[str, Any]) -> dict[str, str]:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return {
            "RequestData": text,
            "EBusinessID": self.config.ebusiness_id,
            "RequestType": request_type,
            "DataSign": kdniao_sign(text, self._app_key),
            "DataType": "2",
        }

    def _call(self, request_type: str, data: dict[str, Any], may_apply: bool) -> dict[str, Any]:
        return post_form(
            self.client, self.limiter, PATH, self.fields(request_type, data), may_apply, "KDNiao"
        )

    def _account(self, carrier: str) -> dict[str, str]:
        account = self.config.accounts[carrier]
        return {
            "CustomerName": account.get("customer_name", ""),
            "CustomerPwd": self._passwords.get(carrier, ""),
            "MonthCode": account.get("month_code", ""),
            "SendSite": account.get("send_site", ""),
        }

    def key(self, request: WaybillRequest) -> str:
        return request.our_id

    def take(self, request: WaybillRequest, key: str) -> Taken:
        data: dict[str, Any] = {
            "OrderCode": key,
            "ShipperCode": SHIPPER_CODES.get(request.carrier, request.carrier),
            **{k: v for k, v in self._account(request.carrier).items() if v},
            "PayType": 3,
            "ExpType": 1,
            "Sender": _person(request.sender),
            "Receiver": _person(request.receiver),
            "Commodity": [{"GoodsName": g.name, "Goodsquantity": g.count} for g in request.goods],
            "Quantity": request.parcels,
            "IsReturnPrintTemplate": 0,  # our own layout prints; its HTML holds the receiver
        }
        if request.insured_fen:
            data["InsureAmount"] = round(request.insured_fen / 100, 2)
        document = self._call(CREATE, data, may_apply=True)
        code = str(document.get("ResultCode", ""))
        if code in (TAKEN, ALREADY):
            taken = parse_order(document, key)
            if taken is not None:
                return taken
            raise Unavailable(f"KDNiao answered {code} without a number", in_doubt=True)
        reason = str(document.get("Reason") or "")
        raise Refused(refusal_of(reason), f"KDNiao refused: {code} {reason}")

    def look_up(self, key: str, request: WaybillRequest) -> Taken | None:
        """KDNiao has no query: a 1007 under the same OrderCode is answered with the
        number already taken (106), so `take` is its own look-up."""
        return None

    def cancel(self, key: str, waybill_no: str, carrier: str) -> None:
        data = {
            "ShipperCode": SHIPPER_CODES.get(carrier, carrier),
            "OrderCode": key,
            "ExpNo": waybill_no,
            **{k: v for k, v in self._account(carrier).items() if k.startswith("Customer") and v},
        }
        document = self._call(CANCEL, data, may_apply=True)
        if document.get("Success") is True:
            return
        reason = str(document.get("Reason") or "")
        if any(word in reason for word in ("已取消", "已回收")):
            return
        raise Refused(Refusal.INVALID, f"KDNiao refused the cancel: {reason}")

    def balances(self) -> list[Balance]:
        """Each carrier account's stock of numbers (1127); None where KDNiao cannot say.
        Raises Unavailable when KDNiao cannot be reached."""
        return [self._balance(carrier) for carrier in self.config.accounts]

    def _balance(self, carrier: str) -> Balance:
        account = self.config.accounts[carrier]
        data = {
            "ShipperCode": SHIPPER_CODES.get(carrier, carrier),
            "CustomerName": account.get("customer_name", ""),
            "CustomerPwd": self._passwords.get(carrier, ""),
            "StationCode": account.get("send_site", ""),
            "StationName": account.get("send_site_name", ""),
        }
        document = self._call(BALANCE, data, may_apply=False)
        stock = document.get("EorderBalance") or {}
        available = stock.get("AvailableNum") if document.get("Success") is True else None
        if not isinstance(available, int):
            log.warning(
                "KDNiao cannot say the e-waybill stock of %s %s: %s %s",
                carrier,
                data["CustomerName"],
                document.get("ResultCode"),
                document.get("Reason"),
            )
            available = None
        return Balance(self.name, data["CustomerName"], carrier, available)

    def close(self) -> None:
        self.client.close()

"""SF Express Open Platform (顺丰丰桥), the 速运类 API at `/std/service`.

Contract (open.sf-express.com: 数字签名认证说明 developSupport/976720; 下订单接口
EXP_RECE_CREATE_ORDER; 订单结果查询 EXP_RECE_SEARCH_ORDER_RESP; 订单确认/取消
EXP_RECE_UPDATE_ORDER):
- A form POST (`application/x-www-form-urlencoded;charset=UTF-8`) of partnerID,
  requestID, serviceCode, timestamp, msgDigest and msgData (the JSON business data);
  msgDigest = Base64(MD5(URLEncoder.encode(msgData + timestamp + checkWord, UTF-8))).
- The answer: apiResultCode (A1000 = accepted; A1001-A1099 platform errors), and
  apiResultData, a JSON *string* with success, errorCode (S0000), errorMsg, msgData.
- Create: our `orderId` (unique per customer: SF refuses a second order under it,
  errorCode 8016 重复下单, so it is the idempotency key); parcelQty > 1 returns a
  mother number and N-1 child numbers (子母单, waybillType 1 and 2); with
  isReturnRoutelabel = 1 the answer carries routeLabelInfo[].routeLabelData with
  destRouteLabel (大头笔), codingMapping / codingMappingOut, twoDimensionCode, proCode,
  one per number: a child's is kept beside the mother's for its own label.
- Cancel: EXP_RECE_UPDATE_ORDER with dealType 2.
SF's monthly accounts hold no stock of numbers: no balance to report.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from station.sync.http import HttpClient
from station.waybills.config import ProviderConfig
from station.waybills.forms import post_form
from station.waybills.model import (
    AlreadyExists,
    Balance,
    Refusal,
    Refused,
    Taken,
    Unavailable,
    WaybillRequest,
)
from station.waybills.ratelimit import RateLimiter
from station.waybills.sign import sf_digest
from station.waybills.wechat import refusal_of

PATH = "/std/service"
CREATE, SEARCH, UPDATE = (
    "EXP_RECE_CREATE_ORDER",
    "EXP_RECE_SEARCH_ORDER_RESP",
    "EXP_RECE_UPDATE_ORDER",
)
CREDENTIAL_CODES = {"A1003", "A1004", "A1006"}  # IP, no permission, bad signature
BUSY_CODES = {"A1005", "A1009", "A1099"}  # throttled, service unreachable, system error
DUPLICATE = "8016"
MOTHER, CHILD = 1, 2
SERVICE_TYPES = {"": 2, "standard": 2, "express": 1}  # expressTypeId: 1 标快, 2 特惠


def _contact(kind: int, a: Any) -> dict[str, Any]:
    return {
        "contactType": kind,
        "contact": a.name,
        "mobile": a.mobile,
        "province": a.province,
        "city": a.city,
        "county": a.county,
        "address": a.address,
        "country": "CN",
    }


def parse_taken(msg: dict[str, Any], order_id: str) -> Taken | None:
    """The numbers and route label of a create or search answer's msgData."""
    numbers = msg.get("waybillNoInfoList") or []
    mother = [str(n["waybillNo"]) for n in numbers if n.get("waybillType") == MOTHER]
    children = tuple(str(n["waybillNo"]) for n in numbers if n.get("waybillType") == CHILD)
    if not mother:
        return None
    label: dict[str, Any] = {}
    child_labels: dict[str, Any] = {}
    for info in msg.get("routeLabelInfo") or []:
        data = info.get("routeLabelData") or {}
        if data.get("waybillNo") in children:
            child_labels[str(data["waybillNo"])] = data
        elif not label and data.get("waybillNo") in (None, mother[0]):
            label = data
    print_data: dict[str, Any] = {"routeLabelData": label} if label else {}
    if child_labels:
        print_data["childRouteLabels"] = child_labels
    return Taken(
        waybill_no=mother[0],
        provider_order_id=order_id,
        sort_mark=str(label.get("destRouteLabel") or ""),
        sort_code=str(label.get("codingMapping") or ""),
        package_center=str(label.get("codingMappingOut") or ""),
        print_data=print_data,
        sub_waybills=children,
    )


class SfProvider:
    def __init__(
        self,
        config: ProviderConfig,
        check_word: str,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.name = config.name
        self.config = config
        self.carriers = config.carriers
        self._check_word = check_word
        self.client = HttpClient(config.url, config.timeout_seconds)
        self.limiter = limiter or RateLimiter(config.rate)
        self.clock = clock

    def serves(self, request: WaybillRequest) -> bool:
        return request.carrier in self.carriers

    def fields(self, service: str, msg: dict[str, Any]) -> dict[str, str]:
        """The signed form of one request."""
        data = json.dumps(msg, ensure_ascii=False, separators=(",", ":"))
        stamp = str(int(self.clock() * 1000))
        return {
            "partnerID": self.config.partner_id,
            "requestID": str(uuid.uuid4()),
            "serviceCode": service,
            "timestamp": stamp,
            "msgDigest": sf_digest(data, stamp, self._check_word),
            "msgData": data,
        }

    def _call(self, service: str, msg: dict[str, Any], may_apply: bool) -> dict[str, Any]:
        """msgData of a successful answer; raises Refused, Unavailable or AlreadyExists."""
        document = post_form(
            self.client, self.limiter, PATH, self.fields(service, msg), may_apply, "SF"
        )
        code = str(document.get("apiResultCode", ""))
        if code in CREDENTIAL_CODES:
            raise Refused(
                Refusal.CREDENTIALS, f"SF refused the call: {code} {document.get('apiErrorMsg')}"
            )
        if code != "A1000":
            in_doubt = may_apply and code in BUSY_CODES
            raise Unavailable(f"SF platform error {code}: {document.get('apiErrorMsg')}", in_doubt)
        try:
            result = json.loads(document.get("apiResultData") or "")
        except ValueError as exc:
            raise Unavailable("SF's apiResultData is not JSON", may_apply) from exc
        if result.get("success") is True:
            return result.get("msgData") or {}
        error, message = str(result.get("errorCode", "")), str(result.get("errorMsg") or "")
        if error == DUPLICATE:
            raise AlreadyExists(f"SF holds order {msg.get('orderId')} already: {message}")
        raise Refused(refusal_of(message), f"SF refused: {error} {message}")

    def key(self, request: WaybillRequest) -> str:
        return request.our_id

    def take(self, request: WaybillRequest, key: str) -> Taken:
        account = self.config.accounts.get(request.carrier, {})
        msg: dict[str, Any] = {
            "language": "zh-CN",
            "orderId": key,
            "monthlyCard": account.get("monthly_card", self.config.monthly_card),
            "payMethod": 1,
            "expressTypeId": SERVICE_TYPES.get(request.service, 2),
            "parcelQty": request.parcels,
            "isReturnRoutelabel": 1,
            "cargoDetails": [{"name": g.name, "count": g.count} for g in request.goods],
            "contactInfoList": [_contact(1, request.sender), _contact(2, request.receiver)],
        }
        if request.insured_fen:
            msg["serviceList"] = [{"name": "INSURE", "value": f"{request.insured_fen / 100:.2f}"}]
        taken = parse_taken(self._call(CREATE, msg, may_apply=True), key)
        if taken is None:
            raise Unavailable("SF's create answer has no waybill number", in_doubt=True)
        return taken

    def look_up(self, key: str, request: WaybillRequest) -> Taken | None:
        msg = {"language": "zh-CN", "orderId": key, "searchType": "1"}
        try:
            found = self._call(SEARCH, msg, may_apply=False)
        except Refused as exc:
            if "不存在" in exc.detail:
                return None
            raise
        return parse_taken(found, key)

    def cancel(self, key: str, waybill_no: str, carrier: str) -> None:
        msg = {"language": "zh-CN", "orderId": key, "dealType": 2}
        try:
            self._call(UPDATE, msg, may_apply=True)
        except Refused as exc:
            if not any(word in exc.detail for word in ("已取消", "已消单", "不存在")):
                raise

    def balances(self) -> list[Balance]:
        return [
            Balance(self.name, a.get("monthly_card", self.config.monthly_card), c, None)
            for c, a in self.config.accounts.items()
        ]

    def close(self) -> None:
        self.client.close()

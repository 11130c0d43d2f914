"""Whatever bytes come back from upstream, the worker never crashes and never marks a
record done unless upstream really said so (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.store.outbox import Record
from station.sync.http import Response
from station.sync.miniprogram import MiniProgramTarget
from station.sync.outcome import TargetProblem, Verdict
from station.sync.shop import ShopTarget
from station.sync.webhook import WebhookTarget
from station.sync.wechat_api import WeChatApi
from station.sync.wechat_token import TokenCache

OURS = "75000000001"
TOKEN = Response(200, b'{"access_token":"T","expires_in":7200}')

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
codes = st.sampled_from(
    [0, -1, 40001, 42001, 45011, 10060001, 10060002, 10060004, 47001, 101100, 61004]
) | st.one_of(st.integers(), st.booleans(), st.text(max_size=3))
tracking = st.sampled_from([OURS, OURS.lower(), "SF999"]) | st.integers() | st.none()
shipping = st.fixed_dictionaries(
    {"shipping_list": st.lists(st.fixed_dictionaries({"tracking_no": tracking}), max_size=2)}
)
parcels = st.lists(st.fixed_dictionaries({"waybill_id": tracking}), max_size=2)
products = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.text(max_size=3),
            "sku_id": st.text(max_size=3),
            "sku_cnt": st.integers(0, 3),
        }
    ),
    max_size=2,
)
order = st.fixed_dictionaries(
    {},
    optional={
        "order_state": st.integers(0, 6) | st.booleans() | st.text(max_size=2),
        "openid": st.text(max_size=4) | st.none(),
        "status": st.sampled_from([20, 21, 30, 100, 200]) | st.integers(),
        "shipping": shipping,
        "order_detail": st.fixed_dictionaries(
            {
                "delivery_info": st.fixed_dictionaries({"delivery_product_info": parcels}),
                "product_infos": products,
            }
        ),
    },
)
near_valid = st.fixed_dictionaries(
    {"errcode": codes, "errmsg": st.text(max_size=5)},
    optional={"order": order, "results": json_values},
)
bodies = st.one_of(
    st.binary(max_size=40),
    json_values.map(lambda v: json.dumps(v).encode()),
    near_valid.map(lambda v: json.dumps(v).encode()),
)
responses = st.builds(
    Response,
    status=st.sampled_from([200, 200, 200, 201, 400, 409, 429, 500, 503]),
    body=bodies,
    headers=st.sampled_from([{}, {"retry-after": "5"}, {"retry-after": "soon"}]),
)


class Scripted:
    """A transport answering from a script; tokens always succeed."""

    def __init__(self, script: list[Response]):
        self.script = list(script)
        self.used: list[tuple[str, Response]] = []

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> Response:
        if path.startswith("/cgi-bin/stable_token"):
            return TOKEN
        answer = self.script.pop(0) if self.script else Response(200, b'{"errcode":-1}')
        self.used.append((path, answer))
        return answer

    def post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> Response:
        return self.post(path, json.dumps(payload).encode(), headers)

    def close(self) -> None:
        pass


def record(ref: dict[str, Any]) -> Record:
    payload = {
        "order_no": "WX1",
        "carrier": "ZTO",
        "tracking_no": OURS,
        "receiver_contact": "138****5678",
        "items": [{"name": "杯", "quantity": 1}],
    }
    return Record(
        1, "shipment.recorded", "WX1", "ship:WX1:" + OURS, payload, "2026-11-21T00:00:00Z", ref
    )


def said_done(path: str, answer: Response, key: str) -> bool:
    """Did this answer really tell us upstream holds the record?"""
    try:
        document = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(document, dict) or answer.status != 200:
        return False
    code = document.get("errcode")
    if type(code) is not int:
        return False
    if key in ("upload", "send"):
        return code == 0
    order = document.get("order") if isinstance(document.get("order"), dict) else {}
    text = json.dumps(order)
    return code == 0 and f'"{OURS}"' in text.upper()


def wechat_target(kind: str, transport: Scripted):
    api = WeChatApi(transport, TokenCache(transport, "app", "secret"))
    if kind == "mini":
        return MiniProgramTarget("mini", api, mchid="1")
    return ShopTarget("shop", api)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["mini", "shop"]),
    script=st.lists(responses, min_size=1, max_size=4),
    doubt=st.booleans(),
    known=st.booleans(),
)
def test_wechat_answers_never_crash_or_fake_success(
    kind: str, script: list[Response], doubt: bool, known: bool
) -> None:
    transport = Scripted(script)
    ref = (
        ({"openid": "o1"} if kind == "mini" else {"product_infos": [{"product_id": "1"}]})
        if known
        else {}
    )
    try:
        (outcome,) = wechat_target(kind, transport).deliver([record(ref)], {1: ""} if doubt else {})
    except TargetProblem:
        return
    if outcome.verdict is Verdict.DONE:
        assert any(
            said_done(path, answer, "upload" if "upload" in path or "send" in path else "check")
            for path, answer in transport.used
        ), transport.used


@settings(max_examples=300, deadline=None)
@given(answer=responses)
def test_webhook_answers_never_crash_or_fake_success(answer: Response) -> None:
    transport = Scripted([answer])
    try:
        (outcome,) = WebhookTarget("erp", transport, "key").deliver([record({})], {})
    except TargetProblem:
        return
    if outcome.verdict is Verdict.DONE:
        document = answer.json()
        listed = document.get("results") if isinstance(document, dict) else None
        ok_listed = isinstance(listed, list) and any(
            isinstance(r, dict)
            and r.get("idempotency_key") == "ship:WX1:" + OURS
            and r.get("status") in ("accepted", "duplicate")
            for r in listed
        )
        assert 200 <= answer.status < 300 or ok_listed

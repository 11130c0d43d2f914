"""A form POST over the station's HTTP client, answered with JSON (SF, KDNiao)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from station.sync.http import HttpClient, Unreachable
from station.waybills.model import Unavailable
from station.waybills.ratelimit import RateLimiter

FORM = "application/x-www-form-urlencoded;charset=UTF-8"


def post_form(
    client: HttpClient,
    limiter: RateLimiter,
    path: str,
    fields: dict[str, str],
    may_apply: bool,
    who: str,
) -> dict[str, Any]:
    """POST `fields` as a form; the JSON answer. Raises Unavailable when there is none
    (`in_doubt` when the request may have been acted on)."""
    limiter.wait()
    body = urlencode(fields).encode()
    try:
        response = client.post(path, body, {"Content-Type": FORM})
    except Unreachable as exc:
        raise Unavailable(f"{who} unreachable: {exc.reason}", may_apply and exc.in_doubt) from exc
    document = response.json()
    if response.status != 200 or not isinstance(document, dict):
        raise Unavailable(f"no usable answer from {who} (HTTP {response.status})", may_apply)
    return document

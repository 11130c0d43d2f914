"""What a WeChat API holds for one order, read without changing anything: the
look-up a mini-program or shop target answers `station sync` and the hub with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from station.sync.upstream_view import Upstream
from station.sync.wechat_api import WeChatApi, call
from station.sync.wechat_errors import describe


@dataclass(frozen=True)
class OrderRead:
    """Where one API keeps an order: the read's path and name (for a failure's note),
    how to find the waybills it holds, and which state field says "to ship"."""

    path: str
    name: str
    waybills: Callable[[dict[str, Any]], set[str]]
    state_field: str
    to_ship: int


def look_up_order(
    target: str, api: WeChatApi, read: OrderRead, request: dict[str, Any], now: float
) -> Upstream:
    """The order as `read` finds it: to ship only in the to-ship state holding no waybill."""
    reply = call(api, read.path, request, False, now)
    order = reply.data.get("order")
    if reply.code != 0 or not isinstance(order, dict):
        words = describe(reply.code, reply.message) if reply.code else f"HTTP {reply.status}"
        return Upstream(target, None, frozenset(), f"{read.name} failed: {words}")
    held = frozenset(read.waybills(order))
    state = order.get(read.state_field)
    to_ship = type(state) is int and state == read.to_ship and not held
    return Upstream(target, to_ship, held, f"{read.state_field} {state!r}")

"""WeChat Shop orders pulled into the hub by the hub uploader, which alone holds the
AppSecret (benches with a hub no longer pull them themselves). Every bench then
takes them from the hub through its own import plan, as orders imported at the hub.

The pull asks the shop as a bench's pull does (station.sync.shop_orders): the same
windows of update times and the same reading of each order; how far it got is kept
at the hub.
"""

from __future__ import annotations

from typing import Any

import psycopg

from station.hub import orders as hub_orders
from station.hub import wechat_queue as queue
from station.hub.db import order_key
from station.sync.shop_orders import (
    PULLED_UNTIL,
    SOURCE,
    ShopOrderPuller,
    judge_shop_order,
    shop_order,
    summary,
)


class HubShopPuller:
    """A shop target's order pull, into the hub (`due`, `pull`, `close`)."""

    def __init__(self, shop: ShopOrderPuller):
        self.shop = shop
        self.name = shop.name

    def due(self, now: float) -> bool:
        return self.shop.due(now)

    def pull(self, conn: psycopg.Connection) -> str:
        start, end = self.shop.window(queue.get_state(conn, self.name, PULLED_UNTIL))
        counts: dict[str, int] = {}
        for order_id in self.shop.changed(start, end):
            result = put_shop_order(conn, self.shop.get(order_id))
            counts[result] = counts.get(result, 0) + 1
        queue.save_state(conn, self.name, {PULLED_UNTIL: str(end)})
        return summary(counts)

    def close(self) -> None:
        self.shop.close()


def put_shop_order(conn: psycopg.Connection, order: dict[str, Any]) -> str:
    """Put one shop order at the hub; what happened ('saved', 'cancelled', 'held',
    'skipped'). A cancelled or shipped one the hub never had is skipped."""
    judged = judge_shop_order(order)
    if judged is None:
        return "skipped"
    shown, hold, result = judged
    if result != "saved":
        known = conn.execute(
            "SELECT 1 FROM orders WHERE order_no = %s", [order_key(str(order["order_id"]))]
        ).fetchone()
        if known is None:
            return "skipped"
    hub_orders.put(conn, [shop_order(order, shown, hold)], SOURCE)
    return result

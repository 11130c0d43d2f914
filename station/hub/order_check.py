"""What the hub knows of one order's shipments, for a supervisor releasing an order
held after a restore at a bench with a hub: that bench asks no WeChat itself (the
hub uploader does), but the hub holds every bench's shipments."""

from __future__ import annotations

import psycopg

from station.hub.db import HubUnreachable, connect, order_key
from station.hub.port import TARGET_NAME
from station.sync.upstream_view import Upstream


def hub_view(url: str, order_no: str, timeout_s: float = 10.0) -> Upstream:
    """Shipped (`to_ship` False) when the hub holds a live shipment of the order from
    any bench; unknown otherwise (a shipment lost with the bench's records may never
    have reached the hub), or when the hub cannot be asked."""
    try:
        with connect(url, timeout_s) as conn:
            live = conn.execute(
                """SELECT bench, tracking_no, packer, recorded_at FROM shipments
                   WHERE order_no = %s AND voided_at IS NULL ORDER BY id""",
                [order_key(order_no)],
            ).fetchall()
    except (HubUnreachable, psycopg.OperationalError) as exc:
        return Upstream(TARGET_NAME, None, frozenset(), f"the hub cannot be asked: {exc}")
    if live:
        where = "; ".join(
            f"{bench} ({packer}, {recorded:%Y-%m-%d %H:%M})" for bench, _, packer, recorded in live
        )
        waybills = frozenset(str(row[1]).upper() for row in live)
        return Upstream(TARGET_NAME, False, waybills, f"shipped at {where}")
    return Upstream(
        TARGET_NAME,
        None,
        frozenset(),
        "no shipment of it at the hub; WeChat is asked by the hub uploader only",
    )

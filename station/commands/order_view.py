"""`station orders list` and `station orders show`: the orders the bench holds, with
their flags, masked as on labels (name `张*`, phone `138****5678`, the address cut
to province, city and district).

Exit codes: 0 done, 2 bad input, 4 no such order.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import sqlite_utils

from station.commands.common import CommandContext
from station.core.masking import mask_name, mask_personal, mask_phone
from station.core.model import Order, OrderStatus
from station.store import flags as flag_store
from station.store import orders as order_store

EXIT_NOT_FOUND = 4


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser(
        "list",
        help="list orders (masked), newest first",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument(
        "--status", choices=[s.value for s in OrderStatus], help="only orders in this status"
    )
    listing.add_argument(
        "--flagged", action="store_true", help="only orders with flags to confirm at the bench"
    )
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=list_orders)
    show = commands.add_parser(
        "show",
        help="one order (masked): lines, flags, alerts, shipment",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("order_no", metavar="NO", help="order number or pick-list code")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.set_defaults(func=show_order)


def list_orders(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        found = [
            order
            for order_no in order_store.order_numbers(db, args.status, args.flagged)
            if (order := order_store.find_order(db, order_no)) is not None
        ]
    if args.json:
        print(json.dumps([summary(o) for o in found], ensure_ascii=False, indent=1))
        return 0
    for order in found:
        s = summary(order)
        line = (
            f"{s['order_no']}  {s['status']}  {s['recipient']} {s['phone']}  {s['place']}  "
            f"items {s['items']}"
        )
        if s["flags"]:
            line += f"  flags {len(s['flags'])}: {'; '.join(s['flags'])}"
        print(line)
    print(f"{len(found)} orders")
    return 0


def show_order(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        order = order_store.find_order(db, args.order_no)
        alerts = [] if order is None else alerts_of(db, order.order_no)
    if order is None:
        print(f"no order {args.order_no}: check the number (station orders list)")
        return EXIT_NOT_FOUND
    details = summary(order) | {
        "hold_reason": order.hold_reason,
        "buyer_note": mask_personal(order.buyer_note),
        "service": order.service,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "category": line.category,
            }
            for line in order.lines
        ],
        "alerts": alerts,
        "shipment": None
        if order.shipped is None
        else {
            "carrier": order.shipped.carrier,
            "tracking_no": order.shipped.tracking_no,
            "recorded_at": order.shipped.recorded_at,
            "packer": order.shipped.packer,
            "station": order.shipped.station,
        },
    }
    if args.json:
        print(json.dumps(details, ensure_ascii=False, indent=1))
        return 0
    for key in ("order_no", "status", "hold_reason", "source", "recipient", "phone", "place"):
        if details[key]:
            print(f"{key}: {details[key]}")
    print(f"order value: {details['order_value']:.2f} yuan")
    for key in ("carrier", "service", "buyer_note"):
        if details[key]:
            print(f"{key}: {details[key]}")
    for line in details["lines"]:
        print(f"line: {line['sku']} {line['name']} x{line['quantity']}")
    for flag in details["flags"]:
        print(f"FLAG: {flag}")
    for alert in alerts:
        print(f"ALERT: {alert}")
    if order.shipped is not None:
        s = order.shipped
        print(f"shipped: {s.carrier} {s.tracking_no} at {s.recorded_at} by {s.packer}")
    return 0


def summary(order: Order) -> dict[str, Any]:
    """An order as `list` shows it: personal data masked."""
    person = order.recipient
    return {
        "order_no": order.order_no,
        "status": order.status.value,
        "source": order.source,
        "recipient": mask_name(person.name),
        "phone": mask_phone(person.phone) if person.phone else "",
        "place": " ".join(p for p in (person.province, person.city, person.district) if p),
        "items": order.item_count,
        "order_value": order.order_value_fen / 100,
        "carrier": order.carrier,
        "flags": list(order.flags),
    }


def alerts_of(db: sqlite_utils.Database, order_no: str) -> list[str]:
    return [a.detail for a in flag_store.open_alerts(db) if a.order_no.upper() == order_no.upper()]

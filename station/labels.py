"""From a recorded shipment to the printer-independent waybill."""

from __future__ import annotations

import datetime as dt

from printers import ContentLine, Party, Waybill
from station.core.model import Order
from station.settings import Settings

COLD_CHAIN_CATEGORIES = frozenset({"fresh", "frozen", "生鲜", "冷冻"})


def waybill_for(
    order: Order,
    carrier: str,
    tracking_no: str,
    weight_g: int,
    settings: Settings,
    reprint: bool = False,
) -> Waybill:
    recipient = order.recipient
    sender = None
    if order.sender is not None:
        sender = Party(order.sender.name, order.sender.phone, order.sender.address)
    return Waybill(
        carrier=carrier,
        tracking_number=tracking_no,
        recipient=Party(recipient.name, recipient.phone, recipient.address),
        station=Party(
            settings["sender.name"], settings["sender.phone"], settings["sender.address"]
        ),
        sender=sender,
        service=order.service,
        contents=tuple(ContentLine(line.name, line.quantity, line.sku) for line in order.lines),
        weight_g=weight_g,
        cold_chain=bool(COLD_CHAIN_CATEGORIES & set(order.categories)),
        order_number=order.order_no,
        printed_at=dt.datetime.now().astimezone(),
        reprint=reprint,
    )

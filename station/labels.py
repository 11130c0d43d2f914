"""From a recorded shipment to the printer-independent waybill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils

from printers import ContentLine, Party, Printer, SfRouteLabel, Waybill, open_printer
from station.core.carriers import SERVICE_NAMES_ZH, Carrier, Service, carrier_name
from station.core.model import Order
from station.settings import Settings
from station.store import catalogue
from station.store import ewaybills as ewaybill_store
from station.store.orders import find_order

COLD_CHAIN_CATEGORIES = frozenset({"fresh", "frozen", "生鲜", "冷冻"})


def waybill_for(
    order: Order,
    carrier: str,
    tracking_no: str,
    weight_g: int,
    settings: Settings,
    reprint: bool = False,
    *,
    carriers: Mapping[str, Carrier],
    ewaybill: ewaybill_store.Row | None = None,
) -> Waybill:
    """The waybill of a shipment; the carrier's name comes from `carriers`, the
    catalogue (`catalogue.carriers(db, active_only=False)`), by code. `ewaybill` is
    the e-waybill the number was taken as (`printed_ewaybill`): its sort codes and
    print data choose the carrier's template, SF's privacy label or WeChat's print data."""
    recipient = order.recipient
    sender = None
    if order.sender is not None:
        sender = Party(order.sender.name, order.sender.phone, order.sender.address)
    return Waybill(
        carrier=carrier_name(carrier, carriers),
        tracking_number=tracking_no,
        recipient=Party(recipient.name, recipient.phone, recipient.address),
        station=Party(
            settings["sender.name"], settings["sender.phone"], settings["sender.address"]
        ),
        sender=sender,
        service=SERVICE_NAMES_ZH.get(order.service, order.service),
        contents=tuple(ContentLine(line.name, line.quantity, line.sku) for line in order.lines),
        weight_g=weight_g,
        cold_chain=bool(COLD_CHAIN_CATEGORIES & set(order.categories)),
        insured_value=insured_value(order),
        order_number=order.order_no,
        printed_at=dt.datetime.now().astimezone(),
        reprint=reprint,
        **(ewaybill_fields(ewaybill) if ewaybill is not None else {}),
    )


def printed_ewaybill(
    db: sqlite_utils.Database, order_no: str, tracking_no: str
) -> ewaybill_store.Row | None:
    """The e-waybill a shipment's number was taken as, None for a pool or scanned
    number. Database only: the label never waits for the network."""
    row = ewaybill_store.by_number(db, tracking_no)
    if row is None or row.order_no.casefold() != order_no.casefold():
        return None
    return row


def ewaybill_fields(row: ewaybill_store.Row) -> dict[str, Any]:
    """The label fields an e-waybill gives (`Waybill`'s e-waybill fields), from what
    its provider returned: SF's routeLabelData (丰密面单), WeChat Shop's print_info,
    an aggregator's 大头笔 / 三段码 / 集包地 (KDNiao's MarkDestination, SortingCode,
    PackageName and PackageCode)."""
    data = row.print_data
    route = data.get("routeLabelData")
    if isinstance(route, Mapping):
        return {"sf_route": SfRouteLabel.from_route_label_data(route)}
    fields: dict[str, Any] = {}
    if isinstance(data.get("print_info"), str):
        fields["print_info"] = data["print_info"]
    order = data.get("Order")
    package_code = order.get("PackageCode") if isinstance(order, Mapping) else None
    if row.sort_code:
        fields["sorting_code"] = row.sort_code
    if row.sort_mark:
        fields["routing_code"] = row.sort_mark
    if row.package_center:
        fields["package_centre"] = row.package_center
    if package_code:
        fields["package_centre_code"] = str(package_code)
    return fields


def insured_value(order: Order) -> Decimal | None:
    """The amount an insured parcel is insured for, in yuan: its order value (None for
    a service that is not insured, or an order of unknown value)."""
    if order.service != Service.INSURED or order.order_value_fen <= 0:
        return None
    return Decimal(order.order_value_fen) / 100


def printer_url(url: str, data_dir: Path) -> str:
    """The printer URL with a relative `pdf:` folder made relative to the data folder."""
    scheme, sep, rest = url.partition(":")
    if scheme == "pdf" and sep and rest and not Path(rest).expanduser().is_absolute():
        return f"pdf:{data_dir / rest}"
    return url


def open_configured_printer(settings: Settings, data_dir: Path, url: str | None = None) -> Printer:
    """The printer of the settings (or `url`), a relative `pdf:` folder in the data folder."""
    return open_printer(
        printer_url(url or settings["printer.url"], data_dir), layout=settings["printer.layout"]
    )


def find_shipment(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """A live shipment by order number, tracking number, or shipment id (in that order)."""
    key = key.strip()
    for column in ("order_no", "tracking_no"):
        rows = list(
            db.query(f"SELECT * FROM shipments WHERE {column} = ? AND voided_at IS NULL", [key])
        )
        if rows:
            return rows[0]
    if key.isdigit():
        rows = list(db.query("SELECT * FROM shipments WHERE id = ?", [int(key)]))
        if rows:
            return rows[0]
    return None


def shipment_waybill(
    db: sqlite_utils.Database, shipment: dict[str, Any], settings: Settings
) -> Waybill:
    """The waybill of a recorded shipment, marked as a reprint once it was printed."""
    order = find_order(db, shipment["order_no"])
    assert order is not None, "a shipment always references its order"
    return waybill_for(
        order,
        shipment["carrier"],
        shipment["tracking_no"],
        shipment["weight_g"],
        settings,
        reprint=shipment["print_count"] > 0,
        carriers=catalogue.carriers(db, active_only=False),
        ewaybill=printed_ewaybill(db, shipment["order_no"], shipment["tracking_no"]),
    )

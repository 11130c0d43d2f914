"""From a recorded shipment to the printer-independent waybill."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
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


def child_print_info(mother: str, child: object) -> str:
    """A WeChat Shop child parcel's print data: its SubWaybillIdInfo.print_info (a JSON
    object) merged over the mother's, its fields winning (create_order.html). A
    mother's print data that is no JSON object cannot take the merge: the child's is
    sent as it is; without one of its own a child prints none (never the mother's)."""
    if not isinstance(child, str) or not child:
        return ""
    try:
        base, own = json.loads(mother), json.loads(child)
    except ValueError:
        return child
    if isinstance(base, dict) and isinstance(own, dict):
        return json.dumps(base | own, ensure_ascii=False, separators=(",", ":"))
    return child


def parcels_of(waybill: Waybill, ewaybill: ewaybill_store.Row | None) -> list[Waybill]:
    """The labels of a shipment: one, or for a multi-parcel e-waybill (子母单) the
    mother's (1/N) then each child's (2/N...), a child showing the mother's number and
    its own route label where the carrier gave one (SF). A JD mother's label carries
    its own parcel's number (运单号-1-N), the shipment keeps the 运单号."""
    if ewaybill is None or not ewaybill.sub_waybills:
        return [waybill]
    count = len(ewaybill.sub_waybills) + 1
    routes = ewaybill.print_data.get("childRouteLabels")
    prints = ewaybill.print_data.get("childPrintInfo")
    own = ewaybill.print_data.get("parcelNumber")  # JD: the mother's parcel, 运单号-1-N
    labels = [
        dataclasses.replace(
            waybill,
            parcel_number=1,
            parcel_count=count,
            tracking_number=own if isinstance(own, str) and own else waybill.tracking_number,
        )
    ]
    for number, child in enumerate(ewaybill.sub_waybills, start=2):
        route = routes.get(child) if isinstance(routes, Mapping) else None
        labels.append(
            dataclasses.replace(
                waybill,
                tracking_number=child,
                parcel_number=number,
                parcel_count=count,
                parent_tracking=waybill.tracking_number,
                sf_route=(
                    SfRouteLabel.from_route_label_data(route)
                    if isinstance(route, Mapping)
                    else waybill.sf_route
                ),
                print_info=child_print_info(
                    waybill.print_info, prints.get(child) if isinstance(prints, Mapping) else None
                ),
            )
        )
    return labels


def send_all(printer: Any, jobs: list[Any]) -> Any:
    """Send a shipment's rendered labels in order; the first label's result (a PDF
    printer's path). A failure stops there: the print counts as failed, and printing
    again prints them all."""
    results = [printer.send(job) for job in jobs]
    return results[0]


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


def shipment_waybills(
    db: sqlite_utils.Database, shipment: dict[str, Any], settings: Settings
) -> list[Waybill]:
    """Every label of a recorded shipment: one per parcel of a multi-parcel e-waybill."""
    ewaybill = printed_ewaybill(db, shipment["order_no"], shipment["tracking_no"])
    return parcels_of(_shipment_waybill(db, shipment, settings, ewaybill), ewaybill)


def shipment_waybill(
    db: sqlite_utils.Database, shipment: dict[str, Any], settings: Settings
) -> Waybill:
    """The waybill of a recorded shipment, marked as a reprint once it was printed."""
    ewaybill = printed_ewaybill(db, shipment["order_no"], shipment["tracking_no"])
    return _shipment_waybill(db, shipment, settings, ewaybill)


def _shipment_waybill(
    db: sqlite_utils.Database,
    shipment: dict[str, Any],
    settings: Settings,
    ewaybill: ewaybill_store.Row | None,
) -> Waybill:
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
        ewaybill=ewaybill,
    )

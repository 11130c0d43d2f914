"""Putting the buyer notice (carrier, tracking number, link) on the clipboard after
a shipment, so the packer can paste it into the WeChat chat with the buyer."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QGuiApplication

from station.core.carriers import Carrier
from station.settings import Settings
from station.sync.notice import buyer_notice


def notice_for(
    settings: Settings,
    order_no: str,
    carrier: str,
    tracking_no: str,
    carriers: Mapping[str, Carrier],
) -> str:
    return buyer_notice(
        settings["notice.template"],
        settings["notice.link"],
        order_no,
        carrier,
        tracking_no,
        carriers,
    )


def copy_buyer_notice(
    settings: Settings,
    order_no: str,
    carrier: str,
    tracking_no: str,
    carriers: Mapping[str, Carrier],
) -> str:
    """Copy the notice to the system clipboard; returns the text copied. `carriers`:
    the carrier catalogue, for the carrier's name and tracking URL."""
    text = notice_for(settings, order_no, carrier, tracking_no, carriers)
    QGuiApplication.clipboard().setText(text)
    return text

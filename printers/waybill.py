"""The waybill as data, independent of any printer or layout.

Personal data is masked here, once, so that no renderer can forget it (the rules are
station.core.masking's, shared with the log): GB/T 41833-2022 asks for the recipient's
name and phone to be hidden on the label.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal

from station.core.masking import mask_name, mask_phone


@dataclass(frozen=True)
class Party:
    """A sender or recipient as written on the label."""

    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class ContentLine:
    """One line of the parcel's contents: what and how many."""

    name: str
    quantity: int = 1
    sku: str = ""


@dataclass(frozen=True)
class SfRouteLabel:
    """SF Express's route label (丰密面单) fields, as its create-order API returns them
    in `routeLabelInfo[].routeLabelData` (丰桥 EXP_RECE_CREATE_ORDER, isReturnRoutelabel=1).

    Printed by our own SF layouts; `from_route_label_data` takes the API's dict as is.
    """

    dest_route_label: str = ""
    """destRouteLabel: the destination route label printed large, e.g. '020W-Z069-006'."""
    two_dimension_code: str = ""
    """twoDimensionCode: the QR content, "MMM={'k1':...}"."""
    pro_code: str = ""
    """proCode: the time-limit product code shown in the top right, e.g. 'T4'."""
    pro_name: str = ""
    """proName: the product's name, e.g. '顺丰标快'."""
    coding_mapping: str = ""
    """codingMapping: the inbound mapping code (入港映射码), e.g. 'H7'."""
    coding_mapping_out: str = ""
    """codingMappingOut: the outbound mapping code (出港映射码)."""
    ab_flag: str = ""
    """abFlag: the electronics product icon (A, B or E)."""
    xb_flag: str = ""
    """xbFlag: '1' when the XB mark must be printed."""
    print_flag: str = ""
    """printFlag: nine 0/1 digits; a 1 shows a field 丰密 hides by default: sender name,
    phone, company, address, weight, recipient name, phone, company, address."""
    print_icon: str = ""
    """printIcon: eight 0/1 digits for the service icons."""
    dest_team_code: str = ""
    """destTeamCode: the delivering team (单元区域)."""
    source_transfer_code: str = ""
    """sourceTransferCode: the origin transfer centre."""
    check_code: str = ""

    @classmethod
    def from_route_label_data(cls, data: Mapping[str, object]) -> SfRouteLabel:
        """The label from SF's `routeLabelData` object (camelCase keys; None or
        missing keys become empty)."""
        values = {}
        for f in fields(cls):
            head, *rest = f.name.split("_")
            value = data.get(head + "".join(part.capitalize() for part in rest))
            values[f.name] = "" if value is None else str(value).strip()
        return cls(**values)

    def shows(self, position: int) -> bool:
        """Whether printFlag asks to show field `position` (1-9) that 丰密 hides."""
        flag = self.print_flag
        return len(flag) >= position and flag[position - 1] == "1"


class Template(enum.Enum):
    """Which design a fixed-size label takes, chosen by the data the waybill carries."""

    GENERAL = "general"
    """Our own layout (numbers from a pool or a pre-printed waybill)."""
    CARRIER = "carrier"
    """The carrier's standard one-piece e-waybill: 三段码 / 大头笔 and 集包地 on top."""
    SF_PRIVACY = "sf_privacy"
    """SF's privacy label (丰密面单) with its route label fields."""


@dataclass(frozen=True)
class Waybill:
    """Everything a label shows.

    `station` is the bench's own return address; `sender` is the order's sender
    when the order names one (resellers drop-shipping need their own name on the
    label). `routing_code` is the carrier's 大头笔 / 三段码 when known and
    `bag_code` its 集包地. Weight is in integer grams, the insured value in yuan.

    The e-waybill fields, filled by a waybill provider: `sorting_code` (三段码),
    `package_centre` and `package_centre_code` (集包地 name and code), `sf_route`
    (SF's route label), `qr_content` (the carrier's QR content, else the tracking
    number) and `print_info` (WeChat Shop's print data for the print component).
    Any of the first three switches a fixed-size label to its carrier template.
    A parcel of a multi-parcel shipment (子母单) is `parcel_number` of `parcel_count`,
    its `parent_tracking` the mother waybill's number.
    """

    carrier: str
    tracking_number: str
    recipient: Party
    station: Party
    sender: Party | None = None
    service: str = ""
    routing_code: str = ""
    bag_code: str = ""
    contents: tuple[ContentLine, ...] = ()
    contents_summary: str = ""
    weight_g: int | None = None
    insured_value: Decimal | None = None
    cold_chain: bool = False
    order_number: str = ""
    printed_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    reprint: bool = False
    mask_recipient: bool = True
    sorting_code: str = ""
    package_centre: str = ""
    package_centre_code: str = ""
    sf_route: SfRouteLabel | None = None
    qr_content: str = ""
    print_info: str = ""
    parcel_number: int = 1
    parcel_count: int = 1
    parent_tracking: str = ""

    @property
    def template(self) -> Template:
        if self.sf_route is not None:
            return Template.SF_PRIVACY
        if self.sorting_code or self.package_centre or self.package_centre_code:
            return Template.CARRIER
        return Template.GENERAL

    @property
    def qr_data(self) -> str:
        """What the label's QR code holds: the carrier's content, else the tracking number."""
        return self.qr_content or self.tracking_number

    @property
    def shown_sender(self) -> Party:
        """The sender printed on the label: the order's when given, else the station."""
        return self.sender if self.sender is not None else self.station

    @property
    def shown_recipient(self) -> Party:
        """The recipient with name and phone masked unless masking is switched off."""
        if not self.mask_recipient:
            return self.recipient
        r = self.recipient
        return Party(name=mask_name(r.name), phone=mask_phone(r.phone), address=r.address)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.contents)

    @property
    def summary(self) -> str:
        """The contents in one line: the given summary, else the items with quantities."""
        if self.contents_summary:
            return self.contents_summary
        return "，".join(
            line.name if line.quantity == 1 else f"{line.name}×{line.quantity}"
            for line in self.contents
        )

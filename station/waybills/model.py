"""The e-waybill provider interface (电子面单): what the station asks any provider for,
and what it gets back. Qt-free and I/O-free; the providers live beside it.

A number is taken in two steps so that a retry never takes two numbers for one
parcel: `key()` names the request (WeChat Shop: a fresh `ewaybill_order_id` from
order/precreate; a carrier: our own id for the order and attempt), the caller
stores that key durably, then `take()` asks for the number under that key. After
a timeout or a crash, `look_up(key)` says whether upstream took it before anything
is asked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class State(StrEnum):
    """An e-waybill's life at the station (the `ewaybills.state` column)."""

    REQUESTED = "requested"  # key stored, the number may or may not be taken upstream
    TAKEN = "taken"  # number, sort codes and print data held for the order
    REFUSED = "refused"  # the provider refused: the order is held
    CANCEL_PENDING = "cancel_pending"  # queued cancel, carried out by the cancel worker
    CANCELLED = "cancelled"  # upstream confirmed the cancel
    USED = "used"  # printed on a recorded shipment


class Refusal(StrEnum):
    """Why a provider would not give a number; each holds the order before packing."""

    UNREACHABLE = "unreachable"  # 地址不可达 / 超区
    BALANCE = "balance"  # 余额不足 / no stock of numbers
    BLOCKED = "blocked"  # 禁发 / blocked area or goods
    INVALID = "invalid"  # the request itself is wrong (account, site, order data)
    CREDENTIALS = "credentials"  # token, signature or key refused


REFUSAL_HINTS: dict[Refusal, str] = {
    Refusal.UNREACHABLE: "the carrier does not deliver to this address: choose another "
    "carrier or correct the address",
    Refusal.BALANCE: "the e-waybill account has no numbers left: top it up with the carrier",
    Refusal.BLOCKED: "the carrier refuses this area or these goods: choose another carrier",
    Refusal.INVALID: "the request was refused: check the account settings in waybills.toml",
    Refusal.CREDENTIALS: "the provider refused our credentials: set the secret again "
    "(station waybill secret set NAME)",
}


class Refused(Exception):
    """The provider answered no. Nothing was taken."""

    def __init__(self, kind: Refusal, detail: str):
        super().__init__(f"{detail} ({REFUSAL_HINTS[kind]})")
        self.kind = kind
        self.detail = detail


class Unavailable(Exception):
    """No usable answer. `in_doubt`: the number may have been taken upstream."""

    def __init__(self, reason: str, in_doubt: bool):
        super().__init__(reason)
        self.reason = reason
        self.in_doubt = in_doubt


class AlreadyExists(Exception):
    """Upstream holds a request under this key (WeChat 10025019, SF duplicate orderId)
    but did not say its number: look it up."""


@dataclass(frozen=True)
class Address:
    name: str
    mobile: str
    province: str
    city: str
    county: str
    address: str
    street: str = ""


@dataclass(frozen=True)
class Goods:
    name: str
    count: int
    product_id: str = ""
    sku_id: str = ""


@dataclass(frozen=True)
class WaybillRequest:
    """One parcel's request. `receiver` is what the order gives: for a WeChat Shop
    order the masked data as the shop returned it (never decrypted); `shop_order_id`
    is the shop's order id when the order came from WeChat Shop."""

    order_no: str
    attempt: int
    carrier: str
    service: str
    sender: Address
    receiver: Address
    goods: tuple[Goods, ...]
    shop_order_id: str = ""
    insured_fen: int = 0
    parcels: int = 1  # more than one: a multi-parcel order (子母单) where supported

    @property
    def our_id(self) -> str:
        """Our stable id for this order and attempt: the carrier's order id."""
        return f"{self.order_no}-{self.attempt}"


@dataclass(frozen=True)
class Taken:
    """A number taken for a parcel, with what its label needs."""

    waybill_no: str
    provider_order_id: str
    sort_mark: str = ""  # 大头笔 (SF destRouteLabel, ZTO mark)
    sort_code: str = ""  # 三段码
    package_center: str = ""  # 集包地
    print_data: dict[str, Any] = field(default_factory=dict)
    sub_waybills: tuple[str, ...] = ()  # 子单 of a multi-parcel order


@dataclass(frozen=True)
class Balance:
    provider: str
    account: str
    carrier: str
    available: int | None  # None: the provider does not say (monthly account)


@dataclass(frozen=True)
class Delivery:
    """A carrier opened for e-waybills with a provider (WeChat Shop delivery/get)."""

    carrier: str
    name: str


@dataclass(frozen=True)
class WaybillTemplate:
    """A label template a provider holds for a carrier (WeChat Shop template/get)."""

    carrier: str
    template_id: str
    name: str
    kind: str  # template_type: "single" (一联单)
    default: bool  # the carrier's default template


class Provider(Protocol):
    """What the station needs of an e-waybill provider."""

    name: str
    carriers: tuple[str, ...]

    def serves(self, request: WaybillRequest) -> bool:
        """Whether this provider can issue a number for this request."""
        ...

    def key(self, request: WaybillRequest) -> str:
        """The idempotency key to store before `take` (may call upstream)."""
        ...

    def take(self, request: WaybillRequest, key: str) -> Taken:
        """Take a number under `key`. Raises Refused, Unavailable or AlreadyExists."""
        ...

    def look_up(self, key: str, request: WaybillRequest) -> Taken | None:
        """The number upstream holds under `key`, or None when it took none."""
        ...

    def cancel(self, key: str, waybill_no: str, carrier: str) -> None:
        """Cancel a taken number; an already-cancelled one is fine. Raises Unavailable
        or Refused."""
        ...

    def balances(self) -> list[Balance]: ...

    def close(self) -> None: ...


@runtime_checkable
class Catalogued(Protocol):
    """A provider that can list the carriers opened with it and their label templates
    (WeChat Shop); `station waybill accounts` shows them."""

    name: str
    carriers: tuple[str, ...]

    def deliveries(self) -> list[Delivery]: ...

    def templates(self) -> list[WaybillTemplate]: ...


@runtime_checkable
class AddsParcels(Protocol):
    """A provider that can add parcels to a number already taken (WeChat Shop
    order/addsuborder) instead of a cancel and a new multi-parcel number."""

    def adds_parcels(self, carrier: str) -> bool: ...

    def add_parcels(self, key: str, waybill_no: str, carrier: str, count: int) -> dict[str, str]:
        """Add `count` sub-waybills; the new ones' print data by number."""
        ...

"""Taking e-waybills with other benches (the warehouse hub): one number per order for
the whole warehouse. Prefetch reserves an order before it asks a provider for its
number; when another bench holds the order, its number is copied instead. Qt-free
and I/O-free: the hub's side is station.hub.ewaybill_link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from station.waybills.model import Taken

HUB_NOTE = "hub"  # `ewaybills.note` of a row reserved at the hub (or copied from it)


class CoordinatorOffline(Exception):
    """The hub could not be asked: no number is taken without its word."""


@dataclass(frozen=True)
class Shared:
    """An order's e-waybill as the warehouse holds it."""

    bench: str
    provider: str
    carrier: str
    service: str
    attempt: int
    key: str
    waybill_no: str | None  # None while the bench that holds it is taking it
    label: dict[str, Any] = field(default_factory=dict)

    def taken(self) -> Taken:
        """The number as its bench took it, with what its label needs."""
        assert self.waybill_no is not None, "only a taken number is copied"
        return Taken(
            waybill_no=self.waybill_no,
            provider_order_id=self.key,
            sort_mark=str(self.label.get("sort_mark", "")),
            sort_code=str(self.label.get("sort_code", "")),
            package_center=str(self.label.get("package_center", "")),
            print_data=dict(self.label.get("print_data") or {}),
            sub_waybills=tuple(self.label.get("sub_waybills") or ()),
        )


def label_of(taken: Taken) -> dict[str, Any]:
    """What another bench needs to print a number taken here."""
    return {
        "sort_mark": taken.sort_mark,
        "sort_code": taken.sort_code,
        "package_center": taken.package_center,
        "print_data": taken.print_data,
        "sub_waybills": list(taken.sub_waybills),
    }


class Coordinator(Protocol):
    bench: str

    def reserve(
        self, order_no: str, provider: str, carrier: str, service: str, attempt: int, key: str
    ) -> Shared:
        """Reserve the order under `key`, or the reservation that holds it (ours when its
        bench is ours). Raises CoordinatorOffline."""
        ...

    def publish(self, order_no: str, key: str, taken: Taken) -> bool:
        """The number taken under the reservation; False when it is no longer held.
        Raises CoordinatorOffline."""
        ...

    def release(self, keys: Sequence[str]) -> None:
        """Forget these reservations (numbers cancelled or refused). Raises
        CoordinatorOffline."""
        ...

    def held(self, keys: Sequence[str]) -> set[str]:
        """The keys still reserved. Raises CoordinatorOffline."""
        ...

    def unpublished(self) -> list[tuple[str, str]]:
        """(order, key) of this bench's reservations still without a number.
        Raises CoordinatorOffline."""
        ...

    def close(self) -> None: ...

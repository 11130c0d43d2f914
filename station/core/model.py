"""Orders, products and shipments as the bench sees them: plain immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from station.core.problem_texts import Text


class OrderStatus(StrEnum):
    OPEN = "open"
    HOLD = "hold"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    SHIPPED = "shipped"


class LabelState(StrEnum):
    """A recorded shipment's label (the `label_status` column of shipments): pending
    from the recording until a print ends, then printed, or failed with the reason."""

    PENDING = "pending"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Contact:
    """A person on a label: recipient or sender. The address is kept as typed."""

    name: str
    phone: str
    address: str
    province: str = ""
    city: str = ""
    district: str = ""


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    barcodes: tuple[str, ...] = ()
    weight_g: int | None = None
    learned_weight_g: int | None = None
    category: str = ""
    declared_value_fen: int | None = None
    image: str = ""


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_no: int
    sku: str
    name: str
    quantity: int
    barcodes: tuple[str, ...] = ()
    unit_weight_g: int | None = None
    category: str = ""
    image: str = ""

    def matches(self, code: str) -> bool:
        """True when a scanned code names this line's product (SKU or any barcode).

        Case is ignored: a scanner with Caps Lock on inverts letter case.
        """
        wanted = code.casefold()
        return self.sku.casefold() == wanted or any(b.casefold() == wanted for b in self.barcodes)


@dataclass(frozen=True, slots=True)
class ShippedInfo:
    """What the bench shows when an order that already left is scanned again."""

    shipment_id: int
    recorded_at: str
    packer: str
    station: str
    carrier: str
    tracking_no: str


@dataclass(frozen=True, slots=True)
class Order:
    order_no: str
    status: OrderStatus
    recipient: Contact
    lines: tuple[OrderLine, ...]
    hold_reason: str = ""
    # The hold reason's text by key (for the interface's language); None for an order
    # held before hold reasons had keys: its English `hold_reason` is all there is.
    hold_text: Text | None = None
    buyer_note: str = ""
    carrier: str = ""
    service: str = ""
    sender: Contact | None = None
    order_value_fen: int = 0
    source: str = ""
    shipped: ShippedInfo | None = None
    flags: tuple[str, ...] = field(default=())
    # The flags' texts by key, in the order of `flags` (for the interface's language);
    # None for a flag stored before texts had keys: its English detail is all there is.
    flag_texts: tuple[Text | None, ...] = field(default=())

    @property
    def flag_parts(self) -> list[tuple[str, Text | None]]:
        """Each flag's English with its text by key (None where there is none)."""
        texts = self.flag_texts + (None,) * (len(self.flags) - len(self.flag_texts))
        return list(zip(self.flags, texts, strict=True))

    @property
    def check_words(self) -> tuple[str, ...]:
        """The words of address.check_words (部队, 军区 ...) the order is flagged for."""
        problems = (
            text.params.get("problem")
            for text in self.flag_texts
            if text is not None and text.key == "flag_address"
        )
        return tuple(
            str(problem.params["word"])
            for problem in problems
            if isinstance(problem, Text) and problem.key == "check_word"
        )

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def categories(self) -> tuple[str, ...]:
        """The goods' categories in line order, each once."""
        return tuple(dict.fromkeys(line.category for line in self.lines if line.category))

    @property
    def names(self) -> tuple[str, ...]:
        """The goods' names in line order, each once."""
        return tuple(dict.fromkeys(line.name for line in self.lines if line.name))

    def items_weight_g(self) -> int | None:
        """Sum of item weights, or None when any line's weight is unknown."""
        total = 0
        for line in self.lines:
            if line.unit_weight_g is None:
                return None
            total += line.unit_weight_g * line.quantity
        return total

"""Order files into orders: rows grouped by order number, each row checked.

Several rows with the same order number are one order with several lines (the
same SKU twice becomes one line with both quantities). Order-level columns may
be repeated on every row or left blank after the first; a different value is a
problem. An order with any bad row is rejected whole, so no parcel is packed
with a line missing; its other rows are reported as rejected with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from printers.layout import order_number_fits
from station.core.address import AddressInput
from station.core.model import OrderStatus
from station.core.problem_texts import Text, quoted
from station.importers import cells
from station.importers.gc_pause import gc_paused
from station.importers.mapping import Mapping
from station.importers.problems import RowProblem, parsed_cell
from station.importers.table import Row, Table

T = TypeVar("T")

# Columns that describe the order, not the line: the same on each of its rows.
_ORDER_COLUMNS = (
    "recipient_name",
    "phone",
    "address",
    "province",
    "city",
    "district",
    "detail",
    "house_number",
    "buyer_note",
    "carrier",
    "service",
    "status",
    "refund_status",
    "order_value",
    "ordered_at",
    "payment_no",
    "pick_code",
)
# Conflicting values in these mean two different parcels under one number.
_MUST_AGREE = ("recipient_name", "phone", "address", "province", "city", "district", "detail")

ORDER_NO_EMPTY, NO_RECIPIENT, NO_ADDRESS = (
    Text.of("order_no_empty"),
    Text.of("no_recipient"),
    Text.of("no_address"),
)
SKU_EMPTY = Text.of("sku_empty")


class ImportLine(NamedTuple):
    sku: str
    name: str
    quantity: int
    unit_price_fen: int | None = None


class ImportedOrder(NamedTuple):
    """One order of the file. A named tuple, not a frozen dataclass: an import makes
    100,000 of them and a frozen dataclass takes five times as long to build."""

    order_no: str
    lines: tuple[ImportLine, ...]
    recipient_name: str
    phone: str
    address: AddressInput
    status: OrderStatus
    hold_reason: Text | str | None  # a plain string: a reason typed by a person, no key
    upstream_status: str = ""
    buyer_note: str = ""
    carrier: str = ""
    service: str = ""
    order_value_fen: int = 0
    ordered_at: str | None = None
    payment_no: str = ""
    pick_code: str | None = None
    source_lines: tuple[int, ...] = ()


@dataclass
class OrderPreview:
    orders: list[ImportedOrder] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected_rows: int = 0
    total_rows: int = 0


@gc_paused
def _shortened(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:40]}… ({len(text)} characters)"


def parse_orders(table: Table, mapping: Mapping) -> OrderPreview:
    """Every order the file holds, and every problem with its line and column."""
    mapping.check(table.headers)
    at = {name: table.headers.index(h) for name, h in mapping.columns.items() if h}
    order_columns = [(name, at[name]) for name in _ORDER_COLUMNS if name in at]
    order_no_at = at["order_no"]
    groups: dict[str, list[Row]] = {}
    preview = OrderPreview(total_rows=len(table.rows))
    for row in table.rows:
        order_no = row.get(order_no_at)
        if not order_no:
            problem = RowProblem.of(row.line, mapping.columns["order_no"], ORDER_NO_EMPTY)
            preview.problems.append(problem)
            preview.rejected_rows += 1
            continue
        key = order_no.upper()
        group = groups.get(key)
        if group is None:
            groups[key] = [row]
        else:
            group.append(row)
    for group in groups.values():
        order_no = group[0].get(order_no_at)
        if not order_number_fits(order_no):
            preview.rejected_rows += len(group)
            preview.problems.append(
                RowProblem.of(
                    group[0].line,
                    mapping.columns["order_no"],
                    Text.of("order_no_too_long", text=quoted(_shortened(order_no))),
                )
            )
            continue
        order, problems = _order(order_no, group, at, order_columns, mapping)
        if order is None:
            preview.rejected_rows += len(group)
            preview.problems += problems
        else:
            preview.orders.append(order)
    preview.problems.sort(key=lambda p: p.line)
    return preview


def _order(
    order_no: str,
    rows: list[Row],
    at: dict[str, int],
    order_columns: list[tuple[str, int]],
    mapping: Mapping,
) -> tuple[ImportedOrder | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    first = rows[0]
    # Most orders are one row: its order columns are taken in one go.
    values = {name: first.cells[index] for name, index in order_columns if first.cells[index]}
    first_line = dict.fromkeys(values, first.line)
    lines: dict[str, ImportLine] = {}
    for row in rows:
        found = len(problems)
        if row is not first:
            _merge_order_values(row, order_columns, values, first_line, mapping, problems)
        line = _line(row, at, mapping, problems)
        if line is not None and len(problems) == found:
            key = line.sku.upper()
            known_line = lines.get(key)
            if known_line is not None:
                line = known_line._replace(quantity=known_line.quantity + line.quantity)
            lines[key] = line
    order_line = rows[0].line
    if not values.get("recipient_name"):
        problems.append(RowProblem.of(order_line, mapping.columns["recipient_name"], NO_RECIPIENT))
    if not (values.get("address") or values.get("detail")):
        column = mapping.columns.get("address") or mapping.columns.get("detail", "")
        problems.append(RowProblem.of(order_line, column, NO_ADDRESS))
    order = None
    if not problems:
        order = _assemble(order_no, rows, values, lines, mapping, problems)
    if problems:
        bad = {p.line for p in problems}
        rejected = Text.of("rejected_with_order", line=min(bad))
        problems += [RowProblem.of(r.line, "", rejected) for r in rows if r.line not in bad]
        return None, problems
    return order, []


def _merge_order_values(
    row: Row,
    order_columns: list[tuple[str, int]],
    values: dict[str, str],
    first_line: dict[str, int],
    mapping: Mapping,
    problems: list[RowProblem],
) -> None:
    """A later row of an order: blanks take the order's values, a differing name,
    phone or address is a problem."""
    for name, index in order_columns:
        value = row.cells[index]
        if not value:
            continue
        known = values.get(name)
        if known is None:
            values[name], first_line[name] = value, row.line
        elif name in _MUST_AGREE and value != known:
            problems.append(
                RowProblem.of(
                    row.line,
                    mapping.columns[name],
                    Text.of(
                        "order_value_differs",
                        line=first_line[name],
                        value=quoted(value),
                        known=quoted(known),
                    ),
                )
            )


def _line(
    row: Row, at: dict[str, int], mapping: Mapping, problems: list[RowProblem]
) -> ImportLine | None:
    def cell(name: str) -> str:
        index = at.get(name)
        return "" if index is None else row.cells[index]

    sku = cell("sku")
    if not sku:
        problems.append(RowProblem.of(row.line, mapping.columns["sku"], SKU_EMPTY))
        return None
    try:
        quantity = cells.quantity(cell("quantity"))
    except cells.BadCell as exc:
        problems.append(RowProblem.of(row.line, mapping.columns["quantity"], exc.text))
        return None
    price = None
    if price_text := cell("unit_price"):
        try:
            price = cells.fen(price_text)
        except cells.BadCell as exc:
            problems.append(RowProblem.of(row.line, mapping.columns["unit_price"], exc.text))
            return None
    return ImportLine(sku, cell("product_name") or sku, quantity, price)


def _assemble(
    order_no: str,
    rows: list[Row],
    values: dict[str, str],
    lines: dict[str, ImportLine],
    mapping: Mapping,
    problems: list[RowProblem],
) -> ImportedOrder | None:
    line = rows[0].line
    status, reason = OrderStatus.OPEN, None
    try:
        status, reason = cells.status(values.get("status", ""), values.get("refund_status", ""))
    except cells.BadCell as exc:
        problems.append(RowProblem.of(line, mapping.columns["status"], exc.text))
    value_fen = parsed_cell(values, "order_value", cells.fen, line, mapping.columns, problems)
    ordered_at = parsed_cell(values, "ordered_at", cells.moment, line, mapping.columns, problems)
    if problems:
        return None
    if value_fen is None:
        value_fen = sum((ln.unit_price_fen or 0) * ln.quantity for ln in lines.values())
    detail = values.get("detail", "")
    house = values.get("house_number", "")
    if house and house not in detail:
        detail += house
    province, city, district = (values.get(k, "") for k in ("province", "city", "district"))
    text = values.get("address") or province + city + district + detail
    return ImportedOrder(
        order_no=order_no,
        lines=tuple(lines.values()),
        recipient_name=values["recipient_name"],
        phone=values.get("phone", ""),
        address=AddressInput(text, province, city, district, detail),
        status=status,
        hold_reason=reason,
        upstream_status=" / ".join(
            v for v in (values.get("status", ""), values.get("refund_status", "")) if v
        ),
        buyer_note=values.get("buyer_note", ""),
        carrier=values.get("carrier", "").upper(),
        service=values.get("service", ""),
        order_value_fen=value_fen,
        ordered_at=ordered_at,
        payment_no=values.get("payment_no", ""),
        pick_code=values.get("pick_code") or None,
        source_lines=tuple(r.line for r in rows),
    )

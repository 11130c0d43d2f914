"""Texts found while importing, by key: row problems, order flags and order alerts.

Like the bench's messages (`station.core.messages`), each text has a stable key and
an English source text with `{named}` placeholders. The importers and the address
check make a `Text(key, params)`; the CLI, the logs and the `detail` column of the
database keep its English (`str(text)`), and the interface translates the source
text through Qt (context "problems", extracted by `station/ui/translations.py`)
and fills in the same parameters.

A parameter is a plain value (shown as it is: an order number, a cell's text as
the file has it), or a `Text` itself, translated in turn (the address problem
inside an address flag). A parameter named `field` holds an import field's name
(`order_no`, `sku`): English shows the name, the interface the field's label.

Flags and alerts store the key and the parameters beside the English detail
(`stored` / `from_stored`), and orders their hold reason's beside the English
`hold_reason`; rows written before keys existed have none and are shown by their
English, as before. An unreadable file's `UnreadableFile` carries its text too.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TEXTS: dict[str, str] = {
    # Addresses (station.core.address), shown in address flags.
    "address_unrecognised": "address not recognised: no province, city or district found",
    "province_missing": "province missing or not recognised",
    "city_missing": "city missing or not recognised",
    "district_missing": "district missing or not recognised",
    "district_ambiguous": "{district} exists in several cities: province and city missing",
    "house_number_missing": "house number missing",
    "check_word": "contains {word}: check before shipping",
    "address_typo": "{given} is not an official place name: did you mean {standard}?",
    # Phones (station.core.phone), shown in phone flags.
    "phone_missing": "no phone number: ask the buyer for one (carriers refuse a parcel without)",
    "phone_invalid": "{phone} is not a mobile or landline number: check it with the buyer",
    # Order flags (station.importers.commit), confirmed at the bench.
    "flag_address": "address: {problem}",
    "flag_phone": "phone: {problem}",
    "flag_duplicate_order": (
        "suspected duplicate: same recipient, address and items as {orders} within 24 h"
    ),
    "flag_duplicate_payment": "payment {payment_no} also on order {orders}",
    # Order alerts: upstream withdrew an order that has left (or has its label).
    "alert_withdrawn_shipped": (
        "upstream says {status} but the parcel is already shipped ({tracking_no}): "
        "intercept it with the carrier"
    ),
    "alert_withdrawn_label_printed": (
        "upstream says {status} but the parcel is already label printed ({tracking_no}): "
        "intercept it with the carrier"
    ),
    # The warehouse hub holds two live shipments for one order (two benches offline).
    "alert_double_shipment": (
        "order {order_no} was shipped twice, at the hub: {detail}. Stop both parcels and void one"
    ),
    "upstream_cancelled": "cancelled",
    "ewaybill_refused": "e-waybill refused by {provider}: {reason}",
    "upstream_refunded": "refunded",
    # Row problems of order and product files (station.importers.orders, products, commit).
    "order_no_empty": "order number is empty",
    "order_no_too_long": (
        "order number {text} is too long to print on a 76×130 label: "
        "use the shop's own order number"
    ),
    "order_value_differs": "differs from line {line} of the same order ({value} / {known})",
    "no_recipient": "no recipient",
    "no_address": "no address",
    "rejected_with_order": "rejected with its order (see line {line})",
    "sku_empty": "SKU is empty",
    "name_empty": "name is empty",
    "sku_differs": "SKU {sku} is also on line {line} with other details",
    "barcode_taken": "barcode {barcode} already belongs to SKU {sku}",
    "pick_code_taken": "pick code used by order {order_no}",
    # Cells (station.importers.cells); {text} is the cell as the file has it, quoted.
    "not_a_quantity": "{text} is not a quantity",
    "not_a_whole_quantity": "{text} is not a positive whole quantity",
    "quantity_too_large": "{text} is too large a quantity",
    "not_yuan": "{text} is not an amount in yuan",
    "not_grams": "{text} is not a weight in grams",
    "not_a_moment": "{text} is not a date and time like 2026-11-21 13:29:35",
    "unknown_status": "unknown order status {text}",
    # Column mappings (station.importers.mapping).
    "no_column": "no column for {field}",
    "no_address_column": "no column for address or detail",
    "column_not_in_file": "{field}: column {header} not in the file",
    "give_mapping": "Give a column mapping (--mapping FILE); the file has: {headers}",
    "not_shop_export": (
        "not a WeChat Shop order export: expected columns such as 订单号, 商品编码, 商品数量, "
        "收货人 and 详细地址; the file has: {headers}"
    ),
    "mapping_unreadable": "cannot read mapping {path}: {reason}",
    "mapping_invalid": "mapping {path} is not valid {format}: {reason}",
    "mapping_incomplete": "mapping {path}: needs kind (orders/products) and a columns table",
    "mapping_unknown_fields": "mapping {path}: unknown fields {fields}",
    # Carrier files (station.importers.carriers) and waybill-number files (numbers).
    "empty": "empty",
    "not_a_carrier_code": "{text} is not a carrier code (letters, digits and _, up to 20)",
    "name_zh_empty": "empty: a carrier needs its Chinese name",
    "pattern_empty": "empty: a carrier needs a tracking-number pattern",
    "pattern_invalid": "'{pattern}' is not a valid regular expression: {reason}",
    "pattern_unusable": "'{pattern}' is not a usable regular expression: {reason}",
    "pattern_stray_brace": (
        "'{pattern}' is not a valid regular expression: {brace} at position {position} "
        "is not part of a repetition such as {{12}} or {{12,13}} "
        "(write \\{char} for the character itself)"
    ),
    "services_empty": "empty: a carrier offers at least one service",
    "unknown_service": "unknown service {name} (known: {known})",
    "url_not_http": "{url} does not start with http:// or https://",
    "url_has_space": "{url} has a space in it",
    "url_unknown_placeholder": (
        "unknown placeholder {{{name}}} (use {{tracking_no}} and {{carrier}})"
    ),
    "url_without_tracking_no": "{url} has no {{tracking_no}} for the waybill number",
    "url_unmatched_brace": "{url} has an unmatched {{ or }}",
    "not_yes_or_no": "{text} is not yes or no",
    "carrier_twice": "carrier {code} is also on line {line}",
    "new_carrier_needs_name_zh": "{code} is a new carrier: give its Chinese name (name_zh)",
    "new_carrier_needs_pattern": (
        "{code} is a new carrier: give its tracking-number pattern (pattern)"
    ),
    "not_a_waybill_number": "{number} is not a {carrier} waybill number",
    "waybill_too_long": "{length} characters: longer than any waybill number",
    # Files that cannot be read at all (station.importers.table, numbers, carriers);
    # {reason} is the system's or the reader's own words.
    "file_cannot_read": "cannot read {path}: {reason}",
    "file_empty": "the file is empty",
    "file_is_database": (
        "{path} is the station's own database, not a file to import: choose the exported file"
    ),
    "file_bad_utf8": "starts as UTF-8 but byte {position} is not UTF-8",
    "file_not_text": (
        "not a text file in UTF-8 or GBK/GB18030 (byte {position}); "
        "save it from Excel as CSV or XLSX"
    ),
    "file_nul_not_csv": "the file holds NUL bytes: it is not a CSV text file",
    "file_nul_not_text": "the file holds NUL bytes: it is not a text file",
    "file_bad_csv": "line {line}: not valid CSV ({reason})",
    "file_bad_xlsx": "not a readable XLSX workbook ({reason})",
    "file_damaged_xlsx": "the XLSX workbook is damaged ({reason})",
    "file_no_header": "no header row: the first row must name the columns",
    "file_is_folder": "a folder, not a file",
    "file_not_regular": (
        "not a regular file (a device, a pipe or a socket): save the data to a file and import that"
    ),
    "file_too_large": (
        "the file is {size} MB, more than the {limit} MB allowed "
        "(setting import.max_file_mb): split it"
    ),
    "file_unzips_too_large": (
        "the XLSX unpacks to {size} MB, more than the {limit} MB allowed "
        "(setting import.max_unzipped_mb): save it again from Excel, or as CSV"
    ),
    "file_too_many_rows": ("more than {limit} rows (setting import.max_rows): split the file"),
    "file_too_many_columns": "more than {limit} columns: is this the right file?",
    "file_too_many_cells": "more than {limit} cells: split the file",
    "file_line_too_long": (
        "line {line} is longer than {limit} characters: not a table of orders or products"
    ),
    "carrier_columns_same": "columns {first} and {second} both mean {column}",
    "carrier_no_code_column": (
        "no code column: the first row must name the columns ({columns} or their Chinese labels)"
    ),
    # Hold reasons of orders (orders.hold_key): why the bench refuses to pack one.
    # {status} is upstream's own status text, {reason} a supervisor's, both as typed.
    "hold_not_paid": "not paid yet upstream ({status})",
    "hold_shipped_upstream": "already shipped upstream ({status})",
    "hold_completed_upstream": "already completed upstream ({status})",
    "hold_cancelled_upstream": "cancelled upstream ({status})",
    "hold_on_hold_upstream": "on hold upstream ({status})",
    "hold_refunded_upstream": "refunded upstream ({status})",
    "hold_refund_upstream": "refund upstream: {refund}",
    "hold_voided": "voided: {reason}",
    "hold_at_bench": "held at {station} by {packer}",
    "hold_shop_cancelled": "cancelled in WeChat Shop (status {status})",
    "hold_shop_shipped": "already shipped in WeChat Shop (status {status})",
    "hold_shipped_after_backup": (
        "shipped after the backup; check upstream state first (waybill {tracking_no}, "
        "backup of {since})"
    ),
}

LIST_SEPARATOR = "; "
"""Between the texts of a list (an order's flags, a mapping's problems), in English."""


def placeholders(source: str) -> frozenset[str]:
    """The names of a source text's `{named}` placeholders."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(source) if name)


PLACEHOLDERS: dict[str, frozenset[str]] = {key: placeholders(t) for key, t in TEXTS.items()}


@dataclass(frozen=True, slots=True)
class Text:
    """One text by key, with its parameters. `str()` is the English."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def english(self) -> str:
        return TEXTS[self.key].format(**{name: str(v) for name, v in self.params.items()})

    __str__ = english

    def __hash__(self) -> int:
        # By value, as before texts had keys: a flag or row problem holding one stays
        # hashable although its parameters are a mapping.
        return hash((self.key, tuple(sorted((k, str(v)) for k, v in self.params.items()))))

    @classmethod
    def of(cls, key: str, **params: Param) -> Text:
        """The text `key` with exactly the parameters its source text names."""
        wanted = PLACEHOLDERS.get(key)
        if wanted is None:
            raise KeyError(f"no problem text for {key!r}")
        if params.keys() != wanted:
            raise TypeError(f"{key!r} takes {sorted(wanted)}, not {sorted(params)}")
        return cls(key, params)


Param = str | int | Text


class Shown(str):
    """A bench message's parameter made of stored texts (an order's flags, an alert's
    detail, a hold reason): the English as stored, joined by LIST_SEPARATOR, and the
    keyed text behind each part (None for one stored before texts had keys, or typed
    as is), from which the interface shows it in its language. Being the English
    string, it is what the CLI, the logs and `Message.english()` see."""

    parts: tuple[tuple[str, Text | None], ...]

    def __new__(cls, parts: Sequence[tuple[str, Text | None]]) -> Shown:
        shown = super().__new__(cls, LIST_SEPARATOR.join(english for english, _ in parts))
        shown.parts = tuple(parts)
        return shown


def quoted(value: str) -> str:
    """A cell's text as a parameter: quoted as Python shows it, so blanks show."""
    return repr(value)


# The texts without parameters, made once: an import may need one for many orders.
HOUSE_NUMBER_MISSING = Text.of("house_number_missing")
ADDRESS_UNRECOGNISED = Text.of("address_unrecognised")
PART_MISSING = {
    "province": Text.of("province_missing"),
    "city": Text.of("city_missing"),
    "district": Text.of("district_missing"),
}


# -- storing a text beside its English detail ---------------------------------------


def stored(value: Text | None) -> tuple[str, str]:
    """(text_key, params) columns for a text; ('', '{}') for none."""
    if value is None:
        return "", "{}"
    return value.key, json.dumps(_encoded(value.params), ensure_ascii=False, sort_keys=True)


def from_stored(key: str, params: str) -> Text | None:
    """The text of a stored row; None when it has none, or one this version does not
    know (a newer station wrote it) or cannot fill in: then its detail is shown."""
    if not key:
        return None
    try:
        return _decoded(key, json.loads(params or "{}"))
    except (ValueError, TypeError, KeyError):
        return None


def _encoded(params: Mapping[str, Param]) -> dict[str, Any]:
    return {
        name: {"key": v.key, "params": _encoded(v.params)} if isinstance(v, Text) else v
        for name, v in params.items()
    }


def _decoded(key: str, params: Any) -> Text:
    if not isinstance(params, dict):
        raise TypeError("parameters are not an object")
    values: dict[str, Param] = {}
    for name, value in params.items():
        if isinstance(value, dict):
            values[name] = _decoded(value["key"], value.get("params", {}))
        elif isinstance(value, str | int) and not isinstance(value, bool):
            values[name] = value
        else:
            raise TypeError(f"parameter {name} is neither a text nor a value")
    return Text.of(key, **values)

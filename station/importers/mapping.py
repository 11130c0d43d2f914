"""Which column of a file holds which field: the WeChat Shop export, or a saved mapping.

A mapping file is JSON or TOML:

    format = "generic"
    kind = "orders"            # or "products"
    [columns]
    order_no = "单号"
    sku = "商家编码"
    ...

The WeChat Shop (微信小店) export is recognised by its headers. No official
template is published, so each field accepts the header names seen in the shop's
back office and the API's own field names (order_id, sku_code, sku_cnt, ...).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from station.core.bad_input import BadInput
from station.core.problem_texts import LIST_SEPARATOR, Text
from station.importers.table import DATABASE_FILES, UnreadableFile, read_file

ORDERS, PRODUCTS = "orders", "products"
WECHAT_SHOP, GENERIC = "wechat-shop", "generic"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    required: bool = False


ORDER_FIELDS: tuple[Field, ...] = (
    Field("order_no", "Order number", required=True),
    Field("sku", "SKU", required=True),
    Field("quantity", "Quantity", required=True),
    Field("product_name", "Product name"),
    Field("unit_price", "Unit price (yuan)"),
    Field("recipient_name", "Recipient", required=True),
    Field("phone", "Phone"),
    Field("address", "Full address"),
    Field("province", "Province"),
    Field("city", "City"),
    Field("district", "District"),
    Field("detail", "Street and house number"),
    Field("house_number", "House number"),
    Field("buyer_note", "Buyer note"),
    Field("carrier", "Carrier code"),
    Field("service", "Service"),
    Field("status", "Order status"),
    Field("refund_status", "Refund / after-sale status"),
    Field("order_value", "Order value (yuan)"),
    Field("ordered_at", "Order time"),
    Field("payment_no", "Payment number"),
    Field("pick_code", "Pick-list code"),
)

PRODUCT_FIELDS: tuple[Field, ...] = (
    Field("sku", "SKU", required=True),
    Field("name", "Name", required=True),
    Field("barcodes", "Barcodes"),
    Field("weight_g", "Weight (g)"),
    Field("category", "Category"),
    Field("declared_value", "Declared value (yuan)"),
    Field("image", "Image"),
)

FIELDS = {ORDERS: ORDER_FIELDS, PRODUCTS: PRODUCT_FIELDS}

WECHAT_SHOP_HEADERS: dict[str, tuple[str, ...]] = {
    "order_no": ("订单号", "订单编号", "order_id"),
    "sku": ("商品编码", "SKU编码", "sku编码", "商家编码", "规格编码", "sku_code"),
    "quantity": ("商品数量", "数量", "购买数量", "sku_cnt"),
    "product_name": ("商品名称", "商品标题", "title"),
    "unit_price": ("商品单价", "商品价格", "单价", "sale_price"),
    "recipient_name": ("收货人", "收件人", "收货人姓名", "收件人姓名", "user_name"),
    "phone": ("收货人手机号", "收货人电话", "联系电话", "手机号", "收件人电话", "tel_number"),
    "address": ("收货地址", "完整地址", "收件地址"),
    "province": ("省", "省份", "收货人省份", "province_name"),
    "city": ("市", "城市", "收货人城市", "city_name"),
    "district": ("区", "区县", "收货人区县", "county_name"),
    "detail": ("详细地址", "收货人详细地址", "detail_info"),
    "house_number": ("门牌号", "house_number"),
    "buyer_note": ("买家留言", "用户备注", "买家备注", "customer_notes"),
    "status": ("订单状态", "status"),
    "refund_status": ("售后状态", "退款状态"),
    "order_value": ("订单实付金额", "实付金额", "订单金额", "order_price"),
    "ordered_at": ("下单时间", "创建时间", "create_time"),
    "payment_no": ("支付单号", "交易单号", "微信支付单号", "transaction_id"),
    "carrier": ("快递公司编码", "delivery_id"),
}


class MappingError(BadInput):
    """What is wrong with a mapping: `texts` (joined by "; "), then an optional `hint`
    after a full stop. `str()` is the English; the interface translates the texts."""

    def __init__(self, *texts: Text, hint: Text | None = None):
        english = LIST_SEPARATOR.join(map(str, texts))
        super().__init__(f"{english}. {hint}" if hint is not None else english)
        self.texts = texts
        self.hint = hint


@dataclass(frozen=True)
class Mapping:
    """Field name -> column header, for one kind of file."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    format: str = GENERIC

    def missing(self) -> list[str]:
        """Required fields with no column; for orders, an address column too."""
        absent = [f.name for f in FIELDS[self.kind] if f.required and not self.columns.get(f.name)]
        if self.kind == ORDERS and not (self.columns.get("address") or self.columns.get("detail")):
            absent.append("address or detail")
        return absent

    def check(self, headers: tuple[str, ...]) -> None:
        """Raise MappingError when a required field or a named column is missing."""
        problems = [_no_column(name) for name in self.missing()]
        problems += [
            Text.of("column_not_in_file", field=name, header=repr(header))
            for name, header in self.columns.items()
            if header and header not in headers
        ]
        if problems:
            raise MappingError(*problems)


def _no_column(name: str) -> Text:
    if name == "address or detail":
        return Text.of("no_address_column")
    return Text.of("no_column", field=name)


def wechat_shop_mapping(headers: tuple[str, ...], kind: str = ORDERS) -> Mapping | None:
    """The WeChat Shop mapping when the headers look like its order export, else None."""
    if kind != ORDERS:
        return None
    found = _by_aliases(headers, WECHAT_SHOP_HEADERS)
    mapping = Mapping(ORDERS, found, WECHAT_SHOP)
    return mapping if not mapping.missing() else None


def guess_mapping(headers: tuple[str, ...], kind: str) -> Mapping:
    """A starting point for a generic file: exact field names, labels or shop headers."""
    aliases = {
        f.name: (f.name, f.label, *WECHAT_SHOP_HEADERS.get(f.name, ())) for f in FIELDS[kind]
    }
    return Mapping(kind, _by_aliases(headers, aliases), GENERIC)


def _by_aliases(headers: tuple[str, ...], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    folded = {h.strip().casefold(): h for h in headers if h.strip()}
    found = {}
    for name, names in aliases.items():
        header = next((folded[a.casefold()] for a in names if a.casefold() in folded), None)
        if header is not None:
            found[name] = header
    return found


MAX_MAPPING_BYTES = 1024 * 1024
"""A mapping names a few dozen columns: a bigger file is not one."""


def load_mapping(path: Path | str) -> Mapping:
    path = Path(path)
    if path.resolve().name in DATABASE_FILES:  # never opened: see read_file
        raise MappingError(Text.of("file_is_database", path=str(path)))
    try:
        text = read_file(path, MAX_MAPPING_BYTES).decode("utf-8-sig")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise MappingError(Text.of("mapping_unreadable", path=str(path), reason=str(exc))) from exc
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MappingError(
            Text.of(
                "mapping_invalid",
                path=str(path),
                format=path.suffix[1:].upper(),
                reason=str(exc),
            )
        ) from exc
    if not isinstance(data, dict):
        raise MappingError(Text.of("mapping_incomplete", path=str(path)))
    kind = data.get("kind", ORDERS)
    columns = data.get("columns")
    if not isinstance(kind, str) or kind not in FIELDS or not isinstance(columns, dict):
        raise MappingError(Text.of("mapping_incomplete", path=str(path)))
    known = {f.name for f in FIELDS[kind]}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise MappingError(
            Text.of("mapping_unknown_fields", path=str(path), fields=", ".join(unknown))
        )
    return Mapping(kind, {k: str(v) for k, v in columns.items() if v}, GENERIC)


def save_mapping(path: Path | str, mapping: Mapping) -> None:
    path = Path(path)
    data = {"format": GENERIC, "kind": mapping.kind, "columns": dict(mapping.columns)}
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".toml":
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def saved_mappings(folder: Path) -> dict[str, Path]:
    """Saved mappings in the data folder's `mappings/`, by name."""
    directory = folder / "mappings"
    if not directory.is_dir():
        return {}
    return {
        p.stem: p for p in sorted(directory.iterdir()) if p.suffix.lower() in (".json", ".toml")
    }


FORMATS = ("auto", WECHAT_SHOP, GENERIC)


def choose_mapping(
    headers: tuple[str, ...], kind: str, fmt: str = "auto", mapping: Mapping | None = None
) -> Mapping:
    """The mapping to read a file with: a given mapping wins; `auto` recognises the
    WeChat Shop export, else falls back to guessing generic columns. Raises
    MappingError naming what is missing and the columns the file has."""
    if mapping is not None:
        chosen = mapping
    elif fmt in ("auto", WECHAT_SHOP) and (shop := wechat_shop_mapping(headers, kind)):
        chosen = shop
    elif fmt == WECHAT_SHOP:
        raise MappingError(Text.of("not_shop_export", headers=", ".join(h for h in headers if h)))
    else:
        chosen = guess_mapping(headers, kind)
    try:
        chosen.check(headers)
    except MappingError as exc:
        raise MappingError(
            *exc.texts,
            hint=Text.of("give_mapping", headers=", ".join(h for h in headers if h)),
        ) from None
    return chosen

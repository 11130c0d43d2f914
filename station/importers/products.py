"""Product files into products: SKU, barcodes, name, weight, category, value, image.

Several rows with the same SKU are one product: their barcodes add up (some
catalogues list one barcode per row); their other columns must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from station.core.model import Product
from station.core.problem_texts import Text
from station.importers import cells
from station.importers.mapping import Mapping
from station.importers.problems import RowProblem, parsed_cell
from station.importers.table import Table

_BARCODE_SEPARATORS = re.compile(r"[,;|/、，；\s]+")


@dataclass
class ProductPreview:
    products: list[Product] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected_rows: int = 0
    total_rows: int = 0


def parse_products(table: Table, mapping: Mapping) -> ProductPreview:
    mapping.check(table.headers)
    index = {name: table.headers.index(h) for name, h in mapping.columns.items() if h}
    preview = ProductPreview(total_rows=len(table.rows))
    by_sku: dict[str, Product] = {}
    first_line: dict[str, int] = {}
    barcode_owner: dict[str, str] = {}
    for row in table.rows:
        cell = {name: row.get(i) for name, i in index.items()}
        problems: list[RowProblem] = []
        product = _product(row.line, cell, mapping, problems)
        if product is not None:
            key = product.sku.upper()
            known = by_sku.get(key)
            if known is not None and _differs(known, product):
                problems.append(
                    RowProblem.of(
                        row.line,
                        mapping.columns["sku"],
                        Text.of("sku_differs", sku=product.sku, line=first_line[key]),
                    )
                )
            for barcode in product.barcodes:
                owner = barcode_owner.get(barcode.upper())
                if owner is not None and owner != key:
                    problems.append(
                        RowProblem.of(
                            row.line,
                            mapping.columns.get("barcodes", ""),
                            Text.of("barcode_taken", barcode=barcode, sku=owner),
                        )
                    )
        if problems or product is None:
            preview.problems += problems
            preview.rejected_rows += 1
            continue
        for barcode in product.barcodes:
            barcode_owner[barcode.upper()] = key
        if known is None:
            by_sku[key], first_line[key] = product, row.line
        else:
            merged = tuple(dict.fromkeys(known.barcodes + product.barcodes))
            by_sku[key] = Product(**{**_fields(known), "barcodes": merged})
    preview.products = list(by_sku.values())
    return preview


def _product(
    line: int, cell: dict[str, str], mapping: Mapping, problems: list[RowProblem]
) -> Product | None:
    sku, name = cell.get("sku", ""), cell.get("name", "")
    if not sku:
        problems.append(RowProblem.of(line, mapping.columns["sku"], Text.of("sku_empty")))
    if not name:
        problems.append(RowProblem.of(line, mapping.columns["name"], Text.of("name_empty")))
    weight = parsed_cell(cell, "weight_g", cells.grams, line, mapping.columns, problems)
    value = parsed_cell(cell, "declared_value", cells.fen, line, mapping.columns, problems)
    if problems:
        return None
    barcodes = tuple(
        dict.fromkeys(b for b in _BARCODE_SEPARATORS.split(cell.get("barcodes", "")) if b)
    )
    return Product(
        sku=sku,
        name=name,
        barcodes=barcodes,
        weight_g=weight,
        category=cell.get("category", ""),
        declared_value_fen=value,
        image=cell.get("image", ""),
    )


def _fields(product: Product) -> dict[str, Any]:
    return {f: getattr(product, f) for f in Product.__slots__}


def _differs(a: Product, b: Product) -> bool:
    return (a.name, a.weight_g, a.category, a.declared_value_fen, a.image) != (
        b.name,
        b.weight_g,
        b.category,
        b.declared_value_fen,
        b.image,
    )

"""`station orders list [--status S] [--flagged] [--json]` and `station orders show NO
[--json]` on the demo database: masked, flags shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlite_utils

from station.cli import main
from station.store.orders import find_order


def station(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_list_flagged_orders_as_json(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    assert station(data_dir, "orders", "list", "--flagged", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(o["order_no"] for o in listed) == [
        "WX20261121000022",
        "WX20261121000023",
        "WX20261121000024",
    ]
    phone = next(o for o in listed if o["order_no"] == "WX20261121000023")
    (flag,) = phone["flags"]
    assert re.fullmatch(
        r"phone: \*{19}\d{3}0 is not a mobile or landline number: check it with the buyer", flag
    )
    assert set(phone) >= {"status", "recipient", "phone", "place", "items", "order_value"}


def test_list_by_status_in_text_masks_people(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    assert station(data_dir, "orders", "list", "--status", "cancelled") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "3 orders"
    first = find_order(demo_db, out[0].split()[0])
    assert first is not None and first.status.value == "cancelled"
    assert first.recipient.name not in "\n".join(out)
    assert first.recipient.phone not in "\n".join(out)
    assert f"{first.recipient.phone[:3]}****{first.recipient.phone[-4:]}" in out[0]


def test_show_an_order_masked_with_its_lines_and_flags(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    order = find_order(demo_db, "WX20261121000024")
    assert order is not None
    assert station(data_dir, "orders", "show", "WX20261121000024") == 0
    out = capsys.readouterr().out
    assert "FLAG: address: contains 部队: check before shipping" in out
    assert f"line: {order.lines[0].sku}" in out
    assert order.recipient.name not in out and "营区3号楼" not in out
    assert station(data_dir, "orders", "show", "WX20261121000024", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["order_no"] == "WX20261121000024" and shown["shipment"] is None
    assert shown["lines"][0]["quantity"] == order.lines[0].quantity


def test_show_an_unknown_order_says_so(demo_db: sqlite_utils.Database, data_dir: Path, capsys):
    assert station(data_dir, "orders", "show", "NOPE") == 4
    assert "no order NOPE" in capsys.readouterr().out


def test_a_bad_status_is_refused(data_dir: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        station(data_dir, "orders", "list", "--status", "lost")
    assert exited.value.code == 2

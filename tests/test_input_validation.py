"""Issue 17's validation gaps: each input is refused where it is given, with a
message, instead of being accepted and failing later (or never)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printers.errors import PrinterError
from printers.layout import SAFE_ORDER_NUMBER_LENGTH, build, order_number_fits
from printers.sample import sample_waybill
from station.cli import main
from station.core.rates import DEFAULT_RATES
from station.store import orders, users
from station.store.db import DB_FILE, connect
from tests.hostile_corpus import long_pool_line

HEADER = "订单号,商品编码,商品数量,收货人,收货人手机号,详细地址\n"
ROW = "{no},CUP,1,张三,13812345678,浙江省杭州市西湖区文三路1号\n"


def station(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


@pytest.mark.parametrize("name", ["", "   ", "x" * 100_000, "li\nsi", "\x1b[2Jboss"])
def test_users_add_refuses_blank_huge_and_control_names(data_dir: Path, name: str, capsys) -> None:
    code = station(
        data_dir,
        "users",
        "add",
        "--technician",
        "--name",
        name,
        "--role",
        "packer",
        "--pin",
        "5555",
    )
    assert code == 2
    assert "user name" in capsys.readouterr().err
    db = connect(data_dir / DB_FILE)
    try:
        assert users.accounts(db) == []
    finally:
        db.close()


def test_orders_import_refuses_order_numbers_no_label_can_print(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    wechat_shop, mini_program = "3712345678901234567", "WX20251121" + "0" * 22
    numbers = [wechat_shop, mini_program, "W" * 300, "9" * 10_000]
    file = tmp_path / "orders.csv"
    file.write_text(HEADER + "".join(ROW.format(no=n) for n in numbers), encoding="utf-8")
    assert station(data_dir, "orders", "import", str(file)) == 1
    out = capsys.readouterr().out
    assert "imported: 2" in out and "rejected rows: 2" in out
    assert "line 4" in out and "line 5" in out and "(10000 characters)" in out
    db = connect(data_dir / DB_FILE)
    try:
        assert orders.find_order(db, wechat_shop) is not None
        assert orders.find_order(db, mini_program) is not None
        assert orders.find_order(db, "W" * 300) is None
    finally:
        db.close()


order_numbers = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(str.strip)


@given(order_numbers)
def test_an_order_number_fits_exactly_when_the_label_builds(order_no: str) -> None:
    """The import's check and the label agree: what is accepted prints, what is
    refused would have failed at the label."""
    waybill = dataclasses.replace(sample_waybill(), order_number=order_no)
    try:
        build(waybill, "76x130")
        built = True
    except PrinterError as exc:
        assert exc.code == "no_fit"
        built = False
    assert order_number_fits(order_no) == built


def test_the_safe_length_fits_the_widest_letters() -> None:
    for letter in "WM@%":
        waybill = dataclasses.replace(
            sample_waybill(), order_number=letter * SAFE_ORDER_NUMBER_LENGTH
        )
        build(waybill, "76x130")


def test_a_negative_weight_is_never_priced(data_dir: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        station(data_dir, "route", "WX1", "--weight", "-5")
    assert exited.value.code == 2
    assert "no parcel weight" in capsys.readouterr().err
    with pytest.raises(ValueError, match="cannot weigh"):
        DEFAULT_RATES[0].cost_fen(-5)


def test_manifest_for_an_unknown_carrier_is_refused_and_writes_nothing(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "m.csv"
    assert station(data_dir, "report", "manifest", "--carrier", "NOPE", "--out", str(out)) == 2
    assert "unknown carrier 'NOPE'" in capsys.readouterr().err
    assert not out.exists()


def test_demo_refuses_a_negative_order_count(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        station(tmp_path / "demo", "demo", "--orders", "-5", "--no-gui")
    assert exited.value.code == 2
    assert "give 0 to" in capsys.readouterr().err


def test_print_test_refuses_a_pdf_folder_whose_parent_is_missing(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "a" / "b"
    assert station(data_dir, "print", "test", "--printer", f"pdf:{target}") == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_db_backup_refuses_a_missing_folder(data_dir: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "a" / "b" / "x.db"
    assert station(data_dir, "db", "backup", str(target)) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_a_pool_line_over_the_csv_field_limit_is_a_row_problem(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    """It was `field larger than field limit` and a traceback."""
    file = long_pool_line(tmp_path)
    assert station(data_dir, "pool", "import", "--technician", "--carrier", "ZTO", str(file)) == 1
    out = capsys.readouterr().out
    assert "added 1" in out and "line 1: 300000 characters: longer than any waybill" in out

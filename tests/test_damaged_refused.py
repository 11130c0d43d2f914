"""Issue 12: a database `station db check` calls damaged is never written to by a
command; a file cut short or overwritten gets a plain message, never a traceback."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from multiprocess import station
from test_db_check import closed, damage_table, files_digest

from station.cli import main
from station.store.backup import backup_now

ORDERS_CSV = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,订单状态\n"
    "D1,CUP-350,保温杯,1,39.90,张三,13812345678,广东省,深圳市,南山区,科技园1栋101,待发货\n"
)


def _write_inputs(folder: Path) -> None:
    (folder / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    (folder / "products.csv").write_text(
        "sku,name,barcode,weight_g\nNEW-1,新品,6901234567892,100\n"
    )
    (folder / "zto.csv").write_text("73567696590001\n73567696590002\n")
    (folder / "carriers.csv").write_text("code,name_en\nSTO,Shentong\n")
    (folder / "rates.csv").write_text(
        "carrier,service,province,first_weight_g,first_fen,extra_step_g,extra_fen\n"
    )


def _writes(folder: Path) -> dict[str, list[str]]:
    """Every command that writes to the database, with arguments that would write
    (input files from `_write_inputs`)."""
    orders, products, numbers = folder / "orders.csv", folder / "products.csv", folder / "zto.csv"
    carriers, rates = folder / "carriers.csv", folder / "rates.csv"
    return {
        "orders import": ["orders", "import", str(orders)],
        "products import": ["products", "import", str(products)],
        "pool import": ["pool", "import", "--carrier", "ZTO", str(numbers)],
        "carriers set": ["carriers", "set", "ZTO", "--name-en", "Zhongtong"],
        "carriers import": ["carriers", "import", str(carriers)],
        "carriers rates import": ["carriers", "rates", "import", str(rates)],
        "route --import-rates": ["route", "--import-rates", str(rates)],
        "users add": ["users", "add", "--name", "li", "--role", "packer", "--pin", "2468"],
        "users disable": ["users", "disable", "--name", "supervisor"],
        "print label": ["print", "label", "WX20261121000001", "--printer", f"pdf:{folder}"],
        "sync retry": ["sync", "retry", "1", "--target", "webhook"],
        "sync dismiss": [
            "sync",
            "dismiss",
            "1",
            "--target",
            "webhook",
            "--technician",
            "--reason",
            "y",
        ],
        "sync run --once": ["sync", "run", "--once"],
        "db purge": ["db", "purge"],
    }


@pytest.fixture
def damaged(demo_db: sqlite_utils.Database, data_dir: Path) -> Path:
    """A demo database whose orders table `db check` calls damaged, with a backup."""
    backup_now(demo_db, data_dir / "backups", keep=3)
    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    return path


@pytest.mark.parametrize(
    "command",
    sorted(_writes(Path("/unused"))),
)
def test_every_writing_command_refuses_a_damaged_database(
    damaged: Path, data_dir: Path, tmp_path: Path, command: str, capsys
) -> None:
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1
    capsys.readouterr()
    before = files_digest(data_dir)
    _write_inputs(tmp_path)
    args = _writes(tmp_path)[command]
    with pytest.raises(SystemExit) as stopped:
        main(["--data-dir", str(data_dir), *args])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "nothing was written" in err
    assert "station db restore" in err and "backups" in err
    assert files_digest(data_dir) == before


def test_a_reading_command_refuses_a_file_cut_short_in_plain_words(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    path = closed(demo_db, data_dir)
    os.truncate(path, path.stat().st_size // 2)
    done = station(data_dir, "pool", "status")
    assert done.returncode == 2
    assert "is damaged" in done.stderr and "Traceback" not in done.stderr


def test_a_reading_command_pays_only_the_open_check(damaged: Path, data_dir: Path) -> None:
    """Reading commands check the header and schema only; `db check` and the
    writing commands read the whole file."""
    before = files_digest(data_dir)
    assert main(["--data-dir", str(data_dir), "carriers", "list"]) == 0
    assert files_digest(data_dir) == before


def test_a_busy_database_is_not_called_damaged(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    """A file another connection holds exclusively cannot be read for a while; calling
    that damage would stop a bench and refuse every command for nothing."""
    from station.store.integrity import check_file, quick_open_check

    path = closed(demo_db, data_dir)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for verdict in (quick_open_check(path), check_file(path, full=False)):
            assert not verdict.ok and not verdict.damaged, verdict
    finally:
        holder.execute("ROLLBACK")
        holder.close()

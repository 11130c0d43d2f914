"""Buyers' notes are encrypted at rest like names and addresses: in the database, its
WAL and its backups no note is found in clear (a `strings`-like scan of the files,
read only after every connection to them is closed)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from station.cli import main
from station.core.model import Contact
from station.store import migrations
from station.store.crypto import is_sealed
from station.store.db import DB_FILE, connect, transaction
from station.store.orders import NewLine, find_order, save_order
from tests.test_ui_problem_texts import database_before

NOTE = "电话13912345678 放文三路478号门卫"
WHO = Contact("张三", "13812345678", "浙江省杭州市西湖区文三路90号", "浙江省", "杭州市")


def stored_note(db: sqlite_utils.Database, order_no: str) -> str:
    return db.execute("SELECT buyer_note FROM orders WHERE order_no = ?", [order_no]).fetchone()[0]


def files_hold(folder: Path, secret: str) -> list[str]:
    """The files under `folder` whose bytes contain `secret` (UTF-8 or its parts)."""
    needles = [secret.encode(), "文三路478号".encode(), b"13912345678"]
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and any(n in p.read_bytes() for n in needles)
    )


def test_a_saved_note_is_sealed_and_read_back(db: sqlite_utils.Database) -> None:
    with transaction(db):
        save_order(db, "N1", WHO, [NewLine("X", "x", 1)], buyer_note=NOTE)
    assert is_sealed(stored_note(db, "N1"))
    assert find_order(db, "N1").buyer_note == NOTE


def test_an_imported_note_is_sealed(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "orders.csv"
    file.write_text(
        "订单号,商品编码,商品数量,收货人,手机号,详细地址,买家留言\n"
        f"N2,CUP,1,张三,13812345678,浙江省杭州市西湖区文三路90号,{NOTE}\n"
        "N3,CUP,1,李四,13812345679,浙江省杭州市西湖区文三路91号,\n",
        encoding="utf-8",
    )
    assert main(["--data-dir", str(data_dir), "orders", "import", str(file)]) == 0
    db = connect(data_dir / DB_FILE)
    assert is_sealed(stored_note(db, "N2")) and stored_note(db, "N3") == ""
    assert find_order(db, "N2").buyer_note == NOTE
    db.close()
    assert files_hold(data_dir, NOTE) == []


def test_the_migration_seals_old_notes_and_no_file_or_backup_keeps_them(
    data_dir: Path, tmp_path: Path
) -> None:
    path = data_dir / DB_FILE
    old = database_before(path, migrations._sealed_buyer_notes)
    with transaction(old):
        save_order(old, "OLD1", WHO, [NewLine("X", "x", 1)])
    old.execute("UPDATE orders SET buyer_note = ? WHERE order_no = 'OLD1'", [NOTE])
    old.close()
    assert files_hold(data_dir, NOTE) != []  # in clear before the upgrade
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 0  # opens nothing for writing
    assert main(["--data-dir", str(data_dir), "db", "purge", "--dry-run"]) == 0  # migrates
    db = connect(path)
    assert is_sealed(stored_note(db, "OLD1")) and find_order(db, "OLD1").buyer_note == NOTE
    db.close()
    backup = tmp_path / "backup.db"
    assert main(["--data-dir", str(data_dir), "db", "backup", str(backup)]) == 0
    assert files_hold(data_dir, NOTE) == []
    assert files_hold(tmp_path, NOTE) == []  # the backup too

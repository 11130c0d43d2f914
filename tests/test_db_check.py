"""`station db check` and the start-up check: damage is found, reported, never written to."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from station.cli import main
from station.store.backup import backup_now
from station.store.db import DB_FILE, DatabaseTooNew
from station.store.errors import DatabaseDamaged
from station.store.integrity import check_file, open_checked
from station.store.migrations import STEPS


def closed(db: sqlite_utils.Database, data_dir: Path) -> Path:
    """Fold the WAL into the file and close, so the file alone is the database."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return data_dir / DB_FILE


def damage_table(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)


def files_digest(folder: Path) -> dict[str, str]:
    """The database and its non-empty WAL (a read-only open may leave an empty one)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.name.startswith(DB_FILE) and not p.name.endswith("-shm") and p.stat().st_size
    }


def test_a_healthy_database_passes(demo_db: sqlite_utils.Database, data_dir: Path, capsys) -> None:
    path = closed(demo_db, data_dir)
    verdict = check_file(path)
    assert verdict.ok and not verdict.damaged
    assert verdict.schema_version == len(STEPS)
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 0
    assert f"OK (schema version {len(STEPS)} of {len(STEPS)}" in capsys.readouterr().out


def test_a_damaged_table_fails_with_the_newest_backup_named(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    newest = backup_now(demo_db, data_dir / "backups", keep=3)
    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    verdict = check_file(path)
    assert verdict.damaged and not verdict.ok
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err or "cannot be read" in err
    assert f"station db restore {newest}" in err


def test_foreign_key_damage_is_found(db: sqlite_utils.Database, data_dir: Path, capsys) -> None:
    db.execute("PRAGMA foreign_keys=OFF")
    db.execute(
        "INSERT INTO order_lines (order_no, line_no, sku, name, quantity) "
        "VALUES ('GHOST', 1, 'X', 'x', 1)"
    )
    path = closed(db, data_dir)
    verdict = check_file(path)
    assert verdict.damaged
    assert "1 rows refer to missing rows (first: order_lines" in verdict.summary()
    assert check_file(path, full=False).ok
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1
    assert "No backup found" in capsys.readouterr().err


def test_a_newer_schema_is_a_problem_but_not_damage(db: sqlite_utils.Database, data_dir) -> None:
    db.execute(f"PRAGMA user_version = {len(STEPS) + 1}")
    path = closed(db, data_dir)
    verdict = check_file(path)
    assert not verdict.ok and not verdict.damaged
    assert "newer Packing Station" in verdict.summary()
    with pytest.raises(DatabaseTooNew):
        open_checked(path)


def test_overwritten_header_is_damage(db: sqlite_utils.Database, data_dir: Path) -> None:
    path = closed(db, data_dir)
    with path.open("r+b") as file:
        file.write(b"\x00" * 16)
    verdict = check_file(path)
    assert verdict.damaged and "not a SQLite database" in verdict.summary()


def test_check_of_a_folder_without_database_says_so(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "db", "check"]) == 0
    assert "No database yet" in capsys.readouterr().out
    assert not (tmp_path / DB_FILE).exists()


def test_open_checked_opens_and_migrates_a_healthy_or_new_database(data_dir: Path) -> None:
    fresh = open_checked(data_dir / DB_FILE)
    assert fresh.execute("PRAGMA user_version").fetchone()[0] == len(STEPS)
    fresh.close()
    again = open_checked(data_dir / DB_FILE)
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_open_checked_refuses_a_damaged_database_and_leaves_it_untouched(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    newest = backup_now(demo_db, data_dir / "backups", keep=3)
    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    before = files_digest(data_dir)
    with pytest.raises(DatabaseDamaged) as caught:
        open_checked(path)
    assert caught.value.latest_backup == newest
    assert "is damaged and was not opened" in caught.value.message
    assert files_digest(data_dir) == before


def test_open_checked_names_no_backup_when_there_is_none(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    path = closed(demo_db, data_dir)
    damage_table(path, "shipments")
    with pytest.raises(DatabaseDamaged) as caught:
        open_checked(path)
    assert caught.value.latest_backup is None


def test_after_a_normal_shutdown_only_the_header_is_checked_and_only_once(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.store.integrity import CLEAN_MARK, mark_clean_shutdown

    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    mark_clean_shutdown(path)
    open_checked(path).close()
    assert not (data_dir / CLEAN_MARK).exists()
    with pytest.raises(DatabaseDamaged):
        open_checked(path)


def test_a_bad_header_is_refused_even_after_a_normal_shutdown(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.store.integrity import mark_clean_shutdown

    path = closed(db, data_dir)
    with path.open("r+b") as file:
        file.write(b"garbage-garbage!")
    mark_clean_shutdown(path)
    with pytest.raises(DatabaseDamaged, match="not a SQLite database"):
        open_checked(path)


def test_housekeeping_finds_damage_makes_no_backup_and_forces_the_next_check(
    demo_db: sqlite_utils.Database, data_dir: Path
) -> None:
    from station.housekeeping import Housekeeping
    from station.settings import Settings
    from station.store.integrity import CLEAN_MARK, mark_clean_shutdown

    path = closed(demo_db, data_dir)
    damage_table(path, "orders")
    mark_clean_shutdown(path)
    Housekeeping(data_dir, Settings.load(data_dir)).run_once()
    assert not (data_dir / CLEAN_MARK).exists()
    backups = data_dir / "backups"
    assert not backups.exists() or not any(backups.iterdir())

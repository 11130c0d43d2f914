"""The audit log is tamper-evident: a keyed hash chain over its rows, checked by
`station db check`, and an INSERT that would replace a row is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station.cli import main
from station.core.permissions import Action
from station.store import audit, migrations
from station.store.audit_chain import check_database
from station.store.db import DB_FILE, connect
from tests.test_ui_problem_texts import database_before


def _log_of_five(path: Path) -> None:
    db = connect(path)
    for n in range(5):
        audit.record(db, Action.VOID, f"T{n}", actor="wang", role="supervisor", reason="x")
    db.close()


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_replace_of_a_row_is_refused(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    _log_of_five(path)
    conn = _raw(path)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        conn.execute(
            "INSERT OR REPLACE INTO audit (id, at, actor, action) VALUES (1, 'now', 'me', 'x')"
        )
    assert conn.execute("SELECT actor FROM audit WHERE id = 1").fetchone() == ("wang",)
    conn.close()


def test_appending_keeps_the_chain_valid(data_dir: Path, capsys) -> None:
    path = data_dir / DB_FILE
    _log_of_five(path)
    _log_of_five(path)
    assert check_database(path) is None
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 0
    assert "audit log chain verified" in capsys.readouterr().out


def test_an_edit_behind_the_triggers_back_is_found_by_db_check(data_dir: Path, capsys) -> None:
    path = data_dir / DB_FILE
    _log_of_five(path)
    conn = _raw(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("UPDATE audit SET reason = 'nothing happened' WHERE id = 3")
    conn.close()
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1
    err = capsys.readouterr().err
    assert "audit log was altered: row 3 breaks its hash chain" in err


def test_a_row_deleted_in_the_middle_is_found(data_dir: Path, capsys) -> None:
    path = data_dir / DB_FILE
    _log_of_five(path)
    conn = _raw(path)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = 2")
    conn.close()
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1
    assert "row 3 breaks its hash chain" in capsys.readouterr().err


def test_a_forged_row_with_a_recomputed_unkeyed_hash_is_found(data_dir: Path) -> None:
    """Without the data folder's key a row cannot be given a hash that verifies."""
    import hashlib

    path = data_dir / DB_FILE
    _log_of_five(path)
    conn = _raw(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(
        "UPDATE audit SET actor = 'someone', hash = ? WHERE id = 5",
        [hashlib.sha256(b"a guess").hexdigest()],
    )
    conn.close()
    assert "row 5 breaks" in (check_database(path) or "")


def test_the_migration_chains_the_rows_already_there(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    old = database_before(path, migrations._audit_chain)
    for n in range(3):
        old.execute(
            "INSERT INTO audit (at, actor, action, subject) "
            "VALUES ('2026-01-01', 'wang', 'void', ?)",
            [f"T{n}"],
        )
    old.close()
    db = connect(path)
    audit.record(db, Action.VOID, "T9", actor="wang")
    assert [e.subject for e in audit.entries(db)] == ["T9", "T2", "T1", "T0"]
    db.close()
    assert check_database(path) is None


def test_dropping_the_chain_column_is_found(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    _log_of_five(path)
    conn = _raw(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("ALTER TABLE audit DROP COLUMN hash")
    conn.execute("UPDATE audit SET reason = 'nothing happened'")
    conn.close()
    assert "hash chain column is gone" in (check_database(path) or "")


def test_housekeeping_logs_an_altered_audit_log(data_dir: Path, caplog) -> None:
    from station.housekeeping import Housekeeping
    from station.settings import Settings

    path = data_dir / DB_FILE
    _log_of_five(path)
    Housekeeping(data_dir, Settings.load(data_dir)).run_once()
    assert not [r for r in caplog.records if r.levelname == "CRITICAL"]
    conn = _raw(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'someone else' WHERE id = 4")
    conn.close()
    Housekeeping(data_dir, Settings.load(data_dir)).run_once()
    [critical] = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
    assert "row 4 breaks its hash chain" in critical

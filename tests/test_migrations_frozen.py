"""Released migration steps never run live application code: each carries its own
copy of the seed data and of what it computes (the sealed-value format, keyed
fingerprints, the audit chain), so a later change to the application cannot change
what an old step does to a database it upgrades."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from station.store import migrations
from station.store.audit_chain import verify
from station.store.crypto import cipher_for
from station.store.db import DB_FILE, connect, folder_keys

STORE = Path(migrations.__file__).parent
FROZEN = [STORE / "migrations.py", *sorted((STORE / "migration_steps").glob("*.py"))]
ALLOWED = {"station.store.migration_steps": {"routing_seed", "sealing_v1"}}
LIVE_PACKAGES = {"station", "printers"}


def live_imports(path: Path) -> list[tuple[str, set[str]]]:
    """The application modules `path` imports (relative imports count as such)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, set()) for a in node.names if a.name.split(".")[0] in LIVE_PACKAGES]
        elif isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] in LIVE_PACKAGES
        ):
            found.append(("." * node.level + (node.module or ""), {a.name for a in node.names}))
    return found


@pytest.mark.parametrize("path", FROZEN, ids=lambda p: p.name)
def test_migrations_import_no_live_code(path: Path) -> None:
    """The data folder's key is handed to the steps (station.store.db), not imported."""
    for module, names in live_imports(path):
        assert module in ALLOWED and names <= ALLOWED[module], (path.name, module, names)
    if path.parent.name == "migration_steps":
        assert live_imports(path) == [], path.name


def test_the_import_check_sees_a_live_import(tmp_path: Path) -> None:
    step = tmp_path / "step.py"
    for line in (
        "from station.store.crypto import cipher_for",
        "import station.store.orders",
        "from .crypto import KeyUnavailable",
        "from station.store.migration_steps import routing_seed, printers_copy",
        "from printers import waybill",
    ):
        step.write_text(f"def f():\n    {line}\n", encoding="utf-8")
        assert live_imports(step), line
        with pytest.raises(AssertionError):
            test_migrations_import_no_live_code(step)


def database_at(path: Path, version: int) -> sqlite_utils.Database:
    """A database as the station left it after its first `version` steps."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    db = sqlite_utils.Database(conn)
    for number, step in enumerate(migrations.STEPS[:version], start=1):
        step(db, folder_keys(db))
        db.execute(f"PRAGMA user_version={number}")
    return db


@pytest.mark.parametrize("version", range(1, len(migrations.STEPS)))
def test_a_database_made_at_any_step_is_migrated_to_the_newest(
    data_dir: Path, version: int
) -> None:
    """With an order (in plaintext, as before encryption), an audit row and a buyer
    note, whatever step it stopped at: it opens, its personal data reads back (sealed
    by the steps that seal), its audit chain verifies, the seeded carriers are there."""
    path = data_dir / DB_FILE
    old = database_at(path, version)
    tables = {name for (name,) in old.execute("SELECT name FROM sqlite_master")}
    old.execute(
        "INSERT INTO orders (order_no, recipient_name, recipient_phone, address, buyer_note, "
        "created_at, updated_at) VALUES ('OLD1', '欧阳娜娜', '13700001111', '梧桐路77号', "
        "'放门口', 'now', 'now')"
    )
    if "audit" in tables and version <= migrations.STEPS.index(migrations._audit_chain):
        old.execute("INSERT INTO audit (at, actor, action) VALUES ('now', 'zhao', 'settings')")
    old.conn.close()
    db = connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.STEPS)
        cipher = cipher_for(db)
        stored = db.execute(
            "SELECT recipient_name, recipient_phone, buyer_note, phone_last4, name_index "
            "FROM orders WHERE order_no = 'OLD1'"
        ).fetchone()
        assert cipher.open("recipient_name", stored[0]) == "欧阳娜娜"
        assert cipher.open("recipient_phone", stored[1]) == "13700001111"
        assert cipher.open("buyer_note", stored[2]) == "放门口"
        if version <= migrations.STEPS.index(migrations._privacy_at_rest):
            assert stored[3:] == ("1111", cipher.blind("欧阳娜娜"))
            assert all(value.startswith("enc1:") for value in stored[:3])
        assert verify(db.conn, cipher)[1] is None
        carriers = {code for (code,) in db.execute("SELECT code FROM carriers")}
        assert {"SF", "ZTO", "EMS"} <= carriers
    finally:
        db.close()

"""The command line asks for the roles the window asks for, and audits the same way:
`--as NAME` with that user's PIN ($STATION_PIN, the terminal or stdin), or
`--technician` for the owner of the data folder."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from test_sync_fakes import add_records, write_sync_toml

from station.cli import main
from station.commands.access import PIN_ENV
from station.core.permissions import Action, AuditEvent, Role
from station.store import audit, catalogue, deliveries, pool
from station.store.db import DB_FILE, connect
from station.store.users import PIN_TRIES, add_user, sign_in

ADMIN, ADMIN_PIN = "boss", "25802580"


def station(data_dir: Path, *args: str) -> int:
    """The exit code of a command, as the shell sees it (refusals end with SystemExit)."""
    try:
        return main(["--data-dir", str(data_dir), *args])
    except SystemExit as stop:
        return int(stop.code)


def users(data_dir: Path, *args: str) -> int:
    return station(data_dir, "users", *args)


@pytest.fixture
def people(data_dir: Path) -> Path:
    db = connect(data_dir / DB_FILE)
    add_user(db, ADMIN, Role.ADMIN, ADMIN_PIN)
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    add_user(db, "li", Role.PACKER, "1111")
    db.close()
    return data_dir


def audited(data_dir: Path, action: str) -> list[audit.AuditEntry]:
    db = connect(data_dir / DB_FILE)
    try:
        return audit.entries(db, action)
    finally:
        db.close()


def test_add_list_disable_as_an_admin(people: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv(PIN_ENV, ADMIN_PIN)
    admin = ("--as", ADMIN)
    assert users(people, "add", "--name", "李四", "--role", "packer", "--pin", "4321", *admin) == 0
    answers = iter(["09870987", "09870987"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert users(people, "add", "--name", "zhao", "--role", "admin", *admin) == 0
    assert users(people, "add", "--name", "李四", "--role", "packer", "--pin", "1111", *admin) == 1
    assert users(people, "add", "--name", "x", "--role", "packer", "--pin", "12", *admin) == 1
    assert users(people, "add", "--name", "y", "--role", "admin", "--pin", "1234", *admin) == 1
    capsys.readouterr()
    assert users(people, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name\trole\tactive\tcreated_at"
    assert [line.split("\t")[:3] for line in lines[1:]] == [
        ["boss", "admin", "yes"],
        ["li", "packer", "yes"],
        ["wang", "supervisor", "yes"],
        ["zhao", "admin", "yes"],
        ["李四", "packer", "yes"],
    ]
    assert users(people, "disable", "--name", "李四", *admin) == 0
    assert users(people, "disable", "--name", "nobody", *admin) == 1
    db = connect(people / DB_FILE)
    assert sign_in(db, "李四", "4321") is None and sign_in(db, "zhao", "09870987") is not None
    db.close()
    entries = audited(people, Action.USERS)
    assert [e.subject for e in entries] == ["disable 李四", "add zhao", "add 李四"]
    assert {(e.actor, e.role) for e in entries} == {(ADMIN, "admin")}


def test_without_an_admin_nothing_changes(people: Path, capsys, monkeypatch) -> None:
    add = ("add", "--name", "mole", "--role", "admin", "--pin", "12345678")
    assert users(people, *add) == 2
    assert "this needs an admin: add --as NAME" in capsys.readouterr().err
    monkeypatch.setenv(PIN_ENV, "2222")
    assert users(people, *add, "--as", "wang") == 2
    assert "wang may not users: it needs an admin" in capsys.readouterr().err
    monkeypatch.setenv(PIN_ENV, "00000000")
    assert users(people, *add, "--as", ADMIN) == 2
    assert "wrong PIN for boss" in capsys.readouterr().err
    assert users(people, "disable", "--name", ADMIN, "--as", "wang") == 2
    db = connect(people / DB_FILE)
    assert [name for (name,) in db.execute("SELECT name FROM users WHERE active = 1")] == [
        ADMIN,
        "wang",
        "li",
    ]
    db.close()
    assert audited(people, Action.USERS) == []


def test_the_pin_can_come_from_stdin_for_scripts(people: Path, monkeypatch) -> None:
    monkeypatch.delenv(PIN_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PIN + "\n"))
    assert users(people, "disable", "--name", "li", "--as", ADMIN) == 0
    [entry] = audited(people, Action.USERS)
    assert (entry.actor, entry.subject) == (ADMIN, "disable li")


def test_wrong_pins_on_the_command_line_lock_the_account(people: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv(PIN_ENV, "11112222")
    for _ in range(PIN_TRIES):
        assert users(people, "disable", "--name", "li", "--as", ADMIN) == 2
    monkeypatch.setenv(PIN_ENV, ADMIN_PIN)
    capsys.readouterr()
    assert users(people, "disable", "--name", "li", "--as", ADMIN) == 2
    assert "Too many wrong PINs" in capsys.readouterr().err
    assert [e.subject for e in audited(people, AuditEvent.PIN_LOCKED)] == [ADMIN]


def test_the_first_admin_is_added_by_the_technician_and_audited_so(data_dir: Path) -> None:
    assert users(data_dir, "add", "--name", ADMIN, "--role", "admin", "--pin", ADMIN_PIN) == 2
    add = ("add", "--name", ADMIN, "--role", "admin", "--pin", ADMIN_PIN, "--technician")
    assert users(data_dir, *add) == 0
    [entry] = audited(data_dir, Action.USERS)
    assert entry.actor.startswith("technician:") and entry.role == "technician"
    assert entry.subject == f"add {ADMIN}"


@pytest.mark.skipif(os.name != "posix", reason="ownership is checked on POSIX only")
def test_the_technician_must_own_the_data_folder(data_dir: Path, capsys, monkeypatch) -> None:
    theirs = os.stat(data_dir).st_uid + 1
    monkeypatch.setattr("os.geteuid", lambda: theirs)
    add = ("add", "--name", ADMIN, "--role", "admin", "--pin", ADMIN_PIN, "--technician")
    assert users(data_dir, *add) == 2
    assert "belongs to another account" in capsys.readouterr().err
    assert audited(data_dir, Action.USERS) == []


def test_carriers_and_pools_need_a_supervisor(people: Path, tmp_path: Path, monkeypatch) -> None:
    numbers = tmp_path / "n.txt"
    numbers.write_text("SF1023574470215\nSF1023574470216\n", encoding="utf-8")
    monkeypatch.setenv(PIN_ENV, "1111")
    assert station(people, "carriers", "set", "SF", "--disable", "--as", "li") == 2
    assert station(people, "pool", "import", "--carrier", "SF", str(numbers), "--as", "li") == 2
    assert station(people, "carriers", "set", "SF", "--disable") == 2
    db = connect(people / DB_FILE)
    assert catalogue.entries(db)["SF"].active and pool.free_count(db, "SF") == 0
    db.close()
    monkeypatch.setenv(PIN_ENV, "2222")
    assert station(people, "carriers", "set", "SF", "--disable", "--as", "wang") == 0
    assert station(people, "pool", "import", "--carrier", "SF", str(numbers), "--as", "wang") == 0
    db = connect(people / DB_FILE)
    assert not catalogue.entries(db)["SF"].active and pool.free_count(db, "SF") == 2
    db.close()
    [carrier] = audited(people, AuditEvent.CARRIER)
    [added] = audited(people, Action.POOL)
    assert (carrier.actor, carrier.role) == ("wang", "supervisor")
    assert (added.actor, added.subject, added.detail["added"]) == ("wang", "SF", 2)


def test_dismissing_an_upload_needs_a_supervisor_who_is_recorded(people: Path, monkeypatch) -> None:
    write_sync_toml(people, '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n')
    db = connect(people / DB_FILE)
    add_records(db, 1)
    deliveries.fan_out(db, "erp")
    [first] = [n for (n,) in db.execute("SELECT outbox_id FROM deliveries")]
    deliveries.start(db, "erp", [first])
    deliveries.finish(db, "erp", [deliveries.Finished(first, "attention", "rejected")])
    db.close()
    dismiss = ("sync", "dismiss", str(first), "--target", "erp", "--reason", "refunded")
    assert station(people, *dismiss) == 2
    monkeypatch.setenv(PIN_ENV, "1111")
    assert station(people, *dismiss, "--as", "li") == 2
    assert station(people, "sync", "retry", str(first), "--target", "erp", "--as", "li") == 2
    monkeypatch.setenv(PIN_ENV, "2222")
    assert station(people, *dismiss, "--as", "wang") == 0
    db = connect(people / DB_FILE)
    row = db.execute("SELECT state, dismissed_by FROM deliveries WHERE outbox_id = ?", [first])
    assert row.fetchone() == ("dismissed", "wang")
    db.close()
    [entry] = audited(people, Action.UPLOADS)
    assert (entry.actor, entry.role, entry.reason) == ("wang", "supervisor", "refunded")


def test_list_warns_about_an_admin_pin_from_before_the_rule(people: Path, capsys) -> None:
    db = connect(people / DB_FILE)
    db.execute("UPDATE users SET pin_rule_ok = NULL WHERE name = ?", [ADMIN])
    db.close()
    assert users(people, "list") == 0
    err = capsys.readouterr().err
    assert f"WARNING: admin {ADMIN}'s PIN is shorter than 8 characters" in err
    assert f"station users set-pin --name {ADMIN}" in err

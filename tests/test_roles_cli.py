"""`station users add|list|disable`."""

from __future__ import annotations

from pathlib import Path

from station.cli import main
from station.store import audit
from station.store.db import DB_FILE, connect
from station.store.users import Action, sign_in


def test_add_list_disable(data_dir: Path, capsys, monkeypatch) -> None:
    base = ["--data-dir", str(data_dir), "users"]
    assert main([*base, "add", "--name", "李四", "--role", "packer", "--pin", "4321"]) == 0
    answers = iter(["25802580", "25802580"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main([*base, "add", "--name", "boss", "--role", "admin"]) == 0
    assert main([*base, "add", "--name", "李四", "--role", "packer", "--pin", "1111"]) == 1
    assert main([*base, "add", "--name", "x", "--role", "packer", "--pin", "12"]) == 1
    capsys.readouterr()
    assert main([*base, "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name\trole\tactive\tcreated_at"
    assert [line.split("\t")[:3] for line in lines[1:]] == [
        ["boss", "admin", "yes"],
        ["李四", "packer", "yes"],
    ]
    assert main([*base, "disable", "--name", "李四"]) == 0
    assert main([*base, "disable", "--name", "nobody"]) == 1
    db = connect(data_dir / DB_FILE)
    assert sign_in(db, "李四", "4321") is None and sign_in(db, "boss", "25802580") is not None
    subjects = [e.subject for e in audit.entries(db, Action.USERS)]
    assert subjects == ["disable 李四", "add boss", "add 李四"]
    db.close()

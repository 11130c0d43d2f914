"""One command context: every command gets its folder, settings, database and actor
from it, and one place turns bad settings, unreadable files and storage errors into
a message and exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import errno
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from station.commands.common import CommandContext, run_command
from station.store.db import DB_FILE


def station(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    made = station("--data-dir", str(folder), "demo", "--orders", "3", "--no-gui")
    assert made.returncode == 0, made.stderr
    return folder


BROKEN = {
    "not TOML": ("[station\nname = 1\n", "is not valid TOML"),
    "a wrong type": ("[station]\nname = 5\n", "station.name must be str, got 5"),
    "a value out of range": ("[weight]\nmin_grams = -1\n", "weight.min_grams must be at least 0"),
}
COMMANDS = {
    "print label": ["print", "label", "WX20261121000001"],
    "sync export-csv": ["sync", "export-csv", "--since", "2026-01-01", "--out", "OUT"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_settings_file_is_a_message_and_exit_2(
    demo_folder: Path, tmp_path: Path, command: str, broken: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(demo_folder, folder)
    text, message = BROKEN[broken]
    (folder / "settings.toml").write_text(text, encoding="utf-8")
    argv = [str(tmp_path / "out.csv") if word == "OUT" else word for word in COMMANDS[command]]
    done = station("--data-dir", str(folder), *argv)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "settings.toml" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("argv", [["orders", "list"], ["orders", "show", "WX20261121000001"]])
def test_a_restored_database_without_its_key_is_a_message_and_exit_2(
    demo_folder: Path, tmp_path: Path, argv: list[str]
) -> None:
    folder = tmp_path / "restored"
    folder.mkdir()
    shutil.copy2(demo_folder / DB_FILE, folder / DB_FILE)
    done = station("--data-dir", str(folder), *argv)
    assert done.returncode == 2, done.stderr
    assert "Restore the key" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) <= 2


def test_the_context_closes_the_database_however_the_command_ends(tmp_path: Path) -> None:
    opened: list[sqlite3.Connection] = []

    def failing(ctx: CommandContext) -> int:
        with ctx.database() as db:
            opened.append(db.conn)
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", "orders.csv")

    args = argparse.Namespace(data_dir=str(tmp_path))
    assert run_command(failing, args) == 2
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].execute("SELECT 1")


def test_settings_are_read_only_when_a_command_asks_for_them(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[station\n", encoding="utf-8")
    args = argparse.Namespace(data_dir=str(tmp_path))
    assert run_command(lambda ctx: 0 if ctx.folder == tmp_path.resolve() else 1, args) == 0
    assert run_command(lambda ctx: ctx.settings["station.name"] and 0, args) == 2

"""Issue 12: no path of the station opens its database file with anything but SQLite
while the process holds a connection to it.

Closing any descriptor of a file drops all of the process's POSIX locks on it,
SQLite's included. Another process then takes itself for the last connection,
checkpoints and deletes the WAL, and every later write of the first process goes
into a deleted file. The test holds a connection (this process), runs every
check, backup, housekeeping and connect path and every dialog's or worker's own
connection here, and after each one lets another process open, read and close
the database and runs a `station` command in another process. The WAL must keep
its inode throughout, and every write made here must be visible to a fresh
process, before and after this one closes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils
from multiprocess import fresh_value, station, wal_identity

from station.app.settings_change import SettingsChange
from station.cli import main
from station.core.permissions import Role
from station.crash import crash_report, save_crash_report
from station.demo import seed
from station.housekeeping import Housekeeping
from station.settings import Settings
from station.store import audit
from station.store.backup import backup_file, backup_if_due, backup_now
from station.store.db import DB_FILE, connect
from station.store.integrity import (
    check_file,
    forget_clean_shutdown,
    mark_clean_shutdown,
    open_checked,
)
from station.store.reports import Period, dashboard
from station.store.retention import purge_expired
from station.store.search import find_shipments
from station.store.users import add_user

ROOT = Path(__file__).resolve().parent.parent
ORDERS_CSV = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,订单状态\n"
    "G{n},CUP-350,保温杯,1,39.90,张三,13812345678,广东省,深圳市,南山区,科技园1栋101,待发货\n"
)
GUARD = "guard-write"


def _paths(
    data_dir: Path, holder: sqlite_utils.Database, settings: Settings
) -> list[tuple[str, Callable[[], object]]]:
    """Every path that touches the database file in a process that may hold a connection."""
    from station.app.database import own_connection
    from station.app.imports import ImportSteps
    from station.sync.config import load_targets
    from station.sync.status import all_status
    from station.sync.worker import open_uploader
    from station.ui.dashboard import read_only

    path = data_dir / DB_FILE
    backups = data_dir / "backups"

    def closed_after(open_db: Callable[[], sqlite_utils.Database], use=lambda db: None):
        def run() -> None:
            db = open_db()
            try:
                use(db)
            finally:
                db.close()

        return run

    def open_checked_after_clean_shutdown() -> None:
        mark_clean_shutdown(path)
        open_checked(path).close()

    def import_worker() -> None:
        from functools import partial

        from station.importers.mapping import ORDERS, choose_mapping
        from station.importers.table import read_table

        file = data_dir.parent / "worker.csv"
        file.write_text(ORDERS_CSV.format(n="W1"), encoding="utf-8")
        table = read_table(file)
        mapping = choose_mapping(table.headers, ORDERS)
        steps = ImportSteps(partial(own_connection, path), settings, None)
        checked = steps.check_orders(table, mapping, "guard", lambda n: None)
        assert checked.new == 1
        steps.import_orders(checked.plan.preview, "guard")

    def crash() -> None:
        try:
            raise RuntimeError("guard")
        except RuntimeError:
            save_crash_report(crash_report(sys.exc_info(), data_dir), data_dir)

    def scale_settings() -> None:
        admin = add_user(holder, "guard-admin", Role.ADMIN, "guard-passphrase")
        SettingsChange(holder, settings).save(admin, "guard", {"scale.baud": 9600})

    return [
        ("check_file full", lambda: check_file(path, full=True)),
        ("check_file quick", lambda: check_file(path, full=False)),
        ("open_checked after a crash", closed_after(lambda: open_checked(path))),
        ("open_checked after a clean shutdown", open_checked_after_clean_shutdown),
        ("forget_clean_shutdown", lambda: forget_clean_shutdown(path)),
        ("connect", closed_after(lambda: connect(path))),
        ("housekeeping", lambda: Housekeeping(data_dir, settings).run_once()),
        ("backup_now", lambda: backup_now(holder, backups, keep=3)),
        ("backup_if_due", lambda: backup_if_due(holder, data_dir, settings)),
        ("backup_file", lambda: backup_file(path, data_dir.parent / "copy.db")),
        ("purge_expired", lambda: purge_expired(holder, settings)),
        (
            "dashboard",
            closed_after(lambda: read_only(path), lambda db: dashboard(db, Period.today())),
        ),
        (
            "upload status light",
            closed_after(lambda: connect(path), lambda db: all_status(db, load_targets(data_dir))),
        ),
        ("uploader thread", closed_after(lambda: open_uploader(data_dir, settings).db)),
        ("import dialog worker", import_worker),
        ("search", lambda: find_shipments(holder, "13812345678")),
        ("scale settings", scale_settings),
        ("crash report", crash),
        ("cli db check (in process)", lambda: main(["--data-dir", str(data_dir), "db", "check"])),
        ("cli db backup (in process)", lambda: main(["--data-dir", str(data_dir), "db", "backup"])),
        ("cli db purge (in process)", lambda: main(["--data-dir", str(data_dir), "db", "purge"])),
        (
            "cli pool status (in process)",
            lambda: main(["--data-dir", str(data_dir), "pool", "status"]),
        ),
        (
            "cli sync status (in process)",
            lambda: main(["--data-dir", str(data_dir), "sync", "status"]),
        ),
    ]


def _cli_commands(data_dir: Path) -> list[tuple[str, ...]]:
    """Each `station` command run from a terminal beside the bench."""
    folder = data_dir.parent
    orders = folder / "orders.csv"
    orders.write_text(ORDERS_CSV.format(n="C1"), encoding="utf-8")
    numbers = folder / "zto.csv"
    numbers.write_text("\n".join(str(73567696590000 + n) for n in range(20)), encoding="utf-8")
    return [
        ("orders", "import", str(orders)),
        ("pool", "import", "--technician", "--carrier", "ZTO", str(numbers)),
        ("pool", "status"),
        ("sync", "run", "--once"),
        ("sync", "status"),
        ("report", "throughput", "--out", str(folder / "t.csv")),
        ("report", "manifest", "--carrier", "ZTO", "--out", str(folder / "m.csv")),
        ("db", "backup"),
        ("db", "check"),
        ("users", "list"),
        ("carriers", "list"),
    ]


def _guard_count(data_dir: Path) -> int:
    return int(fresh_value(data_dir, f"SELECT count(*) FROM audit WHERE subject = '{GUARD}'"))


class FileOpens:
    """Every Python-level open (builtins.open, io.open, os.open: what Path.open,
    read_bytes and shutil's copies go through) of the database's files while
    `watching`. SQLite opens its files in C, below this hook."""

    def __init__(self, data_dir: Path) -> None:
        self.prefix = str(data_dir / DB_FILE)
        self.watching = False
        self.seen: list[str] = []
        sys.addaudithook(self._hook)  # hooks stay for the process: `watching` gates it

    def _hook(self, event: str, args: tuple) -> None:
        if self.watching and event == "open" and str(args[0]).startswith(self.prefix):
            self.seen.append(str(args[0]))


@pytest.mark.slow
def test_a_holder_keeps_its_wal_and_its_writes_while_every_path_and_command_runs(
    data_dir: Path, settings: Settings
) -> None:
    holder = connect(data_dir / DB_FILE)
    seed(holder, orders=20)
    audit.record(holder, "guard", GUARD, actor="guard")
    written = 1
    wal = wal_identity(data_dir)
    assert wal is not None
    commands = _cli_commands(data_dir)
    paths = _paths(data_dir, holder, settings)
    opens = FileOpens(data_dir)
    for step, (name, run) in enumerate(paths):
        opens.watching = True
        try:
            run()
        finally:
            opens.watching = False
        assert opens.seen == [], f"{name} opened {opens.seen} with Python file I/O"
        # Another process reads and closes: were this process's locks gone, its
        # close would delete the WAL and the count would miss writes made here.
        assert _guard_count(data_dir) == written, f"writes lost after {name}"
        command = commands[step % len(commands)] if step < len(commands) else ()
        if command:
            done = station(data_dir, *command)
            assert done.returncode in (0, 1), (command, done.stderr)
        assert wal_identity(data_dir) == wal, f"the WAL was deleted after {name} / {command}"
        audit.record(holder, "guard", GUARD, actor="guard")
        written += 1
        assert _guard_count(data_dir) == written, f"writes lost after {name} / {command}"
    assert len(paths) >= len(commands)
    holder.close()
    assert _guard_count(data_dir) == written
    assert check_file(data_dir / DB_FILE).ok


def test_the_database_chosen_as_an_import_file_is_refused_unopened(
    db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    """A person may pick station.db in a file dialog or type it after a command; reading
    it with Python beside this process's own connection would drop its locks."""
    from station.importers.mapping import MappingError, load_mapping
    from station.importers.table import UnreadableFile, read_table

    opens = FileOpens(data_dir)
    opens.watching = True
    try:
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
            with pytest.raises(UnreadableFile, match="the station's own database"):
                read_table(data_dir / name)
        with pytest.raises(MappingError, match="the station's own database"):
            load_mapping(data_dir / DB_FILE)
        folder = ["--data-dir", str(data_dir)]
        for command in (
            ["orders", "import", str(data_dir / DB_FILE)],
            ["pool", "import", "--technician", "--carrier", "ZTO", str(data_dir / DB_FILE)],
            ["route", "--technician", "--import-rates", str(data_dir / DB_FILE)],
        ):
            assert main([*folder, *command]) == 2
            assert "the station's own database" in capsys.readouterr().out
    finally:
        opens.watching = False
    assert opens.seen == []

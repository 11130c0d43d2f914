"""`station demo`: a fresh demo data folder, then the bench on it.

The folder gets sample orders and products, waybill pools, a supervisor
(PIN 1234), a simulated scale, PDF labels in `labels/`, and `barcodes.pdf`
with every command, order and product barcode for a real scanner.

`station demo --benches N`: a warehouse instead, a private hub and N benches
(station.demo_warehouse), each bench a demo folder `bench-K/` in the demo folder.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import platformdirs

from station.commands.common import CommandContext
from station.demo import DEMO_SUPERVISOR_PIN, seed
from station.instance_lock import InstanceLock, StationRunning
from station.paths import APP_NAME, keep_private
from station.settings import Settings
from station.store.db import DB_FILE, connect

MAX_DEMO_ORDERS = 100_000
MAX_DEMO_BENCHES = 6


def _order_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= count <= MAX_DEMO_ORDERS:
        raise argparse.ArgumentTypeError(f"give 0 to {MAX_DEMO_ORDERS} orders, not {count}")
    return count


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("demo", help="create a fresh demo data folder and open the bench on it")
    parser.add_argument(
        "--orders", type=_order_count, default=60, help="sample orders (default 60, 0 to 100000)"
    )
    parser.add_argument(
        "--no-gui", action="store_true", help="only create the folder (for scripts and tests)"
    )
    parser.add_argument(
        "--benches",
        type=_bench_count,
        default=0,
        metavar="N",
        help=f"a warehouse: a private hub and N bench windows (2 to {MAX_DEMO_BENCHES})",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window(s), check they start, and quit (installer and test check)",
    )
    parser.set_defaults(func=run)


def _bench_count(text: str) -> int:
    if not text.isdigit() or not 2 <= int(text) <= MAX_DEMO_BENCHES:
        raise argparse.ArgumentTypeError(f"give 2 to {MAX_DEMO_BENCHES} benches, not {text!r}")
    return int(text)


MARKER = "DEMO-FOLDER"


class NotADemoFolder(RuntimeError):
    pass


def demo_folder(chosen: str | None) -> Path:
    """The folder given with --data-dir, else a demo folder apart from real data."""
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo"


def _prepare_unless_running(folder: Path, orders: int) -> Settings:
    """`prepare`, unless a station runs on the folder: emptying it would delete the
    database under that station. The lock is only tested, not kept: it cannot be
    held while its own file is deleted (Windows), and the bench takes it itself."""
    _refuse_if_running(folder)
    return prepare(folder, orders)


def _refuse_if_running(folder: Path) -> None:
    if folder.is_dir():
        lock = InstanceLock(folder)
        if not lock.acquire():
            raise StationRunning(folder, lock.owner_pid())
        lock.release()


def empty_demo_folder(folder: Path) -> None:
    """Empty the folder (made if missing) and mark it as a demo's.

    Only a folder that is empty or was made by an earlier demo is emptied:
    real station data is never wiped.
    """
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise NotADemoFolder(
                f"{folder} holds other files (maybe real station data) and was not made by "
                "`station demo`. Choose an empty folder with --data-dir."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    keep_private(folder)
    (folder / MARKER).write_text("Made by `station demo`; emptied on each demo run.\n")


def prepare(folder: Path, orders: int, pools: bool = True) -> Settings:
    """Empty the folder and fill it with demo data and demo settings (see
    empty_demo_folder); without `pools`, no waybill numbers (a hub gives them)."""
    empty_demo_folder(folder)
    settings = Settings.load(folder).save(
        scale__simulate=True,
        station__require_sign_in=False,
        station__name="demo-bench",
        sender__name="小美优选 (演示)",
        sender__phone="0755-86001234",
        sender__address="广东省深圳市南山区科技园南区 8 栋 1 楼",
    )
    from station.sheets import write_sheet

    with connect(folder / DB_FILE) as db:
        seed(db, orders=orders, pools=pools)
        write_sheet(db, folder / "barcodes.pdf")
    return settings


EXIT_RUNNING = 3


def run(ctx: CommandContext) -> int:
    args = ctx.args
    folder = demo_folder(args.data_dir)
    if args.benches:
        return run_warehouse_demo(folder, args.benches, args.orders, args.no_gui, args.smoke)
    try:
        settings = _prepare_unless_running(folder, args.orders)
    except NotADemoFolder as exc:
        print(exc)
        return 2
    except StationRunning as exc:
        print(f"{exc} The demo folder was left as it is.")
        return EXIT_RUNNING
    print(f"Demo data folder: {folder}")
    print(f"Barcode sheet: {folder / 'barcodes.pdf'}; supervisor PIN {DEMO_SUPERVISOR_PIN}")
    if args.no_gui:
        return 0
    from station.ui.app import run_app

    return run_app(folder, settings, demo=True, smoke=args.smoke)


def run_warehouse_demo(folder: Path, benches: int, orders: int, no_gui: bool, smoke: bool) -> int:
    """A private hub and `benches` bench windows, each on `folder`/bench-K."""
    if no_gui:
        print(
            "--benches needs the windows: the demo's hub lives only while they are open. "
            "Use --smoke to check that it starts."
        )
        return 2
    folders = [folder / f"bench-{k}" for k in range(1, benches + 1)]
    try:
        for running in (folder, *folders):  # a bench on the folder itself, or on one inside
            _refuse_if_running(running)
        empty_demo_folder(folder)
    except NotADemoFolder as exc:
        print(exc)
        return 2
    except StationRunning as exc:
        print(f"{exc} The demo folder was left as it is.")
        return EXIT_RUNNING
    print(f"Demo warehouse folder: {folder}; supervisor PIN {DEMO_SUPERVISOR_PIN}")

    def prepare_bench(bench_folder: Path, settings: dict[str, object]) -> None:
        prepare(bench_folder, orders=0, pools=False).save(**settings)

    from station.demo_warehouse import run_warehouse
    from station.hub.server import ServerError

    try:
        return run_warehouse(folders, orders, prepare_bench, smoke=smoke)
    except ServerError as exc:
        print(f"the demo's hub did not start: {exc}")
        return 2

"""Issue 12: a packing bench beside terminal commands on the same data folder.

One process packs parcels through the bench flow (`station.bench.Bench` on the
real SQLite file, PDF labels), as fast as it can, for the whole run, with the
app's housekeeping (check, backup, purge) running beside it every few seconds
instead of hourly. Meanwhile
other processes run `station orders import`, `pool status`, `sync run --once`,
`report throughput`, `report manifest`, `db backup` and `db check` in a loop
against the same folder. At the end a fresh process counts: every shipment the
bench recorded is in the file with its upload-queue row and its pool number
marked used, every imported order is there, no waybill number was used twice,
and `PRAGMA integrity_check` is clean.

    python -m bench.soak_multiprocess --minutes 5

The test suite runs a short version (tests/test_soak.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDERS_PER_SECOND = 12
"""Open orders prepared per second of the run: more than a bench packs here."""
POOL_NUMBERS = 20_000
IMPORT_ROWS = 5
CLI_WORKERS = 2
HOUSEKEEPING_S = 5.0
EVENTS = "events.jsonl"
COMMANDS = (
    "orders import",
    "pool status",
    "sync run --once",
    "report throughput",
    "report manifest",
    "db backup",
    "db check",
)
ROUTING = '[[rule]]\nname = "everything ZTO"\ncarrier = "ZTO"\n'
IMPORT_HEADER = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,"
    "订单状态,快递公司编码\n"
)
IMPORT_ROW = (
    "{order_no},TEA-LJ250,龙井茶 250g,1,59.00,李四,13812345679,浙江省,杭州市,西湖区,"
    "文三路{n}号,待发货,ZTO\n"
)


@dataclass
class Soak:
    """What a run did and what the file holds afterwards."""

    seconds: float = 0.0
    parcels: int = 0
    longest_pause_s: float = 0.0
    """The longest time between two parcels the bench recorded."""
    alerts: int = 0
    skipped: Counter = field(default_factory=Counter)
    """Orders the bench did not ship, by the message it showed (a flagged address, ...)."""
    cli_runs: Counter = field(default_factory=Counter)
    cli_failures: list[str] = field(default_factory=list)
    bench_stopped: str = ""
    lost_shipments: int = 0
    lost_outbox_rows: int = 0
    lost_imported_orders: int = 0
    pool_numbers_not_used: int = 0
    duplicate_waybills: int = 0
    orders_shipped_twice: int = 0
    integrity: str = ""

    @property
    def clean(self) -> bool:
        return (
            not self.cli_failures
            and not self.bench_stopped
            and self.lost_shipments
            == self.lost_outbox_rows
            == self.lost_imported_orders
            == self.pool_numbers_not_used
            == self.duplicate_waybills
            == self.orders_shipped_twice
            == 0
            and self.integrity == "ok"
        )

    def lines(self) -> list[str]:
        runs = ", ".join(f"{name} {count}" for name, count in sorted(self.cli_runs.items()))
        return [
            f"minutes: {self.seconds / 60:.2f}",
            f"parcels recorded and printed: {self.parcels}",
            f"longest pause between two parcels: {self.longest_pause_s:.1f} s",
            f"orders not shipped: {sum(self.skipped.values())} {dict(self.skipped)}",
            f"alerts acknowledged at the bench: {self.alerts}",
            f"CLI runs: {sum(self.cli_runs.values())} ({runs})",
            f"CLI failures: {len(self.cli_failures)}",
            *(f"  {failure}" for failure in self.cli_failures[:10]),
            f"bench stopped: {self.bench_stopped or 'no'}",
            f"lost shipments: {self.lost_shipments}",
            f"lost upload-queue rows: {self.lost_outbox_rows}",
            f"lost imported orders: {self.lost_imported_orders}",
            f"pool numbers of shipments not marked used: {self.pool_numbers_not_used}",
            f"waybill numbers used twice: {self.duplicate_waybills}",
            f"orders shipped twice: {self.orders_shipped_twice}",
            f"integrity_check: {self.integrity}",
        ]


def prepare(folder: Path, orders: int) -> None:
    """A data folder with a catalogue, `orders` open orders, big pools, and routing
    that sends everything ZTO (so no parcel waits for a pre-printed waybill)."""
    from station.core.model import Contact
    from station.demo import demo_products
    from station.settings import Settings
    from station.store.db import DB_FILE, connect, transaction
    from station.store.orders import NewLine, save_order, save_products
    from station.store.pool import add_numbers

    folder.mkdir(parents=True, exist_ok=True)
    Settings.load(folder).save(
        station__require_sign_in=False,
        station__name="soak-bench",
        sync__enabled=False,
        printer__url="pdf:labels",
    )
    (folder / "routing.toml").write_text(ROUTING, encoding="utf-8")
    db = connect(folder / DB_FILE)
    products = demo_products()
    save_products(db, products)
    who = Contact("张三", "13812345678", "广东省深圳市南山区科技园1栋101", "广东省", "深圳市")
    with transaction(db):
        for n in range(orders):
            product = products[n % len(products)]
            line = NewLine(product.sku, product.name, 1 + n % 2)
            save_order(db, f"SOAK{n:06d}", who, [line], carrier="ZTO" if n % 4 else "SF")
    add_numbers(db, "ZTO", (f"7{3561234500000 + n:013d}" for n in range(POOL_NUMBERS)))
    add_numbers(db, "SF", (f"SF{1023574470000 + n:013d}" for n in range(POOL_NUMBERS)))
    db.close()


# -- the bench process -------------------------------------------------------------


def pack(folder: Path, stop_file: Path) -> int:
    """Pack open orders until `stop_file` exists; writes one JSON line per recorded
    shipment to `events.jsonl` beside it (a file: a pipe nobody reads until the end
    would fill and block the bench), and one when the bench stops itself. Runs in a
    process of its own."""
    from decimal import Decimal

    from printers import open_printer
    from station.bench import Bench
    from station.core.messages import Tone, outcome
    from station.core.reading import Reading, ScaleLink
    from station.core.session import Phase
    from station.housekeeping import Housekeeping
    from station.settings import Settings
    from station.store import orders
    from station.store.db import DB_FILE
    from station.store.integrity import open_checked

    events = stop_file.with_name(EVENTS).open("a", encoding="utf-8")

    def tell(event: dict) -> None:
        events.write(json.dumps(event) + "\n")
        events.flush()

    settings = Settings.load(folder)
    db = open_checked(folder / DB_FILE)
    bench = Bench(db, settings, open_printer(f"pdf:{folder / 'labels'}"))
    bench.scale_link(ScaleLink.CONNECTED)
    damaged = threading.Event()
    # As in the app, on a thread of its own with its own connection; every few
    # seconds here rather than hourly.
    housekeeping = Housekeeping(
        folder, settings, every_s=HOUSEKEEPING_S, on_damage=lambda _: damaged.set()
    )
    housekeeping.start()
    skipped: set[str] = set()
    idle = threading.Event()
    while not stop_file.exists():
        if damaged.is_set():
            bench.halt(outcome(Tone.ERROR, "store_damaged"))
        if bench.halted is not None:
            tell({"stopped": bench.halted.message.key})
            break
        order_no = _next_order(db, skipped)
        if order_no is None:
            idle.wait(0.1)
            continue
        bench.reading(Reading(Decimal(0), True, at=bench.clock()))
        result = bench.scan(order_no)
        if result.message.key == "alert_intercept":
            bench.scan("CMD-CONFIRM")
            tell({"alert": order_no, "then": bench.message.message.key})
            continue
        session = bench.session
        if session is not None and session.phase is Phase.CONFIRM:
            bench.scan("CMD-CONFIRM")
        order = orders.find_order(db, order_no) if session is not None else None
        for line in order.lines if order is not None else ():
            for _ in range(line.quantity):
                bench.scan(line.sku)
        if bench.session is not None and bench.session.phase is Phase.WEIGH:
            grams = bench.session.expected_grams or 500
            bench.reading(Reading(Decimal(grams), True, at=bench.clock()))
        last = bench.last
        if bench.message.tone is Tone.DONE and last is not None and last.order.order_no == order_no:
            shipped = {"order_no": order_no, "tracking_no": last.tracking_no, "at": time.time()}
            tell(shipped)
            continue
        skipped.add(order_no)
        tell({"skipped": order_no, "why": bench.message.message.key})
        if bench.session is not None:
            bench.scan("CMD-CANCEL")
    housekeeping.stop()
    db.close()
    events.close()
    return 0


def _next_order(db, skipped: set[str]) -> str | None:
    rows = db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' ORDER BY order_no LIMIT ?",
        [len(skipped) + 1],
    ).fetchall()
    return next((order_no for (order_no,) in rows if order_no not in skipped), None)


# -- the terminal commands -----------------------------------------------------------


def _station(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


class Commands:
    """Workers that run each command in turn against the folder until told to stop."""

    def __init__(self, folder: Path, scratch: Path):
        self.folder = folder
        self.scratch = scratch
        self.runs: Counter = Counter()
        self.failures: list[str] = []
        self.imported: list[str] = []
        self._lock = threading.Lock()
        self._imports = 0

    def run(self, worker: int, stop: threading.Event) -> None:
        turn = worker
        while not stop.is_set():
            name = COMMANDS[turn % len(COMMANDS)]
            turn += 1
            args, expect = self._args(name)
            done = _station(self.folder, *args)
            with self._lock:
                self.runs[name] += 1
                if done.returncode != 0:
                    self.failures.append(f"{name}: exit {done.returncode}: {done.stderr[-300:]}")
                elif expect:
                    self.imported.extend(expect)

    def _args(self, name: str) -> tuple[list[str], list[str]]:
        out = self.scratch
        if name == "orders import":
            with self._lock:
                self._imports += 1
                batch = self._imports
            numbers = [f"IMP{batch:05d}{n}" for n in range(IMPORT_ROWS)]
            file = out / f"import-{batch}.csv"
            rows = "".join(IMPORT_ROW.format(order_no=o, n=i) for i, o in enumerate(numbers))
            file.write_text(IMPORT_HEADER + rows, encoding="utf-8")
            return ["orders", "import", str(file)], numbers
        if name == "report throughput":
            return ["report", "throughput", "--out", str(out / "throughput.csv")], []
        if name == "report manifest":
            return ["report", "manifest", "--carrier", "ZTO", "--out", str(out / "m.csv")], []
        return name.split(), []


# -- the run and the count -----------------------------------------------------------


def soak(seconds: float, folder: Path | None = None) -> Soak:
    """Run the bench and the commands for `seconds`, then count what the file holds."""
    base = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="soak-"))
    data, scratch = base / "data", base / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    prepare(data, max(400, int(seconds * ORDERS_PER_SECOND)))
    stop_file = scratch / "stop"
    started = time.time()
    errors = (scratch / "bench-stderr.txt").open("w")
    bench = subprocess.Popen(
        [sys.executable, "-m", "bench.soak_multiprocess", "--pack", str(data), str(stop_file)],
        stdout=subprocess.DEVNULL,
        stderr=errors,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    errors.close()  # the bench process has its own copy
    commands = Commands(data, scratch)
    stop = threading.Event()
    workers = [threading.Thread(target=commands.run, args=(n, stop)) for n in range(CLI_WORKERS)]
    for worker in workers:
        worker.start()
    # Until the time is up and every command ran at least once beside the bench.
    while time.time() < started + seconds or set(COMMANDS) - set(commands.runs):
        if bench.poll() is not None:
            break
        stop.wait(0.5)
    stop_file.touch()
    stopped_at = time.time()
    bench.wait(timeout=600)
    stop.set()
    for worker in workers:
        worker.join()
    result = Soak(seconds=time.time() - started, cli_runs=commands.runs)
    result.cli_failures = commands.failures
    if bench.returncode != 0:
        err = (scratch / "bench-stderr.txt").read_text(errors="replace")
        result.bench_stopped = f"bench process exit {bench.returncode}: {err[-500:]}"
    recorded = []
    times = [started]
    events = scratch / EVENTS
    for line in events.read_text(encoding="utf-8").splitlines() if events.exists() else ():
        event = json.loads(line)
        if "tracking_no" in event:
            recorded.append((event["order_no"], event["tracking_no"]))
            times.append(event["at"])
        elif "alert" in event:
            result.alerts += 1
        elif "stopped" in event:
            result.bench_stopped = event["stopped"]
        elif "skipped" in event:
            result.skipped[event["why"]] += 1
    result.parcels = len(recorded)
    ends = [*times[1:], stopped_at]
    result.longest_pause_s = max(b - a for a, b in zip(times, ends, strict=True))
    _count(data, recorded, commands.imported, result)
    return result


def _count(data: Path, recorded: list[tuple[str, str]], imported: list[str], result: Soak) -> None:
    from station.store.db import DB_FILE

    conn = sqlite3.connect(f"{(data / DB_FILE).resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = set(conn.execute("SELECT order_no, tracking_no FROM shipments"))
        result.lost_shipments = len(set(recorded) - found)
        result.lost_outbox_rows = conn.execute(
            "SELECT count(*) FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM outbox o "
            "WHERE o.shipment_id = s.id AND o.event = 'shipment.recorded')"
        ).fetchone()[0]
        result.lost_outbox_rows += len(set(recorded) - found)
        known = {o for (o,) in conn.execute("SELECT order_no FROM orders")}
        result.lost_imported_orders = len(set(imported) - known)
        result.pool_numbers_not_used = conn.execute(
            "SELECT count(*) FROM shipments s JOIN tracking_pool p USING (tracking_no) "
            "WHERE s.tracking_source = 'pool' AND (p.state != 'used' OR p.shipment_id != s.id)"
        ).fetchone()[0]
        result.duplicate_waybills = conn.execute(
            "SELECT count(*) FROM (SELECT tracking_no FROM shipments GROUP BY tracking_no "
            "HAVING count(*) > 1)"
        ).fetchone()[0]
        result.duplicate_waybills += len(recorded) - len({t for _, t in recorded})
        result.orders_shipped_twice = conn.execute(
            "SELECT count(*) FROM (SELECT order_no FROM shipments WHERE voided_at IS NULL "
            "GROUP BY order_no HAVING count(*) > 1)"
        ).fetchone()[0]
        result.integrity = "; ".join(r for (r,) in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--pack"]:
        return pack(Path(argv[1]), Path(argv[2]))
    parser = argparse.ArgumentParser(prog="python -m bench.soak_multiprocess")
    parser.add_argument("--minutes", type=float, default=5.0, help="how long (default 5)")
    parser.add_argument(
        "--folder", type=Path, help="where to keep the data (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    result = soak(args.minutes * 60, args.folder)
    print("\n".join(result.lines()))
    return 0 if result.clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Issue 5: importing 100,000 orders, and one routing decision.

The order file is a WeChat Shop export (separate province / city / district
columns) with one to three lines an order, written as GB18030 like Excel on
Chinese Windows. A second figure imports the same orders from a generic file
whose address is one column, so every address goes through the parser. A third
imports the shop file into a station that already holds a million orders (its
indexes are big and mostly not in memory). A fourth imports it again beside a
process that writes a small transaction every 20 ms, as the bench does when it
records, and reports the longest that process waited for the write lock (the
bench gives up after its 10 s busy timeout; issue 12).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bigdb import big_db, working_copy
from bench.common import Result, p95_ms, time_calls
from station.core.carriers import CARRIERS
from station.core.rates import DEFAULT_RATES, RateTable
from station.core.routing import DEFAULT_RULES_TOML, ParcelFacts, Router, parse_rules
from station.importers.commit import apply_plan, plan_orders
from station.importers.mapping import ORDERS, Mapping, choose_mapping
from station.importers.orders import parse_orders
from station.importers.table import read_table
from station.settings import Settings
from station.store import catalogue
from station.store.db import DB_FILE, connect

ORDERS_COUNT = 100_000
PLACES = [
    ("广东省", "深圳市", "南山区"),
    ("浙江省", "杭州市", "西湖区"),
    ("上海市", "上海市", "浦东新区"),
    ("北京市", "北京市", "朝阳区"),
    ("四川省", "成都市", "武侯区"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
]
SHOP_HEADER = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,"
    "订单状态,下单时间\n"
)
GENERIC_HEADER = "单号,货号,件数,姓名,电话,地址\n"


def write_files(folder: Path, count: int) -> tuple[Path, Path]:
    rng = random.Random(5)
    shop, generic = [SHOP_HEADER], [GENERIC_HEADER]
    for n in range(count):
        province, city, district = rng.choice(PLACES)
        street = f"人民路{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2808)}室"
        name, phone = f"客户{n}", f"13{rng.randrange(10**9):09d}"
        for line in range(rng.choice((1, 1, 2, 3))):
            sku = f"SKU-{rng.randrange(500)}-{line}"
            first = line == 0
            shop.append(
                f"WX{n:010d},{sku},商品{sku},{rng.randint(1, 3)},19.90,"
                + (
                    f"{name},{phone},{province},{city},{district},{street},待发货,"
                    f"2026-11-21 {n % 24:02d}:{n % 60:02d}:00\n"
                    if first
                    else ",,,,,,,\n"
                )
            )
            address = f"{province}{city}{district}{street}"
            generic.append(f"G{n:010d},{sku},{rng.randint(1, 3)},{name},{phone},{address}\n")
    shop_file, generic_file = folder / "shop.csv", folder / "generic.csv"
    shop_file.write_bytes("".join(shop).encode("gb18030"))
    generic_file.write_text("".join(generic), encoding="utf-8-sig")
    return shop_file, generic_file


def import_file(folder: Path, path: Path, mapping: Mapping | None) -> float:
    """Seconds from reading the file to the committed import (the database is
    opened, and upgraded if needed, before the clock starts)."""
    db = connect(folder / DB_FILE)
    start = time.perf_counter()
    table = read_table(path)
    preview = parse_orders(table, mapping or choose_mapping(table.headers, ORDERS))
    summary = apply_plan(db, plan_orders(db, preview, "bench"))
    seconds = time.perf_counter() - start
    assert summary.imported == ORDERS_COUNT and summary.rejected_rows == 0, summary
    db.close()
    return seconds


LOCK_PROBE = """
import pathlib, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("CREATE TABLE IF NOT EXISTS lock_probe (at REAL)")
stop, worst = pathlib.Path(sys.argv[2]), 0.0
print("ready", flush=True)
while not stop.exists():
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO lock_probe VALUES (?)", [start])
    conn.execute("COMMIT")
    worst = max(worst, time.perf_counter() - start)
    time.sleep(0.02)
print(worst, flush=True)
"""


def longest_lock_wait(folder: Path, path: Path) -> float:
    """Seconds a writer beside the import waited for the write lock, at most."""
    db_file, stop = folder / DB_FILE, folder / "stop-probe"
    connect(db_file).close()
    probe = subprocess.Popen(
        [sys.executable, "-c", LOCK_PROBE, str(db_file), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert probe.stdout is not None
    probe.stdout.readline()
    try:
        import_file(folder, path, None)
    finally:
        stop.touch()
    worst = float(probe.stdout.readline())
    probe.wait()
    return worst


def routing_samples(folder: Path) -> tuple[list[float], list[float], list[float]]:
    router = Router(parse_rules(DEFAULT_RULES_TOML), RateTable(DEFAULT_RATES), CARRIERS, "ZTO")
    rng = random.Random(7)
    parcels = [
        ParcelFacts(
            f"WX{n}",
            rng.choice(PLACES)[0],
            (rng.choice(("fresh", "clothing", "food", "fragile")),),
            rng.randrange(1_000, 400_000),
            rng.randrange(1_000, 400_000),
            rng.randrange(50, 20_000),
        )
        for n in range(2000)
    ]
    it = iter(parcels * 3)
    in_memory = time_calls(lambda: router.route(next(it)), repeat=5000)
    db = connect(folder / DB_FILE)
    settings = Settings.load(folder)
    order_nos = [r[0] for r in db.execute("SELECT order_no FROM orders LIMIT 1000").fetchall()]
    from station.store.orders import find_order

    orders = [find_order(db, n) for n in order_nos]
    cycle = iter(orders * 3)

    loaded = catalogue.load_router(db, folder, settings)

    def bench_decision() -> None:
        loaded.route(catalogue.parcel_for(db, next(cycle), 1200))

    with_load = time_calls(bench_decision, repeat=1000)
    load = time_calls(lambda: catalogue.load_router(db, folder, settings), repeat=200)
    db.close()
    return in_memory, with_load, load


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shop_file, generic_file = write_files(folder, ORDERS_COUNT)
        shop_seconds = import_file(folder / "a", _mkdir(folder / "a", shop_file), None)
        generic = Mapping(
            ORDERS,
            {
                "order_no": "单号",
                "sku": "货号",
                "quantity": "件数",
                "recipient_name": "姓名",
                "phone": "电话",
                "address": "地址",
            },
        )
        generic_seconds = import_file(folder / "b", _mkdir(folder / "b", generic_file), generic)
        working_copy(big_db(), folder / "big")
        big_seconds = import_file(folder / "big", shop_file, None)
        (folder / "c").mkdir()
        lock_wait = longest_lock_wait(folder / "c", shop_file)
        in_memory, with_load, load = routing_samples(folder / "a")
    return [
        Result(5, "import 100,000 orders, WeChat Shop CSV (GB18030)", shop_seconds, "s", "< 10 s"),
        Result(
            5,
            "import 100,000 orders, generic CSV, one address column",
            generic_seconds,
            "s",
            "< 10 s",
        ),
        Result(
            5,
            "import 100,000 orders, WeChat Shop CSV, into a station holding 1M orders",
            big_seconds,
            "s",
            "< 10 s",
        ),
        Result(
            12,
            "longest wait for the write lock beside a 100,000-order import",
            lock_wait,
            "s",
            "< 10 s (the bench's busy timeout)",
        ),
        Result(
            5, "routing decision p95, rules and rates in memory", p95_ms(in_memory), "ms", "< 1 ms"
        ),
        Result(
            5,
            "routing decision p95 at the bench, with catalogue lookups",
            p95_ms(with_load),
            "ms",
            "< 1 ms",
        ),
        Result(
            5,
            "loading rules and rates at an order scan, p95",
            p95_ms(load),
            "ms",
            "not in the weigh-to-label path",
        ),
    ]


def _mkdir(folder: Path, file: Path) -> Path:
    folder.mkdir()
    return file


if __name__ == "__main__":
    for result in run():
        print(result.row())

"""A large station database for benchmarks: N orders, N shipments, the demo catalogue.

Built once into bench/.data/ (ignored by git) and reused while the schema
version is unchanged; every benchmark works on its own copy when it writes.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from pathlib import Path

from station.demo import demo_products
from station.store.db import DB_FILE, connect, now_utc
from station.store.migrations import STEPS
from station.store.orders import save_products

DATA = Path(__file__).resolve().parent / ".data"


def big_db(orders: int = 1_000_000) -> Path:
    """Path of a database with `orders` orders, all but the last 1,000 shipped."""
    path = DATA / f"big-{orders}-v{len(STEPS)}" / DB_FILE
    if path.exists():
        return path
    if path.parent.exists():
        shutil.rmtree(path.parent)
    path.parent.mkdir(parents=True)
    started = time.perf_counter()
    db = connect(path)
    save_products(db, demo_products())
    db.close()
    _fill(path, orders)
    print(f"built {path} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def order_no(n: int) -> str:
    return f"WB{n:010d}"


def _fill(path: Path, orders: int) -> None:
    rng = random.Random(7)
    skus = [p.sku for p in demo_products()]
    stamp = now_utc()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    batch = 50_000
    for start in range(0, orders, batch):
        ids = range(start, min(start + batch, orders))
        conn.executemany(
            """INSERT INTO orders (order_no, pick_code, status, recipient_name, recipient_phone,
                 address, province, city, district, carrier, created_at, updated_at)
               VALUES (?, ?, ?, '张三', '13812345678', '浙江省杭州市西湖区文三路1号',
                       '浙江省', '杭州市', '西湖区', 'ZTO', ?, ?)""",
            [
                (
                    order_no(n),
                    f"P{n:010d}",
                    "shipped" if n < orders - 1000 else "open",
                    stamp,
                    stamp,
                )
                for n in ids
            ],
        )
        conn.executemany(
            "INSERT INTO order_lines (order_no, line_no, sku, name, quantity) "
            "VALUES (?, 1, ?, 'item', ?)",
            [(order_no(n), rng.choice(skus), rng.choice((1, 1, 2))) for n in ids],
        )
        conn.executemany(
            """INSERT INTO shipments (order_no, carrier, tracking_no, tracking_source, weight_g,
                 packer, station, started_at, recorded_at, label_status, print_count, printed_at)
               VALUES (?, 'ZTO', ?, 'pool', ?, 'packer', 'bench-1', ?, ?, 'printed', 1, ?)""",
            [
                (order_no(n), f"7{n:013d}", rng.randint(100, 5000), stamp, stamp, stamp)
                for n in ids
                if n < orders - 1000
            ],
        )
    conn.execute("COMMIT")
    conn.executemany(
        "INSERT INTO tracking_pool (tracking_no, carrier, imported_at) VALUES (?, 'ZTO', ?)",
        [(f"75{n:012d}", stamp) for n in range(1, 5001)],
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def working_copy(source: Path, target_dir: Path) -> Path:
    """A copy to write to, so the cached database stays as built."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / DB_FILE
    shutil.copyfile(source, target)
    return target

"""A large station database for benchmarks: N orders, N shipments, the demo catalogue.

The shipments are spread evenly over the `DAYS` days before the build (about
10,000 a day for a million), over 4 benches and 12 packers and five carriers,
with their upload-queue rows and a few exceptions (wrong item scans, weight
mismatches, overrides), so reports meet a realistic day. Only the exception scan
events are written, not every ok scan: the report queries read exceptions
through a partial index that the ok events would not enter.

Built once into bench/.data/ (ignored by git) and reused while the schema
version and `FILL_VERSION` are unchanged; every benchmark works on its own copy
when it writes.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.demo import demo_products
from station.store.db import DB_FILE, connect, iso, now_utc
from station.store.migrations import STEPS
from station.store.orders import save_products

DATA = Path(__file__).resolve().parent / ".data"
FILL_VERSION = 3
DAYS = 100
STATIONS = tuple(f"bench-{n}" for n in range(1, 5))
PACKERS = tuple(f"p{n:02d}" for n in range(1, 13))
CARRIER_MIX = ("ZTO",) * 12 + ("SF",) * 3 + ("YTO",) * 2 + ("STO", "YD", "JTSD")


def big_db(orders: int = 1_000_000) -> Path:
    """Path of a database with `orders` orders, all but the last 1,000 shipped."""
    folder = DATA / f"big-{orders}-v{len(STEPS)}-f{FILL_VERSION}"
    if (folder / DB_FILE).exists():
        return folder / DB_FILE
    # Built aside and renamed when whole: an interrupted build is never reused.
    partial = folder.with_name(folder.name + ".partial")
    for leftover in (folder, partial):
        shutil.rmtree(leftover, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    db = connect(partial / DB_FILE)
    save_products(db, demo_products())
    db.close()
    _fill(partial / DB_FILE, orders)
    partial.rename(folder)
    print(f"built {folder / DB_FILE} in {time.perf_counter() - started:.0f} s", flush=True)
    return folder / DB_FILE


def order_no(n: int) -> str:
    return f"WB{n:010d}"


@dataclass(frozen=True)
class _Shipped:
    """One generated shipment: who, where, which carrier, and when (UTC)."""

    n: int
    station: str
    packer: str
    carrier: str
    recorded: datetime
    cycle_s: int

    def row(self, weight_g: int, print_count: int) -> tuple:
        started = self.recorded - timedelta(seconds=self.cycle_s - 1)
        printed = self.recorded + timedelta(seconds=1)
        return (
            order_no(self.n),
            self.carrier,
            f"7{self.n:013d}",
            weight_g,
            self.packer,
            self.station,
            iso(started),
            iso(started + timedelta(seconds=self.cycle_s // 2)),
            iso(self.recorded),
            print_count,
            iso(printed),
        )


def _shipped(n: int, shipped: int, end: datetime, rng: random.Random) -> _Shipped:
    """Shipment n of `shipped`, spread evenly over the DAYS days before `end`."""
    step = DAYS * 86400 / shipped
    station = STATIONS[n % len(STATIONS)]
    packer = PACKERS[(n % len(STATIONS)) * 3 + (n // 7) % 3]
    return _Shipped(
        n,
        station,
        packer,
        rng.choice(CARRIER_MIX),
        end - timedelta(seconds=(shipped - n) * step),
        rng.randint(30, 240),
    )


def _fill(path: Path, orders: int) -> None:
    rng = random.Random(7)
    skus = [p.sku for p in demo_products()]
    stamp = now_utc()
    end = datetime.now(UTC)
    shipped = orders - 1000
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    batch = 50_000
    for start in range(0, orders, batch):
        ids = range(start, min(start + batch, orders))
        made = {n: _shipped(n, shipped, end, rng) for n in ids if n < shipped}
        # Every order keeps its searchable phone digits and name fingerprint (3 years'
        # retention), so the search indexes are as big and as random as a real station's.
        conn.executemany(
            """INSERT INTO orders (order_no, pick_code, status, recipient_name, recipient_phone,
                 address, province, city, district, carrier, order_value_fen, created_at,
                 updated_at, phone_last4, name_index)
               VALUES (?, ?, ?, '张三', '13812345678', '浙江省杭州市西湖区文三路1号',
                       '浙江省', '杭州市', '西湖区', ?, ?, ?, ?, ?, ?)""",
            [
                (
                    order_no(n),
                    f"P{n:010d}",
                    "shipped" if n in made else "open",
                    made[n].carrier if n in made else "ZTO",
                    rng.randint(990, 59_900),
                    stamp,
                    stamp,
                    f"{rng.randrange(10_000):04d}",
                    f"{rng.getrandbits(96):024x}",
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
                 packer, station, started_at, verified_at, recorded_at, label_status,
                 print_count, printed_at)
               VALUES (?, ?, ?, 'pool', ?, ?, ?, ?, ?, ?, 'printed', ?, ?)""",
            [s.row(rng.randint(100, 5000), 2 if rng.random() < 0.02 else 1) for s in made.values()],
        )
        _fill_queue_and_exceptions(conn, made.values(), end, rng)
    conn.execute("COMMIT")
    conn.executemany(
        "INSERT INTO tracking_pool (tracking_no, carrier, imported_at) VALUES (?, 'ZTO', ?)",
        [(f"75{n:012d}", stamp) for n in range(1, 5001)],
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _fill_queue_and_exceptions(
    conn: sqlite3.Connection, made: Iterable[_Shipped], end: datetime, rng: random.Random
) -> None:
    """Upload-queue rows (done, except some of the last hour), 3% wrong item scans,
    2% weight mismatches and 1% overrides, linked to their shipments by order number."""
    outbox, events, overrides = [], [], []
    recent = end - timedelta(hours=1)
    for s in made:
        at = iso(s.recorded)
        state = "queued" if s.recorded > recent and rng.random() < 0.3 else "done"
        key = f"ship:{order_no(s.n)}:7{s.n:013d}"
        outbox.append((order_no(s.n), key, state, at))
        if rng.random() < 0.03:
            events.append(
                (order_no(s.n), at, "item", "6900000000000", "refused", s.station, s.packer)
            )
        if rng.random() < 0.02:
            events.append((order_no(s.n), at, "weight", "999", "mismatch", s.station, s.packer))
        if rng.random() < 0.01:
            overrides.append((order_no(s.n), at, s.station))
    conn.executemany(
        """INSERT INTO outbox (event, shipment_id, order_no, idempotency_key, payload, state,
             created_at)
           VALUES ('shipment.recorded', (SELECT id FROM shipments WHERE order_no = ?), ?, ?,
                   '{}', ?, ?)""",
        _order_no_twice(outbox),
    )
    conn.executemany(
        """INSERT INTO scan_events (shipment_id, order_no, at, kind, code, result, station, packer)
           VALUES ((SELECT id FROM shipments WHERE order_no = ?), ?, ?, ?, ?, ?, ?, ?)""",
        _order_no_twice(events),
    )
    conn.executemany(
        """INSERT INTO overrides (shipment_id, order_no, at, kind, subject, supervisor, reason,
             station)
           VALUES ((SELECT id FROM shipments WHERE order_no = ?), ?, ?, 'weight', '999',
                   'supervisor', 'different carton', ?)""",
        _order_no_twice(overrides),
    )


def _order_no_twice(rows: list[tuple]) -> Iterator[tuple]:
    """Each row with its order number first again: the statement looks the shipment up
    by it and stores it (numbered placeholders such as ?1 cannot take a sequence
    from Python 3.14 on)."""
    return ((row[0], *row) for row in rows)


def working_copy(source: Path, target_dir: Path) -> Path:
    """A copy to write to, so the cached database stays as built.

    Copied by SQLite's backup API, never as a file: a copy of the file alone
    misses what its WAL still holds, and opening and closing the file in a
    process that holds a connection to it drops that connection's locks.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / DB_FILE
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()
    return target

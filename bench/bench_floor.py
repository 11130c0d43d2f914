"""Issue 13, supervisors see the floor: the warehouse view over a hub of 10 million
shipments, and how soon a shipment recorded at a bench shows in it.

1. 10 million shipments made at the hub by generate_series (20 benches, 40
   packers, 5 carriers, 8,000 parcels a day back over 3.4 years, so today holds a
   busy day's parcels), the hourly roll-up built from them as the schema step
   does; then the view's refresh (Floor.report for today, what the Warehouse tab
   calls every second: connect, check the schema, read) timed, and a week's too.
2. On top of them, 20 bench processes, each with its own SQLite database and the
   real uploader thread (push target, puller and heartbeat) pointed at the hub,
   recording parcels through the store at 10x a packer's pace (68 parcels an
   hour, so one every 5.3 s) and waking the uploader as the bench does; a viewer
   refreshes the floor once a second as the tab does. A shipment is visible at
   the first refresh that counts it at its bench; the figure is the time from its
   recording until that refresh returned.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.common import Result, median_ms, p95_ms, percentile, time_calls
from station.app.floor import Floor, Period
from station.hub.db import connect
from station.hub.private import private_hub
from station.hub.schema import SHIPMENT_HOURS_BACKFILL

SHIPMENTS = 10_000_000
CHUNK = 1_000_000
SECONDS_APART = 10.8  # 8,000 parcels a day
BENCHES = 20
PACE_S = 3600 / 680  # 10x a packer's 68 parcels an hour
RECORD_FOR_S = 90.0
VIEW_EVERY_S = 1.0  # the Warehouse tab's refresh
ROOT = Path(__file__).resolve().parent.parent

_GENERATE = """
INSERT INTO shipments (bench, bench_shipment_id, order_no, carrier, tracking_no, weight_g,
                       packer, recorded_at, voided_at, payload)
SELECT 'bench-' || (i %% 20), i, 'G' || i,
       (ARRAY['ZTO', 'YTO', 'STO', 'YD', 'SF'])[1 + i %% 5], 'T' || i, 200 + i %% 2000,
       'packer-' || (i %% 20) || '-' || (i / 4000 %% 2),
       now() - i * interval '10.8 seconds',
       CASE WHEN i %% 500 = 0 THEN now() END, '{}'::jsonb
FROM generate_series(%s::bigint, %s::bigint) AS i
"""


def fill(url: str) -> float:
    """10 million shipments and their roll-up; seconds taken."""
    start = time.perf_counter()
    with connect(url, 3600.0) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("ALTER TABLE shipments DISABLE TRIGGER USER")
        for first in range(1, SHIPMENTS + 1, CHUNK):
            conn.execute(_GENERATE, [first, first + CHUNK - 1])
            print(f"  {first + CHUNK - 1:,} shipments", flush=True)
        conn.execute("ALTER TABLE shipments ENABLE TRIGGER USER")
        conn.execute("TRUNCATE shipment_hours")
        conn.execute(SHIPMENT_HOURS_BACKFILL)
        conn.execute("VACUUM ANALYZE shipments")
        conn.execute("VACUUM ANALYZE shipment_hours")
    return time.perf_counter() - start


def _bench(url: str, name: str, folder: str, seconds: str) -> None:
    """One simulated bench: records at the pace, prints when each was recorded."""
    from station.core.carriers import carrier
    from station.core.model import Contact
    from station.core.session import PackingSession, Phase
    from station.core.weighing import WeightRule
    from station.settings import Settings
    from station.store import orders, shipments
    from station.store.db import DB_FILE
    from station.store.db import connect as connect_sqlite
    from station.store.orders import NewLine, save_order
    from station.sync.worker import UploaderThread

    data = Path(folder)
    data.mkdir(parents=True)
    settings = Settings.load(data).save(hub__url=url, station__name=name, station__packer=name)
    db = connect_sqlite(data / DB_FILE)
    uploader = UploaderThread(data, settings)
    uploader.start()
    rule = WeightRule()
    index = int(name.rsplit("-", 1)[1])
    print("ready", flush=True)
    sys.stdin.readline()
    recorded: list[float] = []
    deadline = time.time() + float(seconds)
    n = 0
    while time.time() < deadline:
        n += 1
        order_no = f"{name}-O{n}"
        save_order(
            db,
            order_no,
            Contact("张三", "13812345678", "浙江省杭州市文三路1号"),
            [NewLine("CUP-350", "杯子", 1)],
        )
        order = orders.find_order(db, order_no)
        now = datetime.now(UTC)
        session = PackingSession(order, rule, now)
        session.scan_item("CUP-350", now, True)
        session.weigh(500, now)
        if session.phase is Phase.WEIGHT_MISMATCH:
            session.override_weight(now, "boss", "benchmark")
        session.assign_carrier(carrier("ZTO"))
        assert session.scan_tracking(f"7356{index:02d}{n:07d}", now) is None
        shipments.record_shipment(db, session, name, name)
        recorded.append(time.time())
        uploader.wake()
        time.sleep(max(0.0, PACE_S - (time.time() - recorded[-1])))
    time.sleep(3.0)  # the last ones reach the hub
    uploader.stop()
    db.close()
    print(json.dumps(recorded), flush=True)


def visibility(url: str, folder: Path) -> list[float]:
    """Seconds from recording to the first view refresh that shows it."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.bench_floor",
                url,
                f"sim-{k}",
                str(folder / f"sim-{k}"),
                str(RECORD_FOR_S),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for k in range(BENCHES)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    floor = Floor(url)
    period = Period.today()
    seen: list[tuple[float, dict[str, int]]] = []
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    end = time.time() + RECORD_FOR_S + 4.0
    while time.time() < end:
        asked = time.time()
        report = floor.report(period)
        seen.append((time.time(), {b.bench: b.parcels for b in report.benches}))
        time.sleep(max(0.0, VIEW_EVERY_S - (time.time() - asked)))
    delays: list[float] = []
    for k, proc in enumerate(procs):
        times = json.loads(proc.communicate()[0].strip().splitlines()[-1])
        for n, at in enumerate(times, start=1):
            shown = next((t for t, counts in seen if counts.get(f"sim-{k}", 0) >= n), None)
            assert shown is not None, f"sim-{k} shipment {n} never showed"
            delays.append(shown - at)
    return delays


def run() -> list[Result]:
    with (
        private_hub("station-bench-floor-") as server,
        tempfile.TemporaryDirectory(prefix="station-bench-benches-") as benches,
    ):
        url = server.url()
        filled = fill(url)
        print(f"  filled in {filled:.0f} s", flush=True)
        floor = Floor(url)
        today = time_calls(lambda: floor.report(Period.today()), repeat=30)
        first = Period.today().start.date().replace(day=1)
        month = time_calls(lambda: floor.report(Period.days(first, date.today())), repeat=10)
        with connect(url) as conn:
            count = conn.execute("SELECT count(*) FROM shipments").fetchone()
        assert count is not None and count[0] == SHIPMENTS
        delays = visibility(url, Path(benches))
    over = f"over {SHIPMENTS / 1e6:.0f} million shipments"
    seen = f"recorded shipment visible in the warehouse view, {BENCHES} benches at 10x pace"
    return [
        Result(13, f"warehouse view refresh, today, {over} (median)", median_ms(today), "ms", "-"),
        Result(
            13, f"warehouse view refresh, today, {over} (p95)", p95_ms(today), "ms", "<= 300 ms"
        ),
        Result(
            13, f"warehouse view refresh, this month so far, {over} (p95)", p95_ms(month), "ms", "-"
        ),
        Result(
            13,
            f"{seen} (median)",
            statistics.median(delays),
            "s",
            "-",
        ),
        Result(
            13,
            f"{seen} (p95 of {len(delays)})",
            percentile(delays, 95),
            "s",
            "<= 2 s",
        ),
    ]


if __name__ == "__main__":
    _bench(*sys.argv[1:5])

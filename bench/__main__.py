"""`make bench`: runs every bench/bench_*.py and writes docs/benchmarks.md.

Each module exposes `run() -> list[Result]` and runs in a process of its own, so
one benchmark's memory and garbage never slow the next. Benchmarks build their
own data in a scratch folder and are never part of `make test`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench.common import Result

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


RESULTS_MARK = "@@results "


def run_isolated(name: str) -> list[Result]:
    """Run one benchmark module in a fresh interpreter and collect its results."""
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--one", name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    lines = out.splitlines()
    print("\n".join(line for line in lines if not line.startswith(RESULTS_MARK)), flush=True)
    marked = next(line for line in lines if line.startswith(RESULTS_MARK))
    return [Result(**fields) for fields in json.loads(marked[len(RESULTS_MARK) :])]


def run_one(name: str) -> int:
    module = importlib.import_module(f"bench.{name}")
    results = [dataclasses.asdict(r) for r in module.run()]
    print(RESULTS_MARK + json.dumps(results), flush=True)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        return run_one(argv[1])
    names = argv or sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    results: list[Result] = []
    for name in names:
        print(f"== {name}", flush=True)
        for result in run_isolated(name):
            print(result.row(), flush=True)
            results.append(result)
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `make bench` "
        f"on: {machine()}.",
        "",
        "| issue | what | measured | target |",
        "| --- | --- | --- | --- |",
        *(r.row() for r in results),
        "",
    ]
    out = ROOT / "docs" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

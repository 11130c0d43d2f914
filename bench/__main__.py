"""`make bench`: runs every bench/bench_*.py and writes docs/benchmarks.md.

Each module exposes `run() -> list[Result]` and runs in a process of its own, so
one benchmark's memory and garbage never slow the next. Benchmarks build their
own data in a scratch folder and are never part of `make test`.

`make bench NAMES="bench_import"` (or `python -m bench bench_import`) runs only
those; their figures replace the earlier ones in docs/benchmarks.json, from which
docs/benchmarks.md is written whole, with when and where each module was measured.
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
    measured = _load_measured()
    run_at = f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    for name in names:
        print(f"== {name}", flush=True)
        results = run_isolated(name)
        for result in results:
            print(result.row(), flush=True)
        measured[name] = {
            "at": run_at,
            "machine": machine(),
            "results": [dataclasses.asdict(r) for r in results],
        }
    MEASURED.write_text(json.dumps(measured, indent=1, ensure_ascii=False) + "\n", "utf-8")
    REPORT.write_text(report(measured), encoding="utf-8")
    print(f"wrote {REPORT}")
    return 0


MEASURED = ROOT / "docs" / "benchmarks.json"
REPORT = ROOT / "docs" / "benchmarks.md"


def _load_measured() -> dict[str, dict]:
    try:
        return json.loads(MEASURED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def report(measured: dict[str, dict]) -> str:
    """The Markdown report: every figure by issue, then when and where each ran."""
    rows = sorted(
        (Result(**fields) for run in measured.values() for fields in run["results"]),
        key=lambda r: r.issue,
    )
    runs = {(run["at"], run["machine"]) for run in measured.values()}
    if len(runs) == 1:
        ((at, where),) = runs
        provenance = [f"Measured {at} by `make bench` on: {where}."]
    else:
        provenance = [
            "Measured by `make bench`, module by module:",
            "",
            *(f"- `{name}`: {run['at']} on {run['machine']}" for name, run in measured.items()),
        ]
    return "\n".join(
        [
            "# Benchmarks",
            "",
            *provenance,
            "",
            "| issue | what | measured | target |",
            "| --- | --- | --- | --- |",
            *(r.row() for r in rows),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

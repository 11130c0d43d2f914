"""Issue 2: cold start to a ready window, and the memory of a running bench.

Each run starts `station run --smoke` as a new process on a demo database with
1,000,000 orders and shipments, and times it until the window is up and the
process has printed "ready". Memory is the process's peak resident size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bigdb import big_db, working_copy
from bench.common import Result, median_ms, percentile
from station.settings import Settings

RUNS = 7


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-start-"))
    working_copy(big_db(), folder)
    Settings.load(folder).save(
        scale__simulate=True, station__require_sign_in=False, sync__enabled=False
    )
    return folder


def _start_once(folder: Path) -> tuple[float, int]:
    """Seconds to "ready", and the peak memory the station reports (VmHWM: unlike
    the rusage of a child, it does not count this process's pages before exec)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(folder), "run", "--smoke"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    ready = time.perf_counter() - start
    rest = proc.stdout.read()
    proc.wait(timeout=60)
    if line.strip() != "ready" or "peak_rss_kib" not in rest:
        raise RuntimeError(f"the station did not start: {line!r} {rest!r}")
    return ready, int(rest.split("peak_rss_kib")[1].split()[0])


def run() -> list[Result]:
    folder = _folder()
    _start_once(folder)
    samples = [_start_once(folder) for _ in range(RUNS)]
    seconds = [s * 1000 for s, _ in samples]
    peak_mib = max(kib for _, kib in samples) / 1024
    return [
        Result(
            2,
            f"cold start to ready window, median of {RUNS} (1M orders)",
            median_ms(seconds),
            "ms",
            "< 2,000 ms",
        ),
        Result(
            2,
            f"cold start to ready window, worst of {RUNS}",
            percentile(seconds, 100),
            "ms",
            "< 2,000 ms",
        ),
        Result(2, "memory of the running bench (peak RSS)", peak_mib, "MiB", "< 300 MiB"),
    ]

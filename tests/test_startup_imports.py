"""The bench starts without pandas and numpy: only an order import needs them.

sqlite-utils imports both when installed (0.08 s and 34 MiB of the bench's
memory); the station imports it with them hidden (station/__init__.py). Each
check runs in a fresh interpreter, as the first import decides.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_opening_the_bench_imports_neither_pandas_nor_numpy(tmp_path: Path) -> None:
    lines = _run(
        "import sys\n"
        "from station.cli import main\n"
        f"code = main(['--data-dir', {str(tmp_path / 'data')!r}, 'run', '--smoke'])\n"
        "print('exit', code)\n"
        "print('loaded', *[m for m in ('pandas', 'numpy') if m in sys.modules])\n"
    )
    assert "ready" in lines
    assert lines[-2:] == ["exit 0", "loaded"]


def test_parsing_addresses_loads_them_when_needed() -> None:
    lines = _run(
        "import sys\n"
        "from station.core.address import parse_address\n"
        "print('before', 'pandas' in sys.modules)\n"
        "print(*parse_address('广东省深圳市南山区科技园南区8栋')[:3])\n"
        "print('after', 'pandas' in sys.modules)\n"
    )
    assert lines == ["before False", "广东省 深圳市 南山区", "after True"]

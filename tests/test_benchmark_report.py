"""`make bench NAMES=...`: a partial run replaces only its own figures in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.__main__ as bench_main
from bench.common import Result


def _fake_run(figures: dict[str, float]):  # type: ignore[no-untyped-def]
    def run_isolated(name: str) -> list[Result]:
        return [
            Result(
                5 if name == "bench_import" else 2, f"{name} figure", figures[name], "s", "< 10 s"
            )
        ]

    return run_isolated


def test_a_partial_run_keeps_the_other_modules_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_main, "MEASURED", tmp_path / "benchmarks.json")
    monkeypatch.setattr(bench_main, "REPORT", tmp_path / "benchmarks.md")
    monkeypatch.setattr(
        bench_main, "run_isolated", _fake_run({"bench_flow": 1.5, "bench_import": 9.0})
    )
    bench_main.main(["bench_flow", "bench_import"])
    first = (tmp_path / "benchmarks.md").read_text()
    assert "| #2 | bench_flow figure | 1.500 s |" in first and "9.000 s" in first
    assert "module by module" not in first, "one run: one line says when and where"

    monkeypatch.setattr(bench_main, "run_isolated", _fake_run({"bench_import": 6.25}))
    monkeypatch.setattr(bench_main, "machine", lambda: "another machine")
    bench_main.main(["bench_import"])
    report = (tmp_path / "benchmarks.md").read_text()
    assert "| #2 | bench_flow figure | 1.500 s |" in report
    assert "| #5 | bench_import figure | 6.250 s |" in report and "9.000 s" not in report
    assert (
        "module by module" in report and "`bench_import`:" in report and "another machine" in report
    )
    stored = json.loads((tmp_path / "benchmarks.json").read_text())
    assert set(stored) == {"bench_flow", "bench_import"}

"""Waybill-number patterns run with RE2 in linear time: a catastrophic pattern for
a backtracking engine is harmless, a pattern RE2 cannot run is refused where it is
typed or imported, and one stored by an older version accepts nothing and is logged."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from station.cli import main
from station.core.carriers import (
    MAX_PATTERN_LENGTH,
    MAX_WAYBILL_LENGTH,
    Carrier,
    pattern_problem,
)
from station.store import catalogue
from station.store.db import DB_FILE, connect

CATASTROPHIC = r"(\d+)+Z"
ROOT = Path(__file__).resolve().parent.parent


def carriers_cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "carriers", *args])


def test_a_catastrophic_pattern_ends_on_a_long_scan() -> None:
    """Python's `re` needs about 2**n steps for n digits here (26 digits took 15 s;
    39 would take days): in a child process bounded by a timeout, the match must end
    and say no. Not a timing assertion: without a linear engine it never ends."""
    code = (
        "from station.core.carriers import Carrier\n"
        f"c = Carrier('X', 'x', 'x', {CATASTROPHIC!r})\n"
        f"print(c.accepts('1' * {MAX_WAYBILL_LENGTH - 1}), c.accepts('1' * 26 + 'Z'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stdout.split() == ["False", "True"]


def test_scans_longer_than_any_waybill_are_never_matched() -> None:
    anything = Carrier("X", "x", "x", r".*")
    assert anything.accepts("7" * MAX_WAYBILL_LENGTH)
    assert not anything.accepts("7" * (MAX_WAYBILL_LENGTH + 1))
    assert not anything.accepts("7" * 1_000_000)


def test_set_refuses_patterns_re2_cannot_run_naming_pattern_and_reason(
    data_dir: Path, capsys
) -> None:
    for pattern, reason in (
        (r"(\d)\1{11}", "back-references"),
        (r"(?=7)\d{12}", "look-arounds"),
        (r"\d{1001}", "repetition"),
        ("7" * (MAX_PATTERN_LENGTH + 1), f"more than the {MAX_PATTERN_LENGTH} allowed"),
    ):
        assert carriers_cli(data_dir, "set", "--technician", "ZTO", "--pattern", pattern) == 2
        err = capsys.readouterr().err
        assert pattern[:40] in err and reason in err and "Nothing was changed" in err
    db = connect(data_dir / DB_FILE)
    try:
        assert catalogue.entries(db)["ZTO"].carrier.pattern == r"\d{12,15}"
    finally:
        db.close()


def test_import_refuses_the_row_with_a_backreference_and_keeps_the_others(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    sheet = tmp_path / "carriers.csv"
    sheet.write_text("code,pattern\nZTO,(\\d)\\1+\nSF,SF\\d{12}\nSTO,(\\d+)+Z\n")
    assert carriers_cli(data_dir, "import", "--technician", str(sheet)) == 1
    out = capsys.readouterr().out
    assert "line 2" in out and "back-references" in out and "rejected rows: 1" in out
    db = connect(data_dir / DB_FILE)
    try:
        patterns = {code: e.carrier.pattern for code, e in catalogue.entries(db).items()}
    finally:
        db.close()
    assert patterns["ZTO"] == r"\d{12,15}"
    assert patterns["SF"] == r"SF\d{12}" and patterns["STO"] == CATASTROPHIC


def test_a_stored_pattern_re2_cannot_run_accepts_nothing_and_is_logged(db, caplog) -> None:
    """An older version checked patterns with Python's `re`, which takes
    back-references: such a pattern found in the database is not run at all."""
    db.execute("UPDATE carriers SET pattern = ? WHERE code = 'ZTO'", [r"((\d)\2*)+Z"])
    db.conn.commit()
    with caplog.at_level(logging.WARNING, logger="station.store.catalogue"):
        zto = catalogue.carriers(db)["ZTO"]
    assert not zto.accepts("1" * 30 + "Z") and not zto.accepts("111Z")
    assert "ZTO" in caplog.text and "station carriers set ZTO --pattern" in caplog.text


@given(st.text(max_size=MAX_PATTERN_LENGTH + 20), st.text(max_size=80))
def test_any_pattern_is_either_refused_or_matches_without_raising(pattern: str, code: str) -> None:
    problem = pattern_problem(pattern)
    if len(pattern) > MAX_PATTERN_LENGTH:
        assert problem is not None
    accepted = Carrier("X", "x", "x", pattern).accepts(code)
    assert not (accepted and (problem is not None or len(code.strip()) > MAX_WAYBILL_LENGTH))

"""The `regex` scale protocol runs a technician's pattern with RE2: a pattern that
backtracks exponentially in Python's `re` ends at once on a full 80-byte line, and
back-references are refused when the protocol is made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from station.devices.scale.regex import regex_protocol

ROOT = Path(__file__).resolve().parent.parent


def test_a_catastrophic_scale_pattern_ends_on_a_long_line() -> None:
    """In a child bounded by a timeout: with `re` this line takes about 2**78 steps."""
    code = (
        "from station.devices.scale.regex import regex_protocol\n"
        "parser = regex_protocol(r'(?P<weight>(\\d+)+)X').parser()\n"
        "events = parser.feed(b'1' * 78 + b'\\r\\n')\n"
        "print(type(events[0]).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stdout.strip() == "Rejected"


def test_a_back_reference_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="back-references"):
        regex_protocol(r"(?P<weight>\d)\1")

"""`station scale ...` run as a subprocess against the simulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from station.devices.scale import NAMES, ScaleSimulator

ROOT = Path(__file__).resolve().parent.parent


def station(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "scale", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("name", ["ad", "mt-sics"])
def test_read_stable_json(name):
    with ScaleSimulator(name, 1234, rate=50) as sim:
        done = station("read", "--port", sim.port_path, "--protocol", name, "--stable", "--json")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    reading = json.loads(line)
    assert reading["grams"] == "1234.000"
    assert reading["stable"] is True and reading["status"] == "ok"
    assert "1.234" in reading["raw"] and reading["unit"] == "kg"


def test_read_stable_times_out_with_exit_3_on_a_wobbling_scale():
    with ScaleSimulator("ad", 1234, rate=50) as sim:
        sim.set_unstable(True)
        done = station(
            "read", "--port", sim.port_path, "--protocol", "ad", "--stable", "--timeout", "1"
        )
    assert done.returncode == 3
    assert done.stdout == ""


def test_read_count_prints_readable_lines():
    with ScaleSimulator("xk3190-a12", -250, rate=50) as sim:
        args = ("read", "--port", sim.port_path, "--protocol", "xk3190-a12", "--count", "3")
        done = station(*args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert all("-250.000 g" in line for line in lines)


def test_unknown_protocol_lists_valid_names():
    done = station("read", "--port", "/dev/null", "--protocol", "mettler")
    assert done.returncode == 2
    assert all(name in done.stderr for name in NAMES)


def test_a_port_that_cannot_open_says_what_to_check(tmp_path):
    done = station("read", "--port", str(tmp_path / "ttyUSB7"), "--protocol", "ad")
    assert done.returncode == 4
    assert "does not exist" in done.stderr and "plugged in" in done.stderr


def test_detect_names_the_protocol():
    with ScaleSimulator("toledo-continuous", 500, rate=50) as sim:
        done = station("detect", "--port", sim.port_path)
    assert done.returncode == 0, done.stderr
    assert "use: --protocol toledo-continuous --baud 9600" in done.stdout


def test_simulate_prints_its_port_and_takes_weights_from_stdin():
    sim = subprocess.Popen(
        [sys.executable, "-m", "station", "scale", "simulate", "--protocol", "ad"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = sim.stdout.readline().strip()
        assert Path(port).exists()
        sim.stdin.write("2.5kg\n")
        sim.stdin.flush()
        done = station("read", "--port", port, "--protocol", "ad", "--stable", "--json")
        for _ in range(3):
            if json.loads(done.stdout)["grams"] == "2500.000":
                break
            done = station("read", "--port", port, "--protocol", "ad", "--stable", "--json")
        assert json.loads(done.stdout)["grams"] == "2500.000"
        sim.stdin.write("quit\n")
        sim.stdin.flush()
        assert sim.wait(5) == 0
        assert not Path(port).exists()
    finally:
        sim.kill()
        sim.wait()
        for stream in (sim.stdin, sim.stdout, sim.stderr):
            stream.close()


def test_simulate_help_documents_the_stdin_commands():
    done = station("simulate", "--help")
    for word in ("wobble", "over", "silent", "off", "noise", "quit"):
        assert word in done.stdout

"""Issue 3: scale latency (last byte of a stable frame to the consumer callback)
and parser throughput."""

from __future__ import annotations

import os
import threading
import time
import tty
from decimal import Decimal

from bench.common import Result, p95_ms
from station.core.reading import Reading
from station.devices.scale import NAMES, ScaleDriver, get_protocol

LATENCY_FRAMES = 300
THROUGHPUT_FRAMES = 50_000


def _latency_ms(name: str) -> list[float]:
    """Write frames of distinct weights to a pty, one at a time, and time each
    from its last byte leaving the writer to its reading reaching the callback."""
    protocol = get_protocol(name)
    master, slave = os.openpty()
    tty.setraw(slave)
    arrived: dict[Decimal, float] = {}
    got = threading.Condition()

    def on_reading(reading: Reading) -> None:
        with got:
            arrived[reading.grams] = time.perf_counter()
            got.notify_all()

    driver = ScaleDriver(os.ttyname(slave), protocol, on_reading=on_reading, on_link=print_none)
    driver.start()
    samples = []
    try:
        for i in range(-20, LATENCY_FRAMES):
            grams = Decimal(1000 + i)
            frame = protocol.encode(Reading(grams, True, "kg"))
            os.write(master, frame)
            sent = time.perf_counter()
            with got:
                got.wait_for(lambda g=grams: g in arrived, 2.0)
            if i >= 0 and grams in arrived:
                samples.append((arrived[grams] - sent) * 1000)
            time.sleep(0.005)
    finally:
        driver.stop()
        os.close(master)
        os.close(slave)
    return samples


def print_none(*_: object) -> None:
    """Link changes do not matter to the benchmark."""


def _frames_per_second(name: str) -> float:
    protocol = get_protocol(name)
    frames = [protocol.encode(Reading(Decimal(i % 90_000), True, "kg")) for i in range(1000)]
    stream = b"".join(frames) * (THROUGHPUT_FRAMES // len(frames))
    chunks = [stream[i : i + 4096] for i in range(0, len(stream), 4096)]
    parser = protocol.parser()
    start = time.perf_counter()
    count = sum(len(parser.feed(chunk)) for chunk in chunks)
    elapsed = time.perf_counter() - start
    assert count == THROUGHPUT_FRAMES, count
    return count / elapsed


def run() -> list[Result]:
    results = []
    for name in ("ad", "toledo-continuous"):
        samples = _latency_ms(name)
        results.append(
            Result(
                3,
                f"scale {name}: last frame byte to callback, p95",
                p95_ms(samples),
                "ms",
                "< 20 ms",
            )
        )
    for name in NAMES:
        results.append(
            Result(
                3, f"scale parser {name}", _frames_per_second(name), "frames/s", "> 50,000 frames/s"
            )
        )
    return results

"""Issue 4: render time per label (p95), each label with a new tracking number.

Rendering only (`printer.render`), no I/O: what the bench waits for between
recording a shipment and handing the bytes to the printer thread.
"""

from __future__ import annotations

import itertools

from bench.common import Result, p95_ms, time_calls
from printers import open_printer
from printers.sample import sample_waybill

REPEAT = 300

CASES = (
    ("ESC/POS native, 76x130", "escpos+tcp://127.0.0.1:9100?mode=native", "76x130", 5),
    ("ESC/POS raster 203 dpi, 76x130", "escpos+tcp://127.0.0.1:9100?mode=raster", "76x130", 30),
    ("PDF, 76x130", "pdf:/tmp", "76x130", 40),
    ("TSPL, 76x130", "tspl+tcp://127.0.0.1:9100", "76x130", 5),
    ("PDF, 100x180", "pdf:/tmp", "100x180", 40),
    ("ESC/POS raster 300 dpi, 100x150", "escpos+tcp://127.0.0.1:9100?dpi=300", "100x150", 30),
)


def run() -> list[Result]:
    results = []
    numbers = itertools.count(1023574470215)
    for name, url, layout, target_ms in CASES:
        printer = open_printer(url, layout=layout)

        def render(printer=printer) -> None:
            printer.render(sample_waybill(f"SF{next(numbers)}"))

        samples = time_calls(render, REPEAT, warmup=10)
        results.append(Result(4, f"render p95: {name}", p95_ms(samples), "ms", f"< {target_ms} ms"))
    return results

"""Issue 14: render time per e-waybill label (p95) on the carriers' templates.

The same measure as bench_printers (issue 4): `printer.render` only, each label
with a new tracking number, for the carriers' one-piece template (三段码, 集包地)
and SF's privacy label (丰密面单). Targets: ESC/POS bytes <= 25 ms, PDF <= 60 ms.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bench.common import Result, p95_ms, time_calls
from printers import Waybill, open_printer
from printers.sample import sample_carrier_waybill, sample_sf_waybill

REPEAT = 300
RASTER = "escpos+tcp://127.0.0.1:9100?mode=raster"
NATIVE = "escpos+tcp://127.0.0.1:9100?mode=native"

CASES: tuple[tuple[str, Callable[[str], Waybill], str, str, int], ...] = (
    ("ESC/POS raster 203 dpi, carrier 76x130", sample_carrier_waybill, RASTER, "76x130", 25),
    ("ESC/POS native, carrier 76x130", sample_carrier_waybill, NATIVE, "76x130", 25),
    ("PDF, carrier 76x130", sample_carrier_waybill, "pdf:/tmp", "76x130", 60),
    ("TSPL, carrier 76x130", sample_carrier_waybill, "tspl+tcp://127.0.0.1:9100", "76x130", 25),
    ("ESC/POS raster 203 dpi, SF 76x130", sample_sf_waybill, RASTER, "76x130", 25),
    ("PDF, SF 76x130", sample_sf_waybill, "pdf:/tmp", "76x130", 60),
    ("ESC/POS raster 203 dpi, SF 100x150", sample_sf_waybill, RASTER, "100x150", 25),
    ("PDF, SF 100x150", sample_sf_waybill, "pdf:/tmp", "100x150", 60),
    ("PDF, carrier 100x180", sample_carrier_waybill, "pdf:/tmp", "100x180", 60),
)


def run() -> list[Result]:
    results = []
    for name, make, url, layout, target_ms in CASES:
        printer = open_printer(url, layout=layout)
        numbers = itertools.count(73567696585919)

        def render(printer=printer, make=make, numbers=numbers) -> None:
            printer.render(make(str(next(numbers))))

        samples = time_calls(render, REPEAT, warmup=10)
        results.append(
            Result(14, f"render p95: {name}", p95_ms(samples), "ms", f"<= {target_ms} ms")
        )
    return results

"""Issue 12: a bench packing beside terminal commands on the same data folder, for a
minute (`python -m bench.soak_multiprocess --minutes 5` runs the long soak)."""

from __future__ import annotations

from bench.common import Result
from bench.soak_multiprocess import soak

MINUTES = 1.0


def run() -> list[Result]:
    result = soak(MINUTES * 60)
    print("\n".join(result.lines()), flush=True)
    minutes = result.seconds / 60
    lost = result.lost_shipments + result.lost_outbox_rows + result.lost_imported_orders
    return [
        Result(
            12,
            f"parcels per minute, packing beside {sum(result.cli_runs.values())} station "
            f"commands ({minutes:.1f} min)",
            result.parcels / minutes,
            "parcels",
            "-",
        ),
        Result(12, "shipments, queue rows or imported orders lost", lost, "", "0"),
        Result(12, "waybill numbers used twice", result.duplicate_waybills, "", "0"),
    ]

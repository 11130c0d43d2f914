"""A bench process for the hub tests: connects, says `ready`, waits for a line on
stdin (so every process starts together), then does its job and prints JSON.

    python tests/hub_worker.py claim URL BENCH ORDER...
    python tests/hub_worker.py numbers URL BENCH CARRIER BLOCK TIMES
    python tests/hub_worker.py push URL BENCH ORDER...   (one batch, in that order)
"""

from __future__ import annotations

import json
import sys
import time

from station.hub import claims, numbers
from station.hub.db import connect


def main(argv: list[str]) -> int:
    job, url, bench, *rest = argv
    conn = connect(url, 30.0)
    print("ready", flush=True)
    sys.stdin.readline()
    if job == "claim":
        won, seconds = [], []
        for order_no in rest:
            start = time.perf_counter()
            result = claims.claim(conn, order_no, bench, f"packer-of-{bench}")
            seconds.append(time.perf_counter() - start)
            if result.granted_to(bench):
                won.append(order_no)
        print(json.dumps({"won": won, "seconds": seconds}), flush=True)
    elif job == "push":
        from station.core.events import EventKind
        from station.hub.push import HubTarget
        from station.store.outbox import Record

        target = HubTarget(url, 30.0)
        records = [
            Record(n, EventKind.RECORDED, order_no, f"k{n}", _payload(bench, n, order_no), "")
            for n, order_no in enumerate(rest, start=1)
        ]
        outcomes = target.deliver(records, {})
        target.close()
        print(json.dumps({"done": sum(o.verdict == "done" for o in outcomes)}), flush=True)
    elif job == "numbers":
        carrier, block, times = rest[0], int(rest[1]), int(rest[2])
        got: list[str] = []
        for _ in range(times):
            got += numbers.hand_out(conn, carrier, bench, block)
        print(json.dumps({"numbers": got}), flush=True)
    conn.close()
    return 0


def _payload(bench: str, shipment_id: int, order_no: str) -> dict:
    return {
        "station": bench,
        "shipment_id": shipment_id,
        "carrier": "ZTO",
        "tracking_no": f"{bench}-{shipment_id}",
        "weight_g": 500,
        "packer": "p",
        "shipped_at": "2026-12-04T10:00:00.000Z",
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

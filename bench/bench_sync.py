"""Issue 6: a week offline at 8,000 parcels a day (56,000 queued records) drained to a
local webhook, and what queuing adds to recording a shipment."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.common import Result, median_ms, p95_ms
from station.store.db import connect, now_utc, transaction
from station.sync.http import HttpClient
from station.sync.uploader import Backoff, Uploader
from station.sync.webhook import WebhookTarget

RECORDS = 56_000
OUTBOX_INSERT = """INSERT INTO outbox (event, shipment_id, order_no, idempotency_key, payload,
                     created_at) VALUES ('shipment.recorded', NULL, ?, ?, ?, ?)"""


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        records = json.loads(body)["records"]
        _Receiver.received += len(records)
        answer = json.dumps(
            {
                "results": [
                    {"idempotency_key": r["idempotency_key"], "status": "accepted"} for r in records
                ]
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


def _payload(n: int, stamp: str) -> tuple[str, str, str, str]:
    order_no = f"WX{n:010d}"
    tracking = f"75{n:011d}"
    payload = {
        "shipment_id": n,
        "order_no": order_no,
        "source": "wechat-shop",
        "carrier": "ZTO",
        "tracking_no": tracking,
        "weight_g": 640,
        "shipped_at": stamp,
        "station": "bench-1",
        "packer": "p01",
        "receiver_contact": "138****5678",
        "items": [
            {"sku": "CUP-350", "name": "保温杯 350ml", "quantity": 1},
            {"sku": "TEA-100", "name": "明前龙井 100g", "quantity": 2},
        ],
    }
    return order_no, f"ship:{order_no}:{tracking}", json.dumps(payload, ensure_ascii=False), stamp


def drain_seconds(folder: Path) -> tuple[float, int]:
    db = connect(folder / "drain.db")
    stamp = now_utc()
    with transaction(db):
        db.conn.executemany(OUTBOX_INSERT, (_payload(n, stamp) for n in range(RECORDS)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    target = WebhookTarget(
        "bench", HttpClient(f"http://127.0.0.1:{server.server_address[1]}/in"), "key", batch=500
    )
    uploader = Uploader(db, [target], backoff=Backoff(0.01, 0.1))
    start = time.perf_counter()
    uploader.drain()
    elapsed = time.perf_counter() - start
    done = db.execute("SELECT count(*) FROM deliveries WHERE state = 'done'").fetchone()[0]
    uploader.close()
    server.shutdown()
    server.server_close()
    db.close()
    assert done == RECORDS == _Receiver.received, (done, _Receiver.received)
    return elapsed, done


def outbox_insert_ms(folder: Path, samples: int = 2000) -> list[float]:
    """The outbox row's own cost inside the shipment's transaction (the commit is the
    shipment's, paid with or without the queue row), on a queue of a week offline."""
    db = connect(folder / "insert.db")
    stamp = now_utc()
    with transaction(db):
        db.conn.executemany(OUTBOX_INSERT, (_payload(n, stamp) for n in range(RECORDS)))
    times = []
    for n in range(RECORDS, RECORDS + samples):
        row = _payload(n, now_utc())
        with transaction(db):
            begin = time.perf_counter()
            db.execute(OUTBOX_INSERT, row)
            times.append((time.perf_counter() - begin) * 1000)
    db.close()
    return times


def run() -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    seconds, _ = drain_seconds(folder)
    inserts = outbox_insert_ms(folder)
    return [
        Result(6, "drain 56,000 queued records to a local webhook", seconds, "s", "< 60 s"),
        Result(6, "records drained per second", RECORDS / seconds, "rec/s", "> 933 rec/s"),
        Result(
            6, "outbox insert when recording a shipment, median", median_ms(inserts), "ms", "< 1 ms"
        ),
        Result(6, "outbox insert when recording a shipment, p95", p95_ms(inserts), "ms", "< 1 ms"),
    ]

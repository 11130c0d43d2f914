"""Issue 14: take e-waybills ahead for 10,000 open orders against local servers that
speak the WeChat Shop, SF and KDNiao contracts, each provider kept within its
request-rate limit by the client-side limiter (station.waybills.config.RATE_PER_MINUTE:
WeChat Shop e-waybills 500 calls a minute, as WeChat states for order/create; SF and
KDNiao 6,000 a minute, no published figure found).

WeChat Shop numbers are only for orders pulled from the shop, and its limit allows
about 250 orders a minute (precreate + create each): the mix is 200 shop orders, the
rest split between SF and the 通达系 through KDNiao.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, p95_ms
from station.core.model import Contact
from station.labels import ewaybill_fields, printed_ewaybill
from station.settings import Settings
from station.store import ewaybills as store
from station.store import orders as order_store
from station.store.db import DB_FILE, connect, transaction
from station.store.orders import NewLine
from station.waybills.config import RATE_PER_MINUTE, load_providers
from station.waybills.model import State
from station.waybills.port import PrefetchedWaybills
from station.waybills.providers import build
from station.waybills.service import Prefetcher

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from waybill_fakes import SECRETS, all_servers, waybills_toml

ORDERS = 10_000
SHOP_ORDERS = 200
MASKED = Contact("张*", "138****5678", "****", "广东省", "深圳市", "南山区")
PLAIN = Contact("李四", "13912345678", "文三路90号", "浙江省", "杭州市", "西湖区")


def _orders(db) -> None:
    with transaction(db):
        for n in range(ORDERS):
            if n < SHOP_ORDERS:
                order_no, carrier, source, who = (
                    str(3704612354559743232 + n),
                    "ZTO",
                    "wechat-shop",
                    MASKED,
                )
            else:
                order_no, carrier, source, who = f"B{n:06d}", ("SF", "YD")[n % 2], "", PLAIN
            order_store.save_order(
                db, order_no, who, [NewLine("CUP-350", "保温杯", 1)], carrier=carrier, source=source
            )


def _busiest_minute(times: list[float]) -> int:
    """The most calls that arrived within any 60-second window."""
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] > 60.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def _claims(db) -> list[float]:
    """Milliseconds a prefetched number adds at the scale: the check, and the claim
    inside the shipment's transaction (whose commit the shipment pays anyway, so it is
    left out of the figure)."""
    port = PrefetchedWaybills()
    rows = [r for r in store.rows(db, State.TAKEN) if r.provider != "shop"][:500]
    samples = []
    for row in rows:
        with transaction(db):
            begin = time.perf_counter()
            assert port.ready(db, row.order_no, row.carrier, row.service)
            assert port.claim(db, row.order_no, row.carrier, row.service) == row.waybill_no
            samples.append((time.perf_counter() - begin) * 1000)
    return samples


def _label_data(db) -> list[float]:
    """Milliseconds the e-waybill adds to building the label: its row read back by
    number and turned into the label's fields (every print and reprint does this)."""
    samples = []
    for row in store.rows(db, State.USED)[:500]:
        begin = time.perf_counter()
        found = printed_ewaybill(db, row.order_no, row.waybill_no or "")
        assert found is not None and ewaybill_fields(found)
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as scratch, all_servers() as (wechat, sf, kdn, urls):
        folder = Path(scratch)
        db = connect(folder / DB_FILE)
        _orders(db)
        toml = waybills_toml(urls, timeout=15.0).replace("rate_per_minute = 60000.0\n", "")
        (folder / "waybills.toml").write_text(toml, encoding="utf-8")
        built = build(load_providers(folder), secret=lambda name: SECRETS[name.split(".")[0]])
        prefetcher = Prefetcher(db, Settings.load(folder), built.providers, folder)
        start = time.perf_counter()
        summary = prefetcher.prefetch()
        seconds = time.perf_counter() - start
        prefetcher.close()
        claims = _claims(db)
        label_data = _label_data(db)
        db.close()
        taken = len(summary.taken)
        assert taken == ORDERS, (taken, list(summary.pending.items())[:3])
        issued = wechat.numbers_issued + sf.numbers_issued + kdn.numbers_issued
        assert issued == ORDERS, issued
        busiest = {
            "WeChat Shop": (_busiest_minute(wechat.times), RATE_PER_MINUTE["wechat-shop"]),
            "SF": (_busiest_minute(sf.times), RATE_PER_MINUTE["sf"]),
            "KDNiao": (_busiest_minute(kdn.times), RATE_PER_MINUTE["kdniao"]),
        }
    results = [
        Result(14, f"prefetch {ORDERS:,} e-waybills (3 providers)", seconds, "s", "<= 60 s"),
        Result(14, "prefetch throughput", ORDERS / seconds, "orders/s", "-"),
    ]
    results.append(
        Result(14, "prefetched number: check + claim at the scale, p95", p95_ms(claims), "ms", "-")
    )
    results.append(
        Result(14, "e-waybill label fields read back, p95", p95_ms(label_data), "ms", "-")
    )
    for name, (calls, limit) in busiest.items():
        results.append(
            Result(14, f"{name}: busiest 60 s of calls", calls, "calls", f"<= {limit:,.0f}")
        )
    return results

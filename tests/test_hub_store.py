"""The hub on a real PostgreSQL: schema versions, claims, waybill numbers, leases,
orders. Benches racing are separate processes (tests/hub_worker.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from station.hub import claims, leases, numbers
from station.hub import orders as hub_orders
from station.hub.db import HubUnreachable, connect
from station.hub.migrations import HubNotInitialised, HubTooNew, check, migrate, version
from station.hub.schema import STEPS

WORKER = Path(__file__).with_name("hub_worker.py")
ROOT = Path(__file__).resolve().parents[1]


def run_together(*argvs: list[str]) -> list[dict]:
    """Start one worker process per argv, release them at once, collect their JSON."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for argv in argvs
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def test_init_creates_the_schema_once_and_refuses_a_newer_hub(pg_url: str) -> None:
    with connect(pg_url) as conn:
        with pytest.raises(HubNotInitialised):
            check(conn)
        assert migrate(conn) == (0, len(STEPS))
        assert migrate(conn) == (len(STEPS), len(STEPS))
        check(conn)
        conn.execute("UPDATE hub_version SET version = %s", [len(STEPS) + 1])
        with pytest.raises(HubTooNew, match="newer"):
            check(conn)
        with pytest.raises(HubTooNew):
            migrate(conn)
        assert version(conn) == len(STEPS) + 1


def test_an_unreachable_hub_is_a_clear_error_not_a_hang(pg_url: str) -> None:
    from station.hub.server import free_port

    with pytest.raises(HubUnreachable):
        connect(f"postgresql://station:x@127.0.0.1:{free_port()}/station", 2.0)


def test_a_second_bench_is_refused_with_who_holds_the_order_and_since_when(hub) -> None:
    first = claims.claim(hub, "wx-1", "bench-1", "张三")
    assert first.granted_to("bench-1")
    again = claims.claim(hub, "WX-1", "bench-1", "李四")  # same bench, any case: kept
    assert again.granted_to("bench-1") and again.holder.packer == "李四"
    refused = claims.claim(hub, "wx-1", "bench-2", "王五")
    assert not refused.granted_to("bench-2")
    assert refused.holder.bench == "bench-1" and refused.holder.packer == "李四"
    assert refused.holder.since == first.holder.since


def test_a_refused_claim_writes_nothing_at_the_hub(hub) -> None:
    """A refusal neither updates nor locks the holder's row (a lock is a WAL record,
    which makes the commit wait for the disk)."""
    claims.claim(hub, "WX-9", "bench-1", "a")
    before = hub.execute("SELECT xmin::text, xmax::text FROM claims").fetchone()
    assert not claims.claim(hub, "WX-9", "bench-2", "b").granted_to("bench-2")
    assert hub.execute("SELECT xmin::text, xmax::text FROM claims").fetchone() == before


def test_released_claims_can_be_taken_and_only_the_holder_releases(hub) -> None:
    claims.claim(hub, "WX-2", "bench-1", "a")
    assert not claims.release(hub, "WX-2", "bench-2")
    assert claims.release(hub, "WX-2", "bench-1")
    assert claims.claim(hub, "WX-2", "bench-2", "b").granted_to("bench-2")


def test_a_supervisor_takes_over_only_a_stale_claim_and_it_is_audited(hub) -> None:
    claims.claim(hub, "WX-3", "bench-1", "a")
    with pytest.raises(claims.NotStale):
        claims.take_over(hub, "WX-3", "bench-2", "老板", "bench broke", dt.timedelta(minutes=30))
    hub.execute("UPDATE claims SET claimed_at = now() - interval '2 hours'")
    old = claims.take_over(hub, "WX-3", "bench-2", "老板", "bench broke", dt.timedelta(minutes=30))
    assert old.bench == "bench-1"
    assert claims.holder(hub, "WX-3").bench == "bench-2"
    actor, action, detail = hub.execute("SELECT actor, action, detail FROM audit").fetchone()
    assert (actor, action) == ("老板", "claim_takeover")
    assert "bench-1" in detail and "bench broke" in detail


def test_benches_racing_for_the_same_orders_each_order_has_exactly_one_winner(
    hub_url: str,
) -> None:
    orders = [f"RACE-{i}" for i in range(200)]
    benches = [f"bench-{i}" for i in range(6)]
    results = run_together(*(["claim", hub_url, bench, *orders] for bench in benches))
    won = [order for result in results for order in result["won"]]
    assert sorted(won) == sorted(orders)  # every order once, none twice
    with connect(hub_url) as conn:
        held = dict(conn.execute("SELECT order_no, bench FROM claims").fetchall())
    for bench, result in zip(benches, results, strict=True):
        assert all(held[order] == bench for order in result["won"])


def test_concurrent_hand_outs_never_give_one_number_twice(hub_url: str) -> None:
    with connect(hub_url) as conn:
        assert numbers.add(conn, "ZTO", (f"ZT{n:010d}" for n in range(3000))) == 3000
    results = run_together(*(["numbers", hub_url, f"b{i}", "ZTO", "7", "60"] for i in range(6)))
    given = [n for result in results for n in result["numbers"]]
    assert len(given) == len(set(given)) == 6 * 7 * 60
    with connect(hub_url) as conn:
        rows = dict(conn.execute("SELECT tracking_no, bench FROM numbers WHERE bench IS NOT NULL"))
    for i, result in enumerate(results):
        assert all(rows[n] == f"b{i}" for n in result["numbers"])


def test_hand_out_stops_at_the_end_of_the_pool(hub) -> None:
    numbers.add(hub, "SF", ["SF1", "SF2", "SF3"])
    assert numbers.add(hub, "SF", ["sf1"]) == 0
    assert numbers.hand_out(hub, "SF", "b1", 2) == ["SF1", "SF2"]
    assert numbers.hand_out(hub, "SF", "b2", 2) == ["SF3"]
    assert numbers.hand_out(hub, "SF", "b2", 2) == []
    assert numbers.free_counts(hub) == {"SF": 0}


def _imported(order_no: str, status: str = "open"):
    from station.core.address import AddressInput
    from station.core.model import OrderStatus
    from station.importers.orders import ImportedOrder, ImportLine

    return ImportedOrder(
        order_no=order_no,
        lines=(ImportLine("SKU-1", "杯子", 2, 1990),),
        recipient_name="张三",
        phone="13800138000",
        address=AddressInput("浙江省杭州市西湖区文三路1号"),
        status=OrderStatus(status),
        hold_reason=None,
    )


def test_orders_round_trip_and_an_unchanged_order_keeps_its_revision(hub) -> None:
    first = [_imported("WX-10"), _imported("WX-11")]
    assert hub_orders.put(hub, first, "file:a.csv") == 2
    pulled, last = hub_orders.since(hub, 0)
    assert pulled == first
    assert hub_orders.put(hub, first, "file:a.csv") == 0
    assert hub_orders.since(hub, last) == ([], last)
    changed = _imported("WX-11", "cancelled")
    assert hub_orders.put(hub, [changed], "file:b.csv") == 1
    assert hub_orders.since(hub, last)[0] == [changed]


def test_a_lease_gives_a_bench_orders_nobody_holds_and_a_block_of_numbers(hub) -> None:
    hub_orders.put(hub, [_imported(f"WX-{i}") for i in range(20, 26)], "f")
    hub_orders.put(hub, [_imported("WX-29", "cancelled")], "f")
    claims.claim(hub, "WX-20", "bench-9", "x")
    numbers.add(hub, "ZTO", [f"Z{i}" for i in range(10)])
    lease = leases.lease(hub, "bench-1", 3, {"ZTO": 4}, "老板")
    assert lease.orders == ["WX-21", "WX-22", "WX-23"]
    assert lease.numbers == {"ZTO": ["Z0", "Z1", "Z2", "Z3"]}
    second = leases.lease(hub, "bench-2", 10, {}, "老板")
    assert second.orders == ["WX-24", "WX-25"]  # not the held, leased or cancelled ones
    refused = claims.claim(hub, "WX-21", "bench-2", "y")
    assert refused.holder.bench == "bench-1" and refused.holder.leased
    assert claims.claim(hub, "WX-21", "bench-1", "z").granted_to("bench-1")
    assert hub.execute("SELECT count(*) FROM audit WHERE action = 'lease'").fetchone()[0] == 2


def test_a_connection_dropped_mid_transaction_keeps_nothing_half_done(hub_url: str) -> None:
    bench = connect(hub_url)
    admin = connect(hub_url)
    try:
        numbers.add(admin, "ZTO", ["Z1", "Z2"])
        pid = bench.info.backend_pid
        with pytest.raises(psycopg.OperationalError), bench.transaction():
            numbers.hand_out(bench, "ZTO", "bench-1", 1)
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            claims.claim(bench, "WX-1", "bench-1", "a")
        assert numbers.free_counts(admin) == {"ZTO": 2}
        assert claims.holder(admin, "WX-1") is None
        again = connect(hub_url)  # reconnecting works at once
        assert numbers.hand_out(again, "ZTO", "bench-1", 1) == ["Z1"]
        again.close()
    finally:
        bench.close()
        admin.close()


def test_benches_pushing_the_same_orders_at_once_both_land_and_each_double_is_noted(
    hub_url: str,
) -> None:
    orders = [f"DUP-{i:03d}" for i in range(60)]
    results = run_together(
        ["push", hub_url, "bench-a", *orders], ["push", hub_url, "bench-b", *reversed(orders)]
    )
    assert [r["done"] for r in results] == [60, 60]  # no deadlock, no refusal
    with connect(hub_url) as conn:
        noted = conn.execute(
            "SELECT order_no FROM attention WHERE resolved_at IS NULL ORDER BY order_no"
        ).fetchall()
    assert [row[0] for row in noted] == orders

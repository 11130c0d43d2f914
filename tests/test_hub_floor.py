"""The warehouse floor on a real PostgreSQL: bench heartbeats, online and offline,
and the floor's figures per hour, packer and carrier against known shipments
pushed through the bench's real push target."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
import sqlite_utils

from station.app.floor import Floor, HubNotInitialised, HubUnreachable, Period, Presence
from station.core.events import EventKind
from station.core.permissions import Action, Role
from station.hub.db import connect
from station.hub.heartbeat import BenchReport, HubHeartbeat, bench_report, send
from station.hub.migrations import migrate
from station.hub.port import HubState, HubStatus
from station.hub.push import HubTarget
from station.hub.schema import STEPS
from station.store import audit, deliveries
from station.store import flags as flag_store
from station.store.db import iso, transaction
from station.store.outbox import Record
from station.sync.outcome import TargetProblem
from tests.shipments_factory import make_shipment


@pytest.fixture
def hub(hub_url: str) -> Iterator[psycopg.Connection]:
    with connect(hub_url) as conn:
        yield conn


def recorded(bench: str, n: int, packer: str, carrier: str, at: datetime, grams: int) -> Record:
    payload = {
        "station": bench,
        "shipment_id": n,
        "carrier": carrier,
        "tracking_no": f"{bench}-T{n}",
        "weight_g": grams,
        "packer": packer,
        "shipped_at": iso(at),
    }
    return Record(n, EventKind.RECORDED, f"{bench}-O{n}", f"k{n}", payload, iso(at))


def voided(bench: str, n: int, at: datetime) -> Record:
    payload = {"station": bench, "shipment_id": n, "voided_at": iso(at)}
    return Record(1000 + n, EventKind.VOIDED, f"{bench}-O{n}", f"v{n}", payload, iso(at))


def today_at(hour: int, minute: int = 0) -> datetime:
    return datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)


# -- heartbeats ---------------------------------------------------------------


def test_a_bench_reports_its_packer_queue_exceptions_and_cycle_from_its_database(
    db: sqlite_utils.Database,
) -> None:
    now = datetime.now(UTC)
    for minutes, cycle in ((50, 30.0), (40, 50.0), (30, 70.0)):
        make_shipment(db, now - timedelta(minutes=minutes), packer="li", cycle_s=cycle)
    make_shipment(db, now - timedelta(hours=2), packer="li", cycle_s=900.0)  # over an hour ago
    make_shipment(db, now - timedelta(minutes=10), packer="li", cycle_s=None)  # not printed
    assert bench_report(db) == BenchReport("li", 0, 0, 50.0)

    audit.record(db, Action.SIGN_IN, "wu", actor="wu", role=Role.PACKER)
    with transaction(db):
        for n in range(3):
            db.execute(
                "INSERT INTO outbox (event, order_no, idempotency_key, payload, created_at) "
                "VALUES ('shipment.recorded', 'T', ?, '{}', ?)",
                (f"k{n}", iso(now)),
            )
        flag_store.add_alert(db, "T1", "double_shipment", "bench-1 and bench-2")
    deliveries.fan_out(db, "hub", ())
    with transaction(db):
        db.execute("UPDATE deliveries SET state = 'attention' WHERE outbox_id = 1")
    report = bench_report(db)
    assert report.packer == "wu"  # signed in after the last shipment
    assert report.queue_depth == 2  # the third record needs attention instead
    assert report.exceptions == 2  # that record, and the alert


def test_heartbeats_show_each_bench_online_with_its_state(
    db: sqlite_utils.Database, hub_url: str
) -> None:
    make_shipment(db, datetime.now(UTC) - timedelta(minutes=5), packer="li", cycle_s=42.0)
    status = HubStatus()
    beat = HubHeartbeat(hub_url, "bench-1", 3.0, status=status)
    assert "heartbeat: li" in beat.pull(db)
    beat.close()
    assert status.state is HubState.ONLINE
    with connect(hub_url) as conn:
        send(conn, "bench-2", BenchReport("wu", 7, 1, None))
    report = Floor(hub_url).report(Period.today())
    one, two = report.benches
    assert (one.bench, one.presence, one.packer, one.queue_depth) == (
        "bench-1",
        Presence.ONLINE,
        "li",
        0,
    )
    assert one.cycle_p50_s == 42.0 and one.exceptions == 0 and one.last_seen is not None
    assert (two.bench, two.packer, two.queue_depth, two.exceptions, two.cycle_p50_s) == (
        "bench-2",
        "wu",
        7,
        1,
        None,
    )
    assert report.online == 2


def test_a_bench_not_heard_from_for_30_seconds_is_offline(hub: psycopg.Connection) -> None:
    for bench in ("quiet", "recent"):
        send(hub, bench, BenchReport("li", 0, 0, None))
    hub.execute(
        "UPDATE bench_heartbeats SET last_seen = now() - interval '31 s' WHERE bench = 'quiet'"
    )
    hub.execute(
        "UPDATE bench_heartbeats SET last_seen = now() - interval '25 s' WHERE bench = 'recent'"
    )
    period = Period.today()
    from station.hub.floor import floor_report

    states = {
        b.bench: b.presence
        for b in floor_report(hub, period.start, period.end, period.hours()).benches
    }
    assert states == {"quiet": Presence.OFFLINE, "recent": Presence.ONLINE}
    send(hub, "quiet", BenchReport("li", 0, 0, None))  # heard again
    again = floor_report(hub, period.start, period.end, period.hours())
    assert {b.presence for b in again.benches} == {Presence.ONLINE}


def test_a_heartbeat_to_an_unreachable_hub_says_offline_and_tries_again_later(
    db: sqlite_utils.Database,
) -> None:
    status = HubStatus()
    ticks = iter([0.0, 0.0, 1.0, 5.0])
    beat = HubHeartbeat(
        "postgresql://x:y@127.0.0.1:1/station", "bench-1", 2.0, 5.0, status, lambda: next(ticks)
    )
    assert beat.due(0.0)
    with pytest.raises(TargetProblem) as raised:
        beat.pull(db)
    assert raised.value.offline and status.state is HubState.OFFLINE
    assert not beat.due(0.0)  # clock 1.0: the next beat is at 5.0
    assert beat.due(0.0)


# -- figures ------------------------------------------------------------------


def test_the_floors_figures_per_hour_packer_and_carrier_match_the_shipments_pushed(
    hub_url: str,
) -> None:
    nine = today_at(9)
    target = HubTarget(hub_url)
    # bench-1: li packs 4 ZTO at 09:xx and 2 SF at 10:xx; bench-2: wu packs 3 ZTO at
    # 10:xx, one of them voided later; bench-2 also packed one yesterday.
    pushes = [
        recorded("bench-1", n, "li", "ZTO", nine + timedelta(minutes=10 * n), 500) for n in range(4)
    ]
    pushes += [
        recorded("bench-1", 10 + n, "li", "SF", nine + timedelta(hours=1, minutes=n), 1200)
        for n in range(2)
    ]
    pushes += [
        recorded("bench-2", n, "wu", "ZTO", nine + timedelta(hours=1, minutes=5 + n), 300)
        for n in range(3)
    ]
    pushes += [recorded("bench-2", 99, "wu", "ZTO", nine - timedelta(days=1), 300)]
    assert all(o.verdict == "done" for o in target.deliver(pushes, {}))
    target.deliver(pushes[:2], {})  # sent again after a cut: counted once
    target.deliver([voided("bench-2", 2, nine + timedelta(hours=2))], {})
    target.close()

    report = Floor(hub_url).report(Period.today())
    counts = {moment.astimezone().hour: n for moment, n in report.hourly if n}
    assert counts == {9: 4, 10: 4}
    assert (report.total.parcels, report.total.voids, report.total.active_hours) == (8, 1, 2)
    assert report.total.parcels_per_hour == 4.0
    assert report.total.weight_g == 4 * 500 + 2 * 1200 + 2 * 300
    packers = {r.name: (r.parcels, r.active_hours, r.voids, r.weight_g) for r in report.packers}
    assert packers == {"li": (6, 2, 0, 4400), "wu": (2, 1, 1, 600)}
    assert [r.name for r in report.packers] == ["li", "wu"]  # most parcels first
    carriers = {r.name: (r.parcels, r.weight_g) for r in report.carriers}
    assert carriers == {"ZTO": (6, 2600), "SF": (2, 2400)}
    assert {b.bench: b.parcels for b in report.benches} == {"bench-1": 6, "bench-2": 2}
    yesterday = Floor(hub_url).report(Period.days(date.today() - timedelta(days=1)))
    assert yesterday.total.parcels == 1 and [r.name for r in yesterday.packers] == ["wu"]


def test_parcels_this_hour_count_per_bench_even_before_its_first_heartbeat(hub_url: str) -> None:
    now = datetime.now(UTC)
    if now.minute == 59 and now.second >= 50:  # the hub's hour must still be this one
        time.sleep(61 - now.second)
        now = datetime.now(UTC)
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    target = HubTarget(hub_url)
    target.deliver(
        [
            recorded("bench-1", 1, "li", "ZTO", this_hour, 500),
            recorded("bench-1", 2, "li", "ZTO", this_hour - timedelta(seconds=1), 500),
            recorded("bench-3", 1, "wu", "SF", this_hour + timedelta(seconds=1), 500),
        ],
        {},
    )
    target.close()
    with connect(hub_url) as conn:
        send(conn, "bench-1", BenchReport("li", 0, 0, None))
    today = Period.today()
    benches = {b.bench: b for b in Floor(hub_url).report(today).benches}
    assert benches["bench-1"].parcels_this_hour == 1
    assert benches["bench-3"].parcels_this_hour == 1
    assert benches["bench-3"].last_seen is None
    assert benches["bench-3"].presence is Presence.OFFLINE
    # In the day's first hour the shipment a second before it was yesterday's.
    assert benches["bench-1"].parcels == 1 + (this_hour - timedelta(seconds=1) >= today.start)


def test_shipments_at_the_hub_before_the_roll_up_existed_are_counted(pg_url: str) -> None:
    from station.hub.schema import SCHEMA_1, SCHEMA_SHIPMENT_HOURS

    with connect(pg_url) as conn:
        conn.execute(SCHEMA_1)
        conn.execute("CREATE TABLE hub_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO hub_version VALUES (1)")
    target = HubTarget(pg_url)
    nine = today_at(9)
    target.deliver([recorded("bench-1", n, "li", "ZTO", nine, 500) for n in range(3)], {})
    target.deliver([voided("bench-1", 0, nine)], {})
    target.close()
    with connect(pg_url) as conn:
        assert migrate(conn) == (1, len(STEPS))
        assert SCHEMA_SHIPMENT_HOURS in STEPS
    report = Floor(pg_url).report(Period.today())
    assert (report.total.parcels, report.total.voids) == (2, 1)


def test_a_void_undone_counts_the_parcel_again(hub: psycopg.Connection, hub_url: str) -> None:
    target = HubTarget(hub_url)
    target.deliver([recorded("bench-1", 1, "li", "ZTO", today_at(9), 500)], {})
    target.deliver([voided("bench-1", 1, today_at(10))], {})
    target.close()
    hub.execute("UPDATE shipments SET voided_at = NULL")
    hub.execute("UPDATE shipments SET packer = packer")  # not a void: no change
    assert hub.execute("SELECT parcels, voids, weight_g FROM shipment_hours").fetchall() == [
        (1, 0, 500)
    ]


def test_the_hub_manifest_lists_one_carriers_live_parcels_of_the_day_from_every_bench(
    hub_url: str,
) -> None:
    nine = today_at(9)
    target = HubTarget(hub_url)
    target.deliver(
        [
            recorded("bench-2", 1, "wu", "ZTO", nine + timedelta(minutes=1), 300),
            recorded("bench-1", 1, "li", "ZTO", nine, 500),
            recorded("bench-1", 2, "li", "SF", nine, 500),
            recorded("bench-1", 3, "li", "ZTO", nine, 500),
            recorded("bench-1", 4, "li", "ZTO", nine - timedelta(days=1), 500),
        ],
        {},
    )
    target.deliver([voided("bench-1", 3, nine)], {})
    target.close()
    manifest = Floor(hub_url).manifest("zto", date.today())
    assert [p.tracking_no for p in manifest.parcels] == ["bench-1-T1", "bench-2-T1"]
    assert (manifest.carrier, manifest.station, manifest.total_weight_g) == (
        "ZTO",
        "bench-1, bench-2",
        800,
    )


def test_the_floor_of_an_unreachable_or_uninitialised_hub_is_a_clear_error(pg_url: str) -> None:
    with pytest.raises(HubUnreachable):
        Floor("postgresql://x:y@127.0.0.1:1/station", 2.0).report(Period.today())
    with pytest.raises(HubNotInitialised, match="station hub init"):
        Floor(pg_url).report(Period.today())

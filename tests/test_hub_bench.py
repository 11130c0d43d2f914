"""Benches with a hub, on a real PostgreSQL: claims at the order scan, offline work on
what a bench holds, shipments pushed once through the outbox, a double shipment made
offline found on reconnect. Each bench is its own data folder and SQLite file."""

from __future__ import annotations

import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.demo import DEMO_SUPERVISOR_PIN, seed
from station.hub import claims, holds, leases
from station.hub import orders as hub_orders
from station.hub.db import connect
from station.hub.link import HubLink
from station.hub.migrations import migrate
from station.hub.port import HubState, HubStatus, NoHub
from station.hub.pull import HubPuller
from station.hub.push import HubTarget
from station.hub.server import PgServer, free_port
from station.hub.wiring import bench_port, uploader_parts
from station.settings import Settings
from station.store import orders
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite
from station.sync.uploader import Backoff, Uploader

OPENED: list[Bench] = []


@pytest.fixture(autouse=True)
def _benches_closed():
    yield
    while OPENED:
        bench = OPENED.pop()
        if isinstance(bench.hub, HubLink):
            bench.hub.close()
        bench.db.close()


def open_bench(
    folder: Path, name: str, hub_url: str | None, status: HubStatus | None = None
) -> Bench:
    """A bench on its own data folder (demo orders), closed after the test."""
    folder.mkdir(parents=True, exist_ok=True)
    db = connect_sqlite(folder / DB_FILE)
    if not db.execute("SELECT count(*) FROM orders").fetchone()[0]:
        seed(db, orders=20)
    settings = Settings.load(folder).with_values(station__name=name)
    hub = HubLink(db, hub_url, name, 2.0, status or HubStatus()) if hub_url else NoHub()
    bench = Bench(db, settings, open_printer(f"pdf:{folder / 'labels'}"), hub=hub)
    bench.scale_link(ScaleLink.CONNECTED)
    OPENED.append(bench)
    return bench


def relink(bench: Bench, url: str) -> None:
    """Point a bench's link elsewhere (the hub gone, or back)."""
    bench.hub.close()
    bench.hub = HubLink(bench.db, url, bench.station, 2.0, HubStatus())


def pull(bench: Bench, hub_url: str) -> str:
    puller = HubPuller(hub_url, bench.station, 2.0, 0, 0.0, [])
    try:
        return puller.pull(bench.db)
    finally:
        puller.close()


def open_orders(db: sqlite_utils.Database) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
            "ORDER BY order_no"
        )
    ]


def pack(bench: Bench, order_no: str) -> str:
    """Scan, check every item, weigh: the last message's key."""
    result = bench.scan(order_no)
    if bench.session is None:
        return result.message.key
    lines = orders.find_order(bench.db, order_no).lines
    if any(not line.barcodes for line in lines):
        return bench.scan("CMD-CANCEL").message.key  # a product missing from the catalogue
    for line in lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    grams = bench.session.expected_grams
    bench.reading(Reading(Decimal(grams), True, at=bench.clock()))
    return bench.message.message.key


def push(bench: Bench, hub_url: str) -> int:
    uploader = Uploader(bench.db, [HubTarget(hub_url, 2.0)], backoff=Backoff(0.01, 0.05))
    try:
        uploader.recover()
        return uploader.drain()
    finally:
        uploader.close()


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def test_without_a_hub_the_bench_packs_as_always(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    assert settings["hub.url"] == ""
    bench = open_bench(tmp_path / "b1", "bench-1", None)
    assert isinstance(bench_port(bench.db, settings), NoHub)
    assert uploader_parts(settings) == ([], [])
    assert pack(bench, open_orders(bench.db)[0]) == "printed"
    assert bench.db.execute("SELECT count(*) FROM hub_holds").fetchone()[0] == 0


def test_a_second_bench_is_refused_an_order_the_first_is_packing(
    tmp_path: Path, hub_url: str
) -> None:
    one = open_bench(tmp_path / "b1", "bench-1", hub_url)
    two = open_bench(tmp_path / "b2", "bench-2", hub_url)
    first, second = open_orders(one.db)[:2]
    assert one.scan(first).message.key == "order_started"
    refused = two.scan(first)
    assert refused.message.key == "order_claimed_elsewhere"
    assert refused.message.params["bench"] == "bench-1"
    assert refused.message.params["packer"] == "packer"
    assert two.session is None
    assert one.scan("CMD-CANCEL").message.key == "cancelled"  # releases the claim
    assert two.scan(first).message.key == "order_started"
    assert two.scan("CMD-HOLD").message.key == "held"
    assert pack(one, second) == "printed"
    assert two.scan(second).message.params["bench"] == "bench-1"  # shipped keeps its claim
    assert one.hub.status.state is HubState.ONLINE


def test_offline_a_bench_packs_what_it_holds_and_others_only_with_a_supervisor(
    tmp_path: Path, hub_url: str, hub
) -> None:
    bench = open_bench(tmp_path / "b1", "bench-1", hub_url)
    todo = open_orders(bench.db)
    hub_orders.put(hub, [_as_imported(bench.db, n) for n in todo], "test")
    claims.claim(hub, todo[0], "bench-1", "packer")  # claimed at an earlier scan
    lease = leases.lease(hub, "bench-1", 2, {}, "老板")
    pull(bench, hub_url)
    held = {r[0] for r in bench.db.execute("SELECT order_no FROM hub_holds")}
    assert held == {todo[0].upper(), *lease.orders}

    # The hub goes away: this bench's link now points at a port nobody listens on.
    relink(bench, _dead_url())
    assert pack(bench, todo[0]) == "printed"
    leased = next(n for n in todo if n.upper() in lease.orders)
    assert pack(bench, leased) == "printed"
    assert bench.hub.status.state is HubState.OFFLINE
    other = next(n for n in todo if n.upper() not in held)
    assert bench.scan(other).message.key == "hub_offline_not_held"
    assert bench.session is None
    assert bench.scan("CMD-OVERRIDE").message.key == "override_needed"
    assert bench.override("0000", "hub down").message.key == "override_denied"
    assert bench.override(DEMO_SUPERVISOR_PIN, "hub down").message.key == "order_started"
    assert holds.held(bench.db, other) is holds.HoldKind.OVERRIDE
    audit = bench.db.execute("SELECT subject FROM audit WHERE action = 'override'")
    assert any("hub_offline" in row[0] for row in audit)


def test_a_hub_restarted_mid_work_is_reconnected_and_nothing_is_lost(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="station-test-pg-"))
    folder.chmod(0o755)
    server = PgServer(folder / "hub", port=free_port())
    try:
        server.init()
        server.start()
        server.create_database()
        url = server.url()
        with connect(url) as conn:
            migrate(conn)
        bench = open_bench(tmp_path / "b1", "bench-1", url)
        todo = open_orders(bench.db)
        assert pack(bench, todo[0]) == "printed"
        server.stop()
        assert pack(bench, todo[1]) == "hub_offline_not_held"
        assert push(bench, url) >= 1  # attempted while the hub is down
        queued = bench.db.execute("SELECT state FROM deliveries WHERE target = 'hub'")
        assert queued.fetchall() == [("queued",)]  # still queued, nothing lost
        server.start()
        assert pack(bench, todo[1]) == "printed"  # the link reconnects by itself
        time.sleep(0.1)  # the paused first record is due again
        assert push(bench, url) == 2
        with connect(url) as conn:
            rows = conn.execute("SELECT order_no FROM shipments ORDER BY id").fetchall()
        assert [r[0] for r in rows] == [todo[0].upper(), todo[1].upper()]
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_shipments_reach_the_hub_once_even_when_sent_again(
    tmp_path: Path, hub_url: str, hub
) -> None:
    bench = open_bench(tmp_path / "b1", "bench-1", hub_url)
    for order_no in open_orders(bench.db)[:5]:
        assert pack(bench, order_no) == "printed"
    assert push(bench, hub_url) == 5
    # As after a kill between the hub's commit and the local bookkeeping: every
    # record goes back to the queue and is sent again.
    bench.db.execute("UPDATE deliveries SET state = 'queued', in_doubt = 1")
    assert push(bench, hub_url) == 5
    rows = hub.execute("SELECT bench, bench_shipment_id FROM shipments").fetchall()
    assert sorted(rows) == [("bench-1", i) for i in range(1, 6)]
    assert bench.db.execute("SELECT count(*) FROM outbox WHERE state = 'done'").fetchone()[0] == 5


def test_an_order_shipped_twice_offline_is_an_alert_at_every_bench(
    tmp_path: Path, hub_url: str, hub
) -> None:
    one = open_bench(tmp_path / "b1", "bench-1", None)  # both packed it offline
    two = open_bench(tmp_path / "b2", "bench-2", None)
    order_no, other = open_orders(one.db)[:2]
    assert pack(one, order_no) == "printed"
    assert pack(two, order_no) == "printed"
    push(one, hub_url)
    assert hub.execute("SELECT count(*) FROM attention").fetchone()[0] == 0
    push(two, hub_url)
    (kind, detail) = hub.execute("SELECT kind, detail FROM attention").fetchone()
    assert kind == "double_shipment" and "bench-1" in detail and "bench-2" in detail
    third = open_bench(tmp_path / "b3", "bench-3", hub_url)
    for bench in (one, two, third):
        pull(bench, hub_url)
        refused = bench.scan(other)
        assert refused.message.key == "alert_intercept"
        assert refused.message.params["order_no"].upper() == order_no.upper()


def test_the_puller_brings_orders_and_keeps_numbers_leased_ahead(
    tmp_path: Path, hub_url: str, hub
) -> None:
    source = open_bench(tmp_path / "src", "bench-0", None)
    imported = [_as_imported(source.db, n) for n in open_orders(source.db)]
    hub_orders.put(hub, imported, "test")
    from station.hub import numbers

    numbers.add(hub, "YTO", [f"YT{n:010d}" for n in range(30)])
    folder = tmp_path / "fresh"
    folder.mkdir()
    db = connect_sqlite(folder / DB_FILE)
    puller = HubPuller(hub_url, "bench-9", 2.0, 12, 0.0, [])
    assert puller.pull(db).startswith(f"hub: {len(imported)} orders, 12 numbers")
    assert {o.order_no for o in imported} <= {
        r[0] for r in db.execute("SELECT order_no FROM orders")
    }
    assert puller.pull(db).startswith("hub: 0 orders, 0 numbers")
    puller.close()
    db.close()
    given = hub.execute("SELECT count(*) FROM numbers WHERE bench = 'bench-9'").fetchone()[0]
    assert given == 12


def _dead_url() -> str:
    return f"postgresql://station:x@127.0.0.1:{free_port()}/station"


def _as_imported(db: sqlite_utils.Database, order_no: str):
    from station.core.address import AddressInput
    from station.core.model import OrderStatus
    from station.importers.orders import ImportedOrder, ImportLine

    order = orders.find_order(db, order_no)
    return ImportedOrder(
        order_no=order.order_no,
        lines=tuple(ImportLine(ln.sku, ln.name, ln.quantity) for ln in order.lines),
        recipient_name=order.recipient.name,
        phone=order.recipient.phone,
        address=AddressInput(order.recipient.address),
        status=OrderStatus.OPEN,
        hold_reason=None,
    )


def test_voiding_one_of_two_shipments_resolves_the_double_at_the_hub(
    tmp_path: Path, hub_url: str, hub
) -> None:
    from station.store.search import void_shipment
    from station.store.users import sign_in

    one = open_bench(tmp_path / "b1", "bench-1", None)
    two = open_bench(tmp_path / "b2", "bench-2", None)
    order_no = open_orders(one.db)[0]
    assert pack(one, order_no) == pack(two, order_no) == "printed"
    push(one, hub_url)
    push(two, hub_url)
    assert hub.execute("SELECT count(*) FROM attention WHERE resolved_at IS NULL").fetchone()[0]
    supervisor = sign_in(two.db, "主管 Supervisor", DEMO_SUPERVISOR_PIN)
    void_shipment(two.db, 1, supervisor, "packed twice", "bench-2")
    push(two, hub_url)
    live = hub.execute("SELECT bench FROM shipments WHERE voided_at IS NULL").fetchall()
    assert live == [("bench-1",)]
    assert not hub.execute("SELECT count(*) FROM attention WHERE resolved_at IS NULL").fetchone()[0]


def test_the_hub_is_not_asked_between_the_order_scan_and_the_label(
    tmp_path: Path, hub_url: str
) -> None:
    bench = open_bench(tmp_path / "b1", "bench-1", hub_url)
    order_no = open_orders(bench.db)[0]
    assert bench.scan(order_no).message.key == "order_started"  # claimed at the hub
    relink(bench, _dead_url())  # the hub goes away after the scan
    for line in orders.find_order(bench.db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    assert bench.message.message.key == "printed"
    assert bench.hub.status.state is HubState.UNKNOWN  # never asked


def test_an_order_given_back_offline_is_released_at_the_hub_on_reconnect(
    tmp_path: Path, hub_url: str, hub
) -> None:
    bench = open_bench(tmp_path / "b1", "bench-1", hub_url)
    order_no = open_orders(bench.db)[0]
    assert bench.scan(order_no).message.key == "order_started"
    relink(bench, _dead_url())
    assert bench.scan("CMD-CANCEL").message.key == "cancelled"
    assert holds.held(bench.db, order_no) is None
    assert claims.holder(hub, order_no).bench == "bench-1"  # the hub has not heard yet
    assert pull(bench, hub_url).endswith("1 releases, 0 alerts")
    assert claims.holder(hub, order_no) is None
    assert holds.pending_releases(bench.db) == []

"""One e-waybill per order across the warehouse: two benches (two SQLite files) with
the hub on a real PostgreSQL take e-waybills from the same local providers; an
order's number is taken once, and the other bench copies it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_waybills import add_order
from waybill_fakes import SECRETS, FakeKdniao, all_servers, waybills_toml

from station.core.model import OrderStatus
from station.hub import ewaybills as hub_ewaybills
from station.hub.db import connect
from station.hub.ewaybill_link import HubCoordinator
from station.settings import Settings
from station.store import ewaybills as store
from station.store import orders as order_store
from station.store.db import DB_FILE, transaction
from station.store.db import connect as connect_sqlite
from station.waybills.config import load_providers
from station.waybills.model import State
from station.waybills.providers import build
from station.waybills.service import Prefetcher, Summary

ORDERS = [f"ZTO-{i:03d}" for i in range(30)]


class Bench:
    """A bench's database and e-waybill prefetcher, on a data folder of its own."""

    def __init__(self, folder: Path, name: str, hub_url: str, urls: dict[str, str]):
        folder.mkdir(parents=True)
        (folder / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        self.db = connect_sqlite(folder / DB_FILE)
        for order_no in ORDERS:
            add_order(self.db, order_no, "ZTO")
        settings = Settings.load(folder).with_values(station__name=name)
        built = build(load_providers(folder), secret=lambda n: SECRETS[n.split(".")[0]])
        self.coordinator = HubCoordinator(hub_url, name, 2.0)
        self.prefetcher = Prefetcher(self.db, settings, built.providers, folder, self.coordinator)

    def number(self, order_no: str) -> str | None:
        row = store.live(self.db, order_no)
        return row.waybill_no if row is not None else None

    def close(self) -> None:
        self.prefetcher.close()
        self.db.close()


@pytest.fixture
def fakes() -> Iterator[tuple[FakeKdniao, dict[str, str]]]:
    with all_servers() as (_wechat, _sf, kdn, urls):
        yield kdn, urls


@pytest.fixture
def benches(tmp_path: Path, hub_url: str, fakes) -> Iterator[tuple[Bench, Bench]]:
    _kdn, urls = fakes
    one = Bench(tmp_path / "b1", "bench-1", hub_url, urls)
    two = Bench(tmp_path / "b2", "bench-2", hub_url, urls)
    yield one, two
    one.close()
    two.close()


def test_the_second_bench_copies_the_first_benches_number(benches, fakes) -> None:
    one, two = benches
    kdn, _urls = fakes
    assert sorted(one.prefetcher.prefetch(["ZTO-000"]).taken) == ["ZTO-000"]
    summary = two.prefetcher.prefetch(["ZTO-000"])
    assert summary.taken == [] and summary.shared == ["ZTO-000"]
    assert kdn.numbers_issued == 1
    mine, copy = store.live(one.db, "ZTO-000"), store.live(two.db, "ZTO-000")
    assert copy.state is State.TAKEN and copy.waybill_no == mine.waybill_no
    assert (copy.sort_code, copy.sort_mark, copy.package_center) == (
        mine.sort_code,
        mine.sort_mark,
        mine.package_center,
    )
    assert copy.print_data == mine.print_data and copy.key == mine.key


def test_two_benches_prefetching_at_once_take_one_number_per_order(benches, fakes) -> None:
    one, two = benches
    kdn, _urls = fakes
    kdn.delay_seconds = 0.002  # the two passes overlap
    threads = [threading.Thread(target=b.prefetcher.prefetch) for b in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for bench in (one, two):  # a pass left waiting on the other bench finishes
        bench.prefetcher.prefetch()
    assert kdn.numbers_issued == len(ORDERS)
    for order_no in ORDERS:
        assert one.number(order_no) == two.number(order_no) is not None


def test_a_reservation_left_by_a_crash_is_taken_under_its_key_by_its_bench(
    benches, fakes, hub_url: str
) -> None:
    one, two = benches
    kdn, _urls = fakes
    with connect(hub_url) as conn:  # bench-1 reserved ZTO-001, then was killed
        hub_ewaybills.reserve(conn, "ZTO-001", "bench-1", "kdn", "ZTO", "", 1, "ZTO-001-1")
    waiting = two.prefetcher.prefetch(["ZTO-001"])
    assert "bench bench-1 is taking" in waiting.pending["ZTO-001"]
    assert kdn.numbers_issued == 0
    assert one.prefetcher.prefetch(["ZTO-001"]).taken == ["ZTO-001"]
    assert list(kdn.issued) == ["ZTO-001-1"]
    assert two.prefetcher.prefetch(["ZTO-001"]).shared == ["ZTO-001"]
    assert kdn.numbers_issued == 1


def test_without_the_hub_no_number_is_taken(tmp_path: Path, fakes) -> None:
    kdn, urls = fakes
    alone = Bench(tmp_path / "b1", "bench-1", "postgresql://x@127.0.0.1:9/none", urls)
    try:
        summary = alone.prefetcher.prefetch(["ZTO-002"])
    finally:
        alone.close()
    assert summary.taken == [] and "hub unreachable" in summary.pending["ZTO-002"]
    assert kdn.numbers_issued == 0


def test_a_number_cancelled_at_one_bench_is_dropped_at_the_other(benches, fakes) -> None:
    one, two = benches
    kdn, _urls = fakes
    one.prefetcher.prefetch(["ZTO-003"])
    two.prefetcher.prefetch(["ZTO-003"])
    first = one.number("ZTO-003")
    with transaction(one.db):  # held at bench-1: its number is cancelled upstream
        order_store.set_status(one.db, "ZTO-003", OrderStatus.HOLD, "customer called")
    one.prefetcher.prefetch(["ZTO-003"])
    assert one.prefetcher.run_cancels() == {first: "cancelled"}
    assert kdn.cancels == {first: 1}
    two.prefetcher.sync_hub()
    assert store.by_number(two.db, first).state is State.CANCELLED
    assert two.prefetcher.prefetch(["ZTO-003"]).taken == ["ZTO-003"]  # open at bench-2
    assert two.number("ZTO-003") not in (None, first)
    assert kdn.cancels == {first: 1} and kdn.numbers_issued == 2


def test_a_number_taken_while_the_hub_could_not_hear_is_told_later(benches, hub_url: str) -> None:
    one, two = benches
    with connect(hub_url) as conn:
        hub_ewaybills.reserve(conn, "ZTO-004", "bench-1", "kdn", "ZTO", "", 1, "ZTO-004-1")
    with transaction(one.db):
        store.add_requested(one.db, "ZTO-004", 1, "kdn", "", "ZTO", "", "ZTO-004-1", "", "hub")
    one.prefetcher.resume(Summary())  # the number is taken; the hub has not heard of it
    taken = one.number("ZTO-004")
    assert taken is not None
    assert "bench bench-1 is taking" in two.prefetcher.prefetch(["ZTO-004"]).pending["ZTO-004"]
    one.prefetcher.sync_hub()
    assert two.prefetcher.prefetch(["ZTO-004"]).shared == ["ZTO-004"]
    assert two.number("ZTO-004") == taken


def test_hub_schema_step_keeps_one_row_per_order(hub_url: str) -> None:
    with connect(hub_url) as conn:
        first = hub_ewaybills.reserve(conn, "zto-9", "bench-1", "kdn", "ZTO", "", 1, "K1")
        second = hub_ewaybills.reserve(conn, "ZTO-9", "bench-2", "kdn", "ZTO", "", 1, "K2")
        assert first == second and second.bench == "bench-1" and second.key == "K1"
        assert not hub_ewaybills.publish(conn, "ZTO-9", "K2", "43000", {})
        assert hub_ewaybills.publish(conn, "ZTO-9", "K1", "43000", {"sort_code": "300"})
        assert hub_ewaybills.release(conn, ["K1"]) == 1
        again = hub_ewaybills.reserve(conn, "ZTO-9", "bench-2", "kdn", "ZTO", "", 2, "K2")
        assert again.bench == "bench-2" and again.waybill_no is None

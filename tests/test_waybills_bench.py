"""The bench prints an e-waybill taken ahead, offline, when it is for the carrier and
service the parcel was routed to; otherwise that one is queued for cancel and the
pool's number is used."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from test_bench import Clock, Recorder, put, scan_all_items
from test_printers_support import pdf_image, pdf_text, read_codes
from waybill_fakes import SECRETS, all_servers, waybills_toml

from printers import Template, open_printer
from station.bench import Bench
from station.core.reading import ScaleLink
from station.labels import shipment_waybill
from station.settings import Settings
from station.store import ewaybills as store
from station.store import orders, pool
from station.store.db import transaction
from station.waybills.config import load_providers
from station.waybills.model import State, Taken
from station.waybills.port import PrefetchedWaybills
from station.waybills.providers import build
from station.waybills.service import Prefetcher


@pytest.fixture
def bench(demo_db: sqlite_utils.Database, settings: Settings, tmp_path: Path) -> Bench:
    bench = Bench(
        demo_db,
        settings,
        open_printer(f"pdf:{tmp_path / 'labels'}"),
        listener=Recorder(),
        clock=Clock(),
        waybills=PrefetchedWaybills(),
    )
    bench.test_clock = bench.clock
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def take_ahead(
    db: sqlite_utils.Database, order_no: str, carrier: str, number: str, service: str = "standard"
) -> int:
    """A number taken ahead for the order, as prefetch stores it (the service is the
    routed one: standard for these demo orders)."""
    with transaction(db):
        row_id = store.add_requested(
            db, order_no, 1, "kdn", "acct", carrier, service, f"{order_no}-1", ""
        )
        store.mark_taken(db, row_id, Taken(number, f"{order_no}-1", sort_mark="杭州 西湖"))
    return row_id


def named_carrier_order(db: sqlite_utils.Database) -> str:
    """An open demo order that names ZTO, so routing keeps it there."""
    return db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier = 'ZTO' "
        "AND service = '' ORDER BY order_no LIMIT 1"
    ).fetchone()[0]


def pack(bench: Bench, order_no: str) -> None:
    put(bench, 0)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    assert bench.session is not None
    put(bench, bench.session.expected_grams + 5)
    assert bench.session is None


def test_a_number_taken_ahead_for_the_routed_carrier_is_printed(bench: Bench) -> None:
    order_no = named_carrier_order(bench.db)
    carrier = orders.find_order(bench.db, order_no).carrier
    take_ahead(bench.db, order_no, carrier, "73000000000042")
    free = pool.free_count(bench.db, carrier)
    pack(bench, order_no)
    shipment = next(bench.db.query("SELECT tracking_no, carrier FROM shipments"))
    assert shipment == {"tracking_no": "73000000000042", "carrier": carrier}
    assert pool.free_count(bench.db, carrier) == free
    assert store.by_number(bench.db, "73000000000042").state is State.USED


def test_a_number_taken_for_another_carrier_is_queued_for_cancel(bench: Bench) -> None:
    order_no = named_carrier_order(bench.db)
    take_ahead(bench.db, order_no, "JD", "JDVA11408814483")
    pack(bench, order_no)
    shipment = next(bench.db.query("SELECT tracking_no FROM shipments"))
    assert shipment["tracking_no"] != "JDVA11408814483"
    row = store.by_number(bench.db, "JDVA11408814483")
    assert row.state is State.CANCEL_PENDING and "route changed" in row.note


def test_prefetch_then_pack_offline_prints_the_prefetched_number(
    bench: Bench, data_dir: Path
) -> None:
    """Prefetch decides carrier and service as the bench's routing will, so the number
    taken ahead is the one printed (with the providers gone by then)."""
    order_no = named_carrier_order(bench.db)
    with all_servers() as (_wechat, _sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
        prefetcher = Prefetcher(bench.db, bench.settings, built.providers, data_dir)
        try:
            assert prefetcher.prefetch([order_no]).taken == [order_no]
        finally:
            prefetcher.close()
    pack(bench, order_no)
    shipment = next(bench.db.query("SELECT tracking_no FROM shipments"))
    assert shipment["tracking_no"] == kdn.issued[f"{order_no}-1"]
    assert store.by_number(bench.db, shipment["tracking_no"]).state is State.USED


def test_a_voided_shipments_e_waybill_is_cancelled_and_a_new_one_taken(
    bench: Bench, data_dir: Path
) -> None:
    from station.core.permissions import Action
    from station.demo import DEMO_SUPERVISOR_PIN
    from station.store.search import void_shipment
    from station.store.users import authorize

    order_no = named_carrier_order(bench.db)
    with all_servers() as (_wechat, _sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
        prefetcher = Prefetcher(bench.db, bench.settings, built.providers, data_dir)
        try:
            prefetcher.prefetch([order_no])
            pack(bench, order_no)
            shipment = next(bench.db.query("SELECT id, tracking_no FROM shipments"))
            boss = authorize(bench.db, DEMO_SUPERVISOR_PIN, Action.VOID)
            void_shipment(bench.db, shipment["id"], boss, "box crushed", "bench-1", repack=True)
            summary = prefetcher.prefetch()
            prefetcher.run_cancels()
        finally:
            prefetcher.close()
    assert order_no in summary.cancelled and order_no in summary.taken
    assert kdn.cancels == {shipment["tracking_no"]: 1}
    assert store.by_number(bench.db, shipment["tracking_no"]).state is State.CANCELLED
    assert store.live(bench.db, order_no).attempt == 2


def prefetched(bench: Bench, data_dir: Path, order_no: str) -> None:
    """Take the order's e-waybill from the local fakes, then go offline."""
    with all_servers() as (_wechat, _sf, _kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
        prefetcher = Prefetcher(bench.db, bench.settings, built.providers, data_dir)
        try:
            assert prefetcher.prefetch([order_no]).taken == [order_no]
        finally:
            prefetcher.close()


def printed_pdf(folder: Path) -> bytes:
    (label,) = sorted(folder.glob("*.pdf"))
    return label.read_bytes()


def test_the_label_of_a_prefetched_e_waybill_carries_its_sort_codes(
    bench: Bench, data_dir: Path, tmp_path: Path
) -> None:
    """The carrier's one-piece template, filled from what KDNiao returned ahead: the
    barcode scans as the number, 三段码, 大头笔 and 集包地 with its code are printed."""
    order_no = named_carrier_order(bench.db)
    prefetched(bench, data_dir, order_no)
    pack(bench, order_no)
    tracking_no = next(bench.db.query("SELECT tracking_no FROM shipments"))["tracking_no"]
    pdf = printed_pdf(tmp_path / "labels")
    assert tracking_no in read_codes(pdf_image(pdf)).get("Code128", set())
    text = pdf_text(pdf)
    for printed in ("300-L12 05", "浙江 杭州 西湖", "杭州中转包", "571001"):
        assert printed in text


def test_every_reprint_of_an_e_waybill_keeps_its_template(bench: Bench, data_dir: Path) -> None:
    """`station print label` and F3 rebuild the label from the shipment: the e-waybill's
    fields come back from the database, not only at the first print."""
    order_no = named_carrier_order(bench.db)
    prefetched(bench, data_dir, order_no)
    pack(bench, order_no)
    shipment = next(bench.db.query("SELECT * FROM shipments"))
    waybill = shipment_waybill(bench.db, shipment, bench.settings)
    assert waybill.reprint and waybill.template is Template.CARRIER
    assert (waybill.sorting_code, waybill.package_centre_code) == ("300-L12 05", "571001")


def test_a_pool_number_keeps_the_general_label(bench: Bench) -> None:
    order_no = named_carrier_order(bench.db)
    pack(bench, order_no)
    shipment = next(bench.db.query("SELECT * FROM shipments"))
    assert shipment_waybill(bench.db, shipment, bench.settings).template is Template.GENERAL


def test_an_sf_e_waybill_prints_sfs_privacy_label(bench: Bench, tmp_path: Path) -> None:
    """SF's routeLabelData, as its create-order answer gives it, makes the 丰密面单: the
    destination route label printed, the QR code holding SF's twoDimensionCode."""
    order_no = bench.db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier = 'SF' ORDER BY order_no"
    ).fetchone()[0]
    route = {"destRouteLabel": "755WE-571A3", "twoDimensionCode": "MMM={'k1':'755WE'}"}
    with transaction(bench.db):
        row_id = store.add_requested(bench.db, order_no, 1, "sf", "", "SF", "standard", "k", "")
        taken = Taken("SF1000000000001", "k", print_data={"routeLabelData": route})
        store.mark_taken(bench.db, row_id, taken)
    pack(bench, order_no)
    pdf = printed_pdf(tmp_path / "labels")
    codes = read_codes(pdf_image(pdf))
    assert "SF1000000000001" in codes.get("Code128", set())
    assert codes.get("QRCode") == {route["twoDimensionCode"]}
    assert "755WE-571A3" in pdf_text(pdf)

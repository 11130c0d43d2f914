"""Multi-parcel orders (子母单): SF issues a mother number and children for parcelQty N
(丰桥 EXP_RECE_CREATE_ORDER, against the local fake); the bench prints one label per
parcel, n/N with the mother's number on each child, each child with its own route
label; a reprint prints them all again; a resumed request asks for as many parcels."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from test_printers_support import pdf_image, pdf_text, read_codes
from test_waybills import add_order
from test_waybills_bench import bench, pack  # noqa: F401 (fixture)
from test_waybills_cli import run, secrets  # noqa: F401 (fixture)
from waybill_fakes import SECRETS, all_servers, waybills_toml

from station.app.reprint import Reprint, Reprinted
from station.bench import Bench
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import ewaybills as store
from station.store.db import transaction
from station.waybills.config import load_providers
from station.waybills.providers import build
from station.waybills.service import Prefetcher, Summary


def sf_order(db: sqlite_utils.Database) -> str:
    return db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier = 'SF' AND service = '' "
        "ORDER BY order_no"
    ).fetchone()[0]


def prefetcher(db: sqlite_utils.Database, data_dir: Path, urls: dict[str, str]) -> Prefetcher:
    (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
    built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
    return Prefetcher(db, Settings.load(data_dir), built.providers, data_dir)


def labels(folder: Path) -> list[tuple[set[str], str]]:
    """Each printed PDF label's Code 128 contents and text, in print order."""
    found = []
    for path in sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns):
        pdf = path.read_bytes()
        found.append((read_codes(pdf_image(pdf)).get("Code128", set()), pdf_text(pdf)))
    return found


def test_sf_children_are_taken_and_printed_one_label_per_parcel(
    bench: Bench,  # noqa: F811
    data_dir: Path,
    tmp_path: Path,
) -> None:
    order_no = sf_order(bench.db)
    with all_servers() as (_wechat, sf, _kdn, urls):
        taker = prefetcher(bench.db, data_dir, urls)
        try:
            assert taker.prefetch([order_no], parcels=3).taken == [order_no]
        finally:
            taker.close()
    row = store.live(bench.db, order_no)
    mother, children = row.waybill_no, row.sub_waybills
    assert len(children) == 2 and row.parcels == 3
    assert sf.orders[row.key]["msg"]["parcelQty"] == 3
    assert set(row.print_data["childRouteLabels"]) == set(children)

    pack(bench, order_no)
    printed = labels(tmp_path / "labels")
    assert [codes for codes, _ in printed] == [{mother}, {children[0]}, {children[1]}]
    first, second, third = (text for _, text in printed)
    assert "1/3" in first and "母单" not in first
    assert "2/3" in second and f"母单 {mother}" in second
    assert "3/3" in third and f"母单 {mother}" in third
    assert "755WE-571A3" in second  # the child's own route label
    count = bench.db.execute("SELECT print_count FROM shipments").fetchone()[0]
    assert count == 1  # one print of the shipment, all its parcels


def test_a_reprint_prints_every_parcel_again(
    bench: Bench,  # noqa: F811
    data_dir: Path,
    tmp_path: Path,
) -> None:
    order_no = sf_order(bench.db)
    with all_servers() as (_wechat, _sf, _kdn, urls):
        taker = prefetcher(bench.db, data_dir, urls)
        try:
            taker.prefetch([order_no], parcels=2)
        finally:
            taker.close()
    pack(bench, order_no)
    shipment_id = bench.db.execute("SELECT id FROM shipments").fetchone()[0]
    reprints = Reprint(bench.db, bench.settings, bench.printer)
    done: list[Reprinted] = []
    reprints.supervised(shipment_id, reprints.supervisor(DEMO_SUPERVISOR_PIN), "torn", done.append)
    assert done[0].printed and done[0].count == 2
    printed = labels(tmp_path / "labels")
    assert len(printed) == 4 and all("补打" in text for _, text in printed[2:])


def test_a_resumed_multi_parcel_request_asks_for_as_many_parcels(
    bench: Bench,  # noqa: F811
    data_dir: Path,
) -> None:
    order_no = sf_order(bench.db)
    with transaction(bench.db):  # killed after the key was stored, before SF answered
        store.add_requested(
            bench.db, order_no, 1, "sf", "", "SF", "", f"{order_no}-1", "", parcels=4
        )
    with all_servers() as (_wechat, sf, _kdn, urls):
        taker = prefetcher(bench.db, data_dir, urls)
        try:
            summary = Summary()
            taker.resume(summary)
        finally:
            taker.close()
    assert summary.taken == [order_no]
    assert sf.orders[f"{order_no}-1"]["msg"]["parcelQty"] == 4
    assert len(store.live(bench.db, order_no).sub_waybills) == 3


def test_multi_parcel_only_where_a_provider_issues_it(
    db: sqlite_utils.Database,
    data_dir: Path,
    secrets,  # noqa: F811
    capsys,
) -> None:
    add_order(db, "ZTO-1", "ZTO")
    add_order(db, "SF-1", "SF")
    assert run(data_dir, "prefetch", "--parcels", "2") == 2
    assert "--parcels needs --order" in capsys.readouterr().err
    assert run(data_dir, "prefetch", "--order", "SF-1", "--parcels", "0") == 2
    with all_servers() as (_wechat, _sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert run(data_dir, "prefetch", "--order", "ZTO-1", "--parcels", "2") == 1
        assert "no provider here issues multi-parcel (子母单) e-waybills for ZTO" in (
            capsys.readouterr().out
        )
        assert kdn.numbers_issued == 0
        assert run(data_dir, "prefetch", "--order", "SF-1") == 0
        assert run(data_dir, "prefetch", "--order", "SF-1", "--parcels", "2") == 1
        assert "cancel it first" in capsys.readouterr().out

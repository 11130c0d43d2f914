"""A WeChat Shop e-waybill printed through WeChat's print component is reported to
WeChat (order/print) by the e-waybill worker, exactly once, even when the network
was down at the print; a print that failed reports nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from test_bench import Clock, Recorder
from test_print_label_cli import SUPERVISOR, station
from test_printers_wxprint import FakeComponent, component  # noqa: F401 (fixture)
from test_sync_fakes import serving
from test_waybills_bench import named_carrier_order, pack
from waybill_fakes import SECRETS, FakeWeChatEwaybill, waybills_toml

from printers import open_printer
from station.app.reprint import Reprint, Reprinted
from station.bench import Bench
from station.core.reading import ScaleLink
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import ewaybills as store
from station.store import shipments
from station.store.db import transaction
from station.waybills.config import load_providers
from station.waybills.model import Address, Goods, WaybillRequest
from station.waybills.port import PrefetchedWaybills
from station.waybills.providers import build
from station.waybills.service import Prefetcher

DEAD = "http://127.0.0.1:9"  # nothing listens: offline


def prefetcher(db: sqlite_utils.Database, settings: Settings, data_dir: Path, url: str):
    urls = {"wechat": url, "sf": DEAD, "kdn": DEAD}
    (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
    built = build(load_providers(data_dir), secret=lambda name: SECRETS[name.split(".")[0]])
    return Prefetcher(db, settings, built.providers, data_dir)


def take_wechat_number(
    db: sqlite_utils.Database, settings: Settings, data_dir: Path, fake: FakeWeChatEwaybill
) -> tuple[str, str]:
    """A demo order's WeChat Shop e-waybill, taken from the fake as prefetch takes it
    (precreate, create with the template: print_info) and stored taken."""
    order_no = named_carrier_order(db)
    person = Address("张*", "138****5678", "广东省", "深圳市", "南山区", "****")
    request = WaybillRequest(
        order_no, 1, "ZTO", "standard", person, person, (Goods("杯", 1),), "3704612354559743232"
    )
    with serving(fake) as url:
        shop = prefetcher(db, settings, data_dir, url).by_name["shop"]
        key = shop.key(request)
        taken = shop.take(request, key)
        shop.close()
    assert taken.print_data["print_info"]
    with transaction(db):
        row_id = store.add_requested(db, order_no, 1, "shop", "", "ZTO", "standard", key, "")
        store.mark_taken(db, row_id, taken)
    return order_no, taken.waybill_no


@pytest.fixture
def wx_bench(demo_db, settings, component: FakeComponent) -> Bench:  # noqa: F811
    printer = open_printer(f"wxprint://127.0.0.1:{component.port}?timeout=2")
    bench = Bench(
        demo_db,
        settings,
        printer,
        listener=Recorder(),
        clock=Clock(),
        waybills=PrefetchedWaybills(),
    )
    bench.test_clock = bench.clock
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def test_a_component_print_is_reported_once_after_being_offline(
    wx_bench: Bench,
    data_dir: Path,
    component: FakeComponent,  # noqa: F811
) -> None:
    fake = FakeWeChatEwaybill()
    order_no, number = take_wechat_number(wx_bench.db, wx_bench.settings, data_dir, fake)
    pack(wx_bench, order_no)
    assert component.commands[-1] == "print"
    assert store.print_notices_waiting(wx_bench.db) == 1

    offline = prefetcher(wx_bench.db, wx_bench.settings, data_dir, DEAD)
    (why,) = offline.run_print_notices(base=0, cap=0).values()
    assert why.startswith("will retry")
    offline.close()
    assert store.print_notices_waiting(wx_bench.db) == 1

    with serving(fake) as url:
        online = prefetcher(wx_bench.db, wx_bench.settings, data_dir, url)
        assert online.run_print_notices(base=0, cap=0) == {f"{number} print 1": "sent"}
        assert online.run_print_notices(base=0, cap=0) == {}
        online.close()
    row = store.by_number(wx_bench.db, number)
    assert fake.printed == [
        {"ewaybill_order_id": row.key, "delivery_id": "ZTO", "waybill_id": number, "re_print": 0}
    ]
    assert store.print_notices_waiting(wx_bench.db) == 0


def test_a_failed_component_print_reports_nothing(
    wx_bench: Bench,
    data_dir: Path,
    component: FakeComponent,  # noqa: F811
) -> None:
    def out_of_paper(_ws: Any, answer: dict[str, Any]) -> dict[str, Any]:
        for task in answer["taskList"]:
            task.update(success=False, failureReason="缺纸")
        return answer

    component.on_print = out_of_paper
    fake = FakeWeChatEwaybill()
    order_no, _number = take_wechat_number(wx_bench.db, wx_bench.settings, data_dir, fake)
    pack(wx_bench, order_no)
    assert component.commands[-1] == "print"
    assert store.print_notices_waiting(wx_bench.db) == 0


def test_a_supervised_reprint_through_the_component_is_reported_as_a_reprint(
    wx_bench: Bench,
    data_dir: Path,
    component: FakeComponent,  # noqa: F811
) -> None:
    """F3's search window and `station print label` reprint through the Reprint use
    case: its print through the component is reported too, as a reprint."""
    fake = FakeWeChatEwaybill()
    order_no, number = take_wechat_number(wx_bench.db, wx_bench.settings, data_dir, fake)
    pack(wx_bench, order_no)
    shipment_id = wx_bench.db.execute(
        "SELECT id FROM shipments WHERE tracking_no = ?", [number]
    ).fetchone()[0]
    reprints = Reprint(wx_bench.db, wx_bench.settings, wx_bench.printer)
    done: list[Reprinted] = []
    reprints.supervised(
        shipment_id, reprints.supervisor(DEMO_SUPERVISOR_PIN), "label torn", done.append
    )
    assert done[0].printed and done[0].count == 2
    assert store.print_notices_waiting(wx_bench.db) == 2

    with serving(fake) as url:
        online = prefetcher(wx_bench.db, wx_bench.settings, data_dir, url)
        assert online.run_print_notices(base=0, cap=0) == {
            f"{number} print 1": "sent",
            f"{number} print 2": "sent",
        }
        online.close()
    assert [n["re_print"] for n in fake.printed] == [0, 1]


def test_station_print_label_through_the_component_is_reported(
    wx_bench: Bench,
    data_dir: Path,
    component: FakeComponent,  # noqa: F811
) -> None:
    fake = FakeWeChatEwaybill()
    order_no, number = take_wechat_number(wx_bench.db, wx_bench.settings, data_dir, fake)
    pack(wx_bench, order_no)
    printer = f"wxprint://127.0.0.1:{component.port}?timeout=2"
    out = station(
        data_dir,
        "print",
        "label",
        number,
        "--printer",
        printer,
        *SUPERVISOR,
        pin=DEMO_SUPERVISOR_PIN,
    )
    assert out.returncode == 0, out.stderr
    assert component.commands.count("print") == 2
    notices = wx_bench.db.execute(
        "SELECT print_no FROM ewaybill_print_notices ORDER BY print_no"
    ).fetchall()
    assert notices == [(1,), (2,)]


def test_the_notice_is_queued_with_the_print_or_not_at_all(
    wx_bench: Bench,
    data_dir: Path,
    component: FakeComponent,  # noqa: F811
) -> None:
    """The print and its notice are noted in one transaction: when the notice cannot be
    queued (a crash in between), the print is not noted either, so no noted print is
    ever left without its notice."""
    fake = FakeWeChatEwaybill()
    order_no, _number = take_wechat_number(wx_bench.db, wx_bench.settings, data_dir, fake)
    pack(wx_bench, order_no)
    shipment_id = wx_bench.db.execute("SELECT id FROM shipments").fetchone()[0]
    wx_bench.db.execute(
        """CREATE TRIGGER crash_at_notice BEFORE INSERT ON ewaybill_print_notices
           BEGIN SELECT RAISE(ABORT, 'killed here'); END"""
    )
    with pytest.raises(sqlite3.IntegrityError, match="killed here"):
        shipments.mark_printed(wx_bench.db, shipment_id, platform_notice=True)
    assert wx_bench.db.execute("SELECT print_count FROM shipments").fetchone()[0] == 1
    assert store.print_notices_waiting(wx_bench.db) == 1

    wx_bench.db.execute("DROP TRIGGER crash_at_notice")
    assert shipments.mark_printed(wx_bench.db, shipment_id, platform_notice=True) == 2
    assert store.print_notices_waiting(wx_bench.db) == 2

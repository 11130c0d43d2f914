"""Carrier codes checked against WeChat's carrier lists: fetched by the uploader at its
first run of the day (from the fakes, as documented), checked at `carriers set` and
before packing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from test_bench import open_order
from test_sync_fakes import FakeWeChat, opened_uploader, wechat_server, write_sync_toml

from printers import open_printer
from station.bench import Bench
from station.cli import main
from station.settings import Settings
from station.store import wechat_carriers
from station.sync.secrets import set_secret

SHUNFENG = ("SHUNFENG", "--name-zh", "顺丰", "--pattern", r"SF\d{12,13}")


def carriers(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "carriers", *args])


def test_carriers_set_refuses_a_code_wechat_does_not_know(
    db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    assert carriers(data_dir, "set", "--technician", *SHUNFENG) == 2
    out = capsys.readouterr().err
    assert "SHUNFENG is not in WeChat's carrier list" in out and "SF for 顺丰" in out
    assert carriers(data_dir, "set", "--technician", *SHUNFENG, "--not-wechat") == 0
    # enabling a disabled carrier is checked again; editing it is not
    assert carriers(data_dir, "set", "--technician", "SHUNFENG", "--disable", "--not-wechat") == 0
    assert carriers(data_dir, "set", "--technician", "SHUNFENG", "--pattern", r"SF\d{13}") == 0
    assert carriers(data_dir, "set", "--technician", "SHUNFENG", "--enable") == 2


def test_the_fetched_list_decides_once_there_is_one(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    wechat_carriers.save_list(db, "mini", ["SF", "ZTO", "KYSY"], (), "2026-12-04")
    new = ("KYSY", "--name-zh", "跨越速运", "--pattern", r"KY\d{10}")
    assert carriers(data_dir, "set", "--technician", *new) == 0
    assert carriers(data_dir, "set", "--technician", "EMS", "--disable") == 0
    assert (
        carriers(data_dir, "set", "--technician", "EMS", "--enable") == 2
    )  # documented, but not in the list


@pytest.fixture
def fake() -> FakeWeChat:
    return FakeWeChat()


@pytest.fixture
def targets(fake: FakeWeChat, data_dir: Path, memory_keyring: None):
    with wechat_server(fake) as url:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'mchid = "1230000109"\nbase_url = "{url}"\ntimeout_seconds = 0.5\n'
            f'sources = ["demo"]\n'
            f'[[targets]]\nname = "shop"\nkind = "wechat-shop"\nappid = "wxapp"\n'
            f'base_url = "{url}"\nsources = ["wechat-shop"]\ntimeout_seconds = 0.5\n',
        )
        set_secret("mini", "s3cret")
        set_secret("shop", "s3cret")
        yield url


def test_the_first_sync_of_the_day_fetches_both_lists_once(
    demo_db: sqlite_utils.Database, data_dir: Path, fast: Settings, fake: FakeWeChat, targets
) -> None:
    fake.shop_delivery_ids = ["SF", "YD"]
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
        uploader.pull()
    names = [name for name, _ in fake.calls]
    assert names.count("get_delivery_list") == 1 and names.count("company_list") == 1
    assert ("company_list", {"ewaybill_only": False}) in fake.calls
    lists = {found.target: found for found in wechat_carriers.carrier_lists(demo_db)}
    assert lists["shop"].codes == {"SF", "YD"} and lists["shop"].sources == ("wechat-shop",)
    assert "ZTO" in lists["mini"].codes
    assert wechat_carriers.known_codes(demo_db) == {"SF", "YD"}


def test_the_bench_refuses_before_packing_a_carrier_wechat_would_refuse(
    demo_db: sqlite_utils.Database,
    data_dir: Path,
    fast: Settings,
    fake: FakeWeChat,
    targets,
    tmp_path: Path,
) -> None:
    """The demo's orders go to the mini-program target, whose list lacks ZTO."""
    fake.delivery_ids = ["SF", "JD", "YZPY"]
    with opened_uploader(data_dir, fast) as uploader:
        uploader.pull()
    bench = Bench(demo_db, fast, open_printer(f"pdf:{tmp_path}"))
    order_no = open_order(demo_db)
    refused = bench.scan(order_no)
    assert refused.message.key == "carrier_not_wechat"
    assert refused.message.params["code"] == "ZTO"
    assert refused.message.params["target"] == "mini"
    assert bench.session is None
    # the shop's orders are the shop's list's business: its list has ZTO
    demo_db.execute("UPDATE orders SET source = 'wechat-shop' WHERE order_no = ?", [order_no])
    assert bench.scan(order_no).message.key == "order_started"


def test_a_carrier_chosen_by_the_weight_is_checked_before_the_label(
    demo_db: sqlite_utils.Database, data_dir: Path, fast: Settings, tmp_path: Path
) -> None:
    """A weight rule can choose another carrier than the scan's expected weight did:
    that one is checked too, and the parcel goes back to the scale unrecorded."""
    from test_bench import Clock, put, scan_all_items, unnamed_order

    from station.core.reading import ScaleLink

    wechat_carriers.save_list(demo_db, "mini", ["SF", "ZTO", "JD", "YZPY"], (), "2026-12-04")
    order_no = unnamed_order(demo_db)
    bench = Bench(demo_db, fast, open_printer(f"pdf:{tmp_path}"), clock=Clock())
    bench.test_clock = bench.clock  # type: ignore[attr-defined]
    bench.scale_link(ScaleLink.CONNECTED)
    bench.scan(order_no)
    expected = bench.session.expected_grams
    (data_dir / "routing.toml").write_text(
        f'[[rule]]\nname = "heavy goes Deppon"\nweight_above_g = {expected}\ncarrier = "DBL"\n'
        '[[rule]]\nname = "else"\nservice = "standard"\n',
        encoding="utf-8",
    )
    bench.scan("CMD-CANCEL")
    assert bench.scan(order_no).message.key == "order_started"  # ZTO at the expected weight
    scan_all_items(bench, order_no)
    put(bench, expected + 10)
    assert bench.message.message.key == "carrier_not_wechat"
    assert bench.message.message.params["code"] == "DBL"
    assert bench.session is not None and bench.session.phase.value == "weigh"
    assert demo_db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 0

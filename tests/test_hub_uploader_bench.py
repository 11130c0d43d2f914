"""Benches with a hub upload nothing to WeChat and need no AppSecret: their queue goes
to the hub, from where the hub uploader sends it; the status light, its window (F12)
and `station sync status` list the hub as the bench's target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hub_shipments import mini_config, sync_toml, uploader
from test_hub_bench import OPENED, open_bench, open_orders, pack
from test_sync_fakes import FakeWeChat, opened_uploader, wechat_server

from station.app.sync_status import SyncStatus
from station.cli import main
from station.hub.db import connect
from station.hub.link import HubLink
from station.settings import Settings
from station.store import deliveries
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite
from station.sync.uploader import LAST_ERROR

pytestmark = pytest.mark.usefixtures("memory_keyring")  # no secret stored anywhere


def test_a_bench_with_a_hub_sends_to_the_hub_only_and_the_hub_uploader_to_wechat(
    tmp_path: Path, hub_url: str
) -> None:
    fake = FakeWeChat()
    folder = tmp_path / "b1"
    bench = open_bench(folder, "bench-1", hub_url)
    try:
        for order_no in open_orders(bench.db)[:3]:
            pack(bench, order_no)
        packed = [r[0] for r in bench.db.execute("SELECT order_no FROM shipments ORDER BY id")]
        assert len(packed) == 3
        for order_no in packed:
            fake.add_order(order_no)
        with wechat_server(fake) as url:
            (folder / "sync.toml").write_text(sync_toml(mini_config(url)), encoding="utf-8")
            settings = Settings.load(folder).with_values(
                hub__url=hub_url, station__name="bench-1", sync__backoff_base_seconds=0.01
            )
            with opened_uploader(folder, settings) as bench_uploader:
                assert [t.name for t in bench_uploader.targets] == ["hub"]
                bench_uploader.drain()
            assert fake.calls == []  # the bench never spoke to WeChat
            # ... and did not ask for the AppSecret it does not have.
            assert deliveries.get_state(bench.db, "mini", LAST_ERROR) is None
            status = SyncStatus(bench.db, folder, hub_url=hub_url).status()
            assert [(s.name, s.online, s.queued) for s in status.targets] == [("hub", True, 0)]

            job = uploader(hub_url, url)
            try:
                assert job.drain() == 3
            finally:
                job.close()
        assert [fake.uploads(o) for o in packed] == [1, 1, 1]
        with connect(hub_url) as conn:
            rows = conn.execute("SELECT state FROM wechat_uploads").fetchall()
        assert rows == [("done",)] * 3
    finally:
        OPENED.remove(bench)
        assert isinstance(bench.hub, HubLink)
        bench.hub.close()
        bench.db.close()


def test_without_a_hub_the_bench_still_uploads_to_wechat_itself(
    data_dir: Path, settings: Settings
) -> None:
    (data_dir / "sync.toml").write_text(sync_toml(mini_config("http://127.0.0.1:9")), "utf-8")
    with opened_uploader(data_dir, settings) as bench_uploader:
        assert bench_uploader.targets == []  # built, but no secret stored: said so
        assert "no secret stored" in (deliveries.get_state(bench_uploader.db, "mini", LAST_ERROR))
    db = connect_sqlite(data_dir / DB_FILE)
    try:
        names = [s.name for s in SyncStatus(db, data_dir).status().targets]
    finally:
        db.close()
    assert names == ["mini"]


def test_sync_status_and_the_f12_window_list_the_hub_not_wechat(
    qtbot, data_dir: Path, hub_url: str, capsys
) -> None:
    from station.ui.sync_status import SyncStatusWidget

    (data_dir / "sync.toml").write_text(sync_toml(mini_config("http://127.0.0.1:9")), "utf-8")
    running = Settings.load(data_dir).with_values(hub__url=hub_url)  # as the window runs
    widget = SyncStatusWidget(data_dir / DB_FILE, running)
    qtbot.addWidget(widget)
    dialog = widget.open_dialog()
    qtbot.addWidget(dialog)
    rows = [dialog.targets_table.item(r, 0).text() for r in range(dialog.targets_table.rowCount())]
    assert rows == ["hub (hub)"]
    widget.close()

    Settings.load(data_dir).save(hub__url=hub_url)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in status["targets"]] == ["hub"]


def test_a_release_check_at_a_bench_with_a_hub_asks_the_hub_not_wechat(
    data_dir: Path, db, hub_url: str
) -> None:
    from hub_shipments import push

    from station.sync.upstream import check_order

    (data_dir / "sync.toml").write_text(sync_toml(mini_config("http://127.0.0.1:9")), "utf-8")
    push(hub_url, "bench-2", [(1, "WX1", "7500001")])
    [shipped] = check_order(data_dir, db, "wx1", hub_url)
    assert (shipped.target, shipped.to_ship, shipped.waybills) == ("hub", False, {"7500001"})
    assert shipped.note.startswith("shipped at bench-2 (packer, ")
    [unknown] = check_order(data_dir, db, "WX2", hub_url)
    assert (unknown.to_ship, unknown.waybills) == (None, frozenset())
    assert "hub uploader only" in unknown.note  # not "store the secret here"

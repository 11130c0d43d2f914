"""Restore after a damaged database: nothing shipped since the backup is forgotten.

The issue's scenario, scaled to 6 + 4 parcels: back up at 6 shipments, pack 4
more at a real bench, sync all 10 to a local WeChat server speaking the documented
contract, damage the database file, `station db restore` the backup. Then the
restore names the 4 shipments the backup lacks, brings back what can be read, no
waybill number is handed out twice, the 4 orders cannot be packed again, and the
next sync sends WeChat nothing it already holds (no re-ship spent).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils
from test_sync_fakes import FakeWeChat, opened_uploader, wechat_server, write_sync_toml

from printers import open_printer
from station.bench import Bench
from station.cli import main
from station.core.reading import Reading, ScaleLink
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import orders
from station.store.backup import backup_file, restore
from station.store.db import DB_FILE, connect, now_utc, transaction
from station.store.outbox import save_ref
from station.store.salvage import HOLD_KEY
from station.sync.secrets import set_secret

pytestmark = pytest.mark.usefixtures("memory_keyring")

BEFORE, AFTER = 6, 4
PAGE = 4096


def packable(db: sqlite_utils.Database, count: int) -> list[str]:
    """Open demo orders with ZTO pool numbers and no flags to confirm."""
    return [
        r[0]
        for r in db.execute(
            "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
            "AND order_no NOT IN (SELECT order_no FROM order_flags) ORDER BY order_no LIMIT ?",
            [count],
        )
    ]


def pack(bench: Bench, order_no: str) -> str:
    """Scan the order and its items, weigh it; returns the waybill number recorded."""
    bench.scan(order_no)
    for line in orders.find_order(bench.db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    bench.reading(Reading(Decimal(0), True, at=bench.clock()))
    row = bench.db.execute(
        "SELECT tracking_no FROM shipments WHERE order_no = ? AND voided_at IS NULL", [order_no]
    ).fetchone()
    assert row is not None, bench.message
    return row[0]


def damage(path: Path, *names: str) -> None:
    """Overwrite the first page of each named table or index (the file is closed)."""
    conn = sqlite3.connect(path)
    roots = [
        conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [n]).fetchone()[0]
        for n in names
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    for root in roots:
        start = (root - 1) * PAGE
        data[start : start + PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))


@pytest.fixture
def scenario(demo_db: sqlite_utils.Database, data_dir: Path, settings: Settings, tmp_path: Path):
    """Backed up at 6 shipments, 4 more packed, all 10 synced; returns what to check."""
    fake = FakeWeChat()
    chosen = packable(demo_db, BEFORE + AFTER + 1)
    shipped, spare = chosen[:-1], chosen[-1]
    with transaction(demo_db):
        for order_no in shipped:
            save_ref(demo_db, order_no, "miniprogram", {"openid": "oPayer"}, now_utc())
    for order_no in shipped:
        fake.add_order(order_no)
    bench = Bench(demo_db, settings, open_printer(f"pdf:{tmp_path / 'labels'}"))
    bench.scale_link(ScaleLink.CONNECTED)
    tracking = {o: pack(bench, o) for o in shipped[:BEFORE]}
    backup = backup_file(data_dir / DB_FILE, tmp_path / "backup.db")
    tracking |= {o: pack(bench, o) for o in shipped[BEFORE:]}
    with wechat_server(fake) as url:
        write_sync_toml(
            data_dir,
            f'[[targets]]\nname = "mini"\nkind = "wechat-miniprogram"\nappid = "wxapp"\n'
            f'mchid = "1230000109"\nbase_url = "{url}"\ntimeout_seconds = 2\nsettle_seconds = 2\n',
        )
        set_secret("mini", "s3cret")
        fast = settings.with_values(sync__backoff_base_seconds=0.01, sync__backoff_cap_seconds=0.05)
        with opened_uploader(data_dir, fast) as uploader:
            uploader.recover()
            uploader.drain()
        assert [fake.uploads(o) for o in shipped] == [1] * len(shipped)
        demo_db.close()
        yield {
            "fake": fake,
            "url": url,
            "backup": backup,
            "tracking": tracking,
            "late": shipped[BEFORE:],
            "spare": spare,
            "settings": fast,
        }


def sync_again(data_dir: Path, settings: Settings) -> None:
    with opened_uploader(data_dir, settings) as uploader:
        uploader.recover()
        uploader.drain()


def bench_on(data_dir: Path, settings: Settings, tmp_path: Path) -> Bench:
    bench = Bench(connect(data_dir / DB_FILE), settings, open_printer(f"pdf:{tmp_path / 'l2'}"))
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def test_restore_of_a_file_with_a_damaged_index_brings_every_late_shipment_back(
    scenario: dict, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(data_dir / DB_FILE, "shipments_recorded", "orders_name_index")
    assert main(["--data-dir", str(data_dir), "db", "check"]) == 1

    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 0
    out = capsys.readouterr().out
    assert "Shipments in the replaced database that the backup does not hold: 4" in out
    for order_no in scenario["late"]:
        line = next(x for x in out.splitlines() if order_no in x)
        assert scenario["tracking"][order_no] in line and line.endswith("restored")

    bench = bench_on(data_dir, scenario["settings"], tmp_path)
    db = bench.db
    live = dict(
        db.execute("SELECT order_no, tracking_no FROM shipments WHERE voided_at IS NULL").fetchall()
    )
    assert live == scenario["tracking"]
    states = db.execute(
        "SELECT count(*) FROM tracking_pool WHERE tracking_no IN "
        f"({','.join('?' * len(live))}) AND state = 'free'",
        list(live.values()),
    ).fetchone()[0]
    assert states == 0
    for order_no in scenario["late"]:
        assert bench.scan(order_no).message.key == "order_shipped"
    new_number = pack(bench, scenario["spare"])
    assert new_number not in live.values()
    db.close()

    sync_again(data_dir, scenario["settings"])
    fake = scenario["fake"]
    assert [fake.uploads(o) for o in scenario["tracking"]] == [1] * (BEFORE + AFTER)
    assert [fake.orders[o]["reships"] for o in scenario["tracking"]] == [0] * (BEFORE + AFTER)


def test_restore_of_a_file_whose_shipments_and_upload_states_are_lost_holds_and_checks(
    scenario: dict, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(data_dir / DB_FILE, "shipments", "deliveries")

    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 1
    out = capsys.readouterr().out
    assert "Shipments in the replaced database that the backup does not hold: 4" in out
    assert "could not be read: shipments" in out
    assert "On hold, shipped after the backup; check upstream state first: 4 orders" in out

    bench = bench_on(data_dir, scenario["settings"], tmp_path)
    db = bench.db
    used = {scenario["tracking"][o] for o in scenario["late"]}
    free = db.execute(
        f"SELECT count(*) FROM tracking_pool WHERE state = 'free' AND tracking_no IN "
        f"({','.join('?' * len(used))})",
        sorted(used),
    ).fetchone()[0]
    assert free == 0
    for order_no in scenario["late"]:
        order = orders.find_order(db, order_no)
        assert order.hold_text is not None and order.hold_text.key == HOLD_KEY
        assert str(order.hold_reason).startswith(
            "shipped after the backup; check upstream state first"
        )
        refused = bench.scan(order_no).message
        assert refused.key == "order_on_hold"
    new_number = pack(bench, scenario["spare"])
    assert new_number not in scenario["tracking"].values()
    db.close()

    sync_again(data_dir, scenario["settings"])
    fake = scenario["fake"]
    assert [fake.uploads(o) for o in scenario["tracking"]] == [1] * (BEFORE + AFTER)
    assert [fake.orders[o]["reships"] for o in scenario["tracking"]] == [0] * (BEFORE + AFTER)
    db = connect(data_dir / DB_FILE)
    notes = [
        r[0]
        for r in db.execute(
            "SELECT d.note FROM deliveries d JOIN outbox o ON o.id = d.outbox_id "
            "WHERE d.target = 'mini' AND d.state = 'done'"
        )
    ]
    db.close()
    assert notes == ["WeChat already holds this tracking number"] * BEFORE


def test_restore_without_a_readable_replaced_file_still_checks_before_any_upload(
    scenario: dict, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / DB_FILE).write_bytes(b"\x00" * PAGE * 3)

    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 1
    out = capsys.readouterr().out
    assert "could not be read at all" in out

    sync_again(data_dir, scenario["settings"])
    fake = scenario["fake"]
    assert [fake.orders[o]["reships"] for o in scenario["tracking"]] == [0] * (BEFORE + AFTER)
    assert [fake.uploads(o) for o in scenario["tracking"]] == [1] * (BEFORE + AFTER)


def test_restore_audits_what_it_did(scenario: dict, data_dir: Path) -> None:
    damage(data_dir / DB_FILE, "shipments_recorded")
    done = restore(data_dir, scenario["backup"], actor="cli:tester")
    assert done.salvage is not None and done.salvage.complete
    assert done.salvage.restored["shipments"] == AFTER
    db = connect(data_dir / DB_FILE)
    actor, subject = db.execute(
        "SELECT actor, subject FROM audit WHERE action = 'db_restore'"
    ).fetchone()
    db.close()
    assert (actor, subject) == ("cli:tester", str(scenario["backup"]))


def test_the_reader_skips_a_damaged_page_and_reads_on_past_it(tmp_path: Path) -> None:
    from station.store.salvage import _Reader

    path = tmp_path / "rows.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?)", [(n, f"MARK-{n:05d}-" + "x" * 900) for n in range(1, 401)]
    )
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    page = data.index(b"MARK-00200-") // PAGE
    data[page * PAGE : (page + 1) * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))

    problems: list[str] = []
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    ids = [row["id"] for row in _Reader(conn, problems).rows("t", ["id", "body"])]
    conn.close()
    assert 200 not in ids
    assert ids[:190] == list(range(1, 191)) and ids[-190:] == list(range(211, 401))
    assert len(ids) >= 390 and problems and "t: rows after rowid" in problems[0]


def test_a_held_order_is_released_only_when_upstream_shows_it_not_shipped(
    scenario: dict,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STATION_PIN", DEMO_SUPERVISOR_PIN)
    damage(data_dir / DB_FILE, "shipments")
    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 1
    shipped, unsent = scenario["late"][0], scenario["late"][1]
    fake = scenario["fake"]
    fake.orders[unsent].update(order_state=1, shipping_list=[])  # as if never uploaded
    capsys.readouterr()

    release = ["--data-dir", str(data_dir), "orders", "release"]
    boss = ["--as", "主管 Supervisor"]
    assert main([*release, shipped, *boss]) == 1
    out = capsys.readouterr().out
    assert scenario["tracking"][shipped] in out and "stays on hold" in out
    with pytest.raises(SystemExit) as refused:
        main([*release, unsent])  # nobody said who checked it
    assert refused.value.code == 2
    assert main([*release, unsent, *boss]) == 0
    assert main([*release, scenario["spare"], *boss]) == 2

    db = connect(data_dir / DB_FILE)
    assert orders.find_order(db, shipped).status.value == "hold"
    assert orders.find_order(db, unsent).status.value == "open"
    actor, role, detail = db.execute(
        "SELECT actor, role, detail FROM audit WHERE action = 'release_restore_hold'"
    ).fetchone()
    db.close()
    assert (actor, role) == ("主管 Supervisor", "supervisor") and '"to_ship": true' in detail
    assert [o["uploads"] for o in fake.orders.values()] == [1] * (BEFORE + AFTER)


def test_without_an_upstream_to_ask_a_release_needs_unchecked(
    scenario: dict, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(data_dir / DB_FILE, "shipments")
    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 1
    (data_dir / "sync.toml").unlink()
    order_no = scenario["late"][0]
    release = ["--data-dir", str(data_dir), "orders", "release", order_no, "--technician"]
    assert main(release) == 1
    assert "no upstream could be asked" in capsys.readouterr().out
    assert main([*release, "--unchecked"]) == 0


def test_a_shipment_voided_after_the_backup_comes_back_voided_and_is_not_held(
    scenario: dict, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station.core.permissions import Action
    from station.store.search import void_shipment
    from station.store.users import authorize

    voided = scenario["late"][0]
    db = connect(data_dir / DB_FILE)
    shipment_id = db.execute("SELECT id FROM shipments WHERE order_no = ?", [voided]).fetchone()[0]
    void_shipment(db, shipment_id, authorize(db, "1234", Action.VOID), "label torn", "bench-1")
    db.close()
    damage(data_dir / DB_FILE, "shipments_recorded")

    assert main(["--data-dir", str(data_dir), "db", "restore", str(scenario["backup"])]) == 0
    assert "On hold, shipped after the backup" not in capsys.readouterr().out
    db = connect(data_dir / DB_FILE)
    order = orders.find_order(db, voided)
    voided_at, tracking = db.execute(
        "SELECT voided_at, tracking_no FROM shipments WHERE order_no = ?", [voided]
    ).fetchone()
    pool_state = db.execute(
        "SELECT state FROM tracking_pool WHERE tracking_no = ?", [tracking]
    ).fetchone()[0]
    db.close()
    assert voided_at is not None and pool_state != "free"
    assert order.hold_text is not None and order.hold_text.key == "hold_voided"


def test_restore_brings_back_the_e_waybills_taken_and_cancels_queued_after_the_backup(
    demo_db: sqlite_utils.Database, data_dir: Path, settings: Settings, tmp_path: Path
) -> None:
    """A number taken after the backup stays the order's (nothing is asked for it again)
    and a cancel queued after the backup is still carried out, once."""
    from waybill_fakes import SECRETS, all_servers, waybills_toml

    from station.store import ewaybills
    from station.waybills.config import load_providers
    from station.waybills.model import State
    from station.waybills.providers import build
    from station.waybills.service import Prefetcher

    first, second = demo_db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier = 'ZTO' "
        "ORDER BY order_no LIMIT 2"
    ).fetchall()
    with all_servers() as (_wechat, _sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")

        def prefetcher(db: sqlite_utils.Database) -> Prefetcher:
            secret = lambda name: SECRETS[name.split(".")[0]]  # noqa: E731
            return Prefetcher(
                db, settings, build(load_providers(data_dir), secret).providers, data_dir
            )

        before = prefetcher(demo_db)
        assert before.prefetch([first[0]]).taken == [first[0]]
        backup = backup_file(data_dir / DB_FILE, tmp_path / "backup.db")
        assert before.prefetch([second[0]]).taken == [second[0]]
        assert before.cancel_number(kdn.issued[f"{first[0]}-1"])
        with transaction(demo_db):  # its label printed through WeChat's print component
            ewaybills.queue_print_notice(demo_db, kdn.issued[f"{second[0]}-1"], 1)
        before.close()
        demo_db.close()
        issued = kdn.numbers_issued

        restore(data_dir, backup)
        db = connect(data_dir / DB_FILE)
        after = prefetcher(db)
        try:
            assert after.prefetch([second[0]]).taken == []
            assert after.run_cancels() == {kdn.issued[f"{first[0]}-1"]: "cancelled"}
        finally:
            after.close()
        kept = ewaybills.live(db, second[0])
        notices = ewaybills.print_notices_due(db, now_utc())
        db.close()
    assert kdn.numbers_issued == issued
    assert kept is not None and kept.waybill_no == kdn.issued[f"{second[0]}-1"]
    assert kept.state is State.TAKEN
    assert kdn.cancels == {kdn.issued[f"{first[0]}-1"]: 1}
    assert [(n.waybill.waybill_no, n.print_no) for n in notices] == [(kept.waybill_no, 1)]

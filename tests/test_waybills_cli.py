"""`station waybill ...` from a terminal, and kill -9 in the middle of a prefetch and
of the cancels: nothing lost, no number taken twice, no cancel carried out twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from test_waybills import add_order
from waybill_fakes import SECRETS, all_servers, waybills_toml

from station.cli import main
from station.core.model import OrderStatus
from station.store import ewaybills as store
from station.store import orders as order_store
from station.store.db import transaction
from station.waybills.model import State

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def secrets(memory_keyring):
    for name, value in SECRETS.items():
        memory_keyring.set_password("PackingStation", f"waybill/{name}", value)
    return memory_keyring


def run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "waybill", *argv])


def test_prefetch_status_accounts_and_cancel(
    db: sqlite_utils.Database, data_dir: Path, secrets, capsys
) -> None:
    add_order(db, "3704612354559743232", "ZTO", "wechat-shop")
    add_order(db, "SF-1", "SF")
    with all_servers() as (wechat, sf, _kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        wechat.balance["6635671203"] = 150  # below ewaybill.low_balance (200)
        assert run(data_dir, "prefetch") == 0
        out = capsys.readouterr().out
        assert "taken: 2" in out and "LOW: shop ZTO 6635671203: 149 left" in out
        assert run(data_dir, "accounts", "--json") == 0
        accounts = json.loads(capsys.readouterr().out)
        zto = next(
            a for a in accounts["accounts"] if a["carrier"] == "ZTO" and a["provider"] == "shop"
        )
        assert zto["available"] == 149 and zto["low"] is True
        assert {p["name"] for p in accounts["providers"]} == {"shop", "sf", "kdn"}
        assert run(data_dir, "status", "--json") == 0
        status = json.loads(capsys.readouterr().out)
        assert status["providers"] == {"sf": {"taken": 1}, "shop": {"taken": 1}}
        assert status["low_balance"][0]["available"] == 149
        number = store.live(db, "SF-1").waybill_no
        assert run(data_dir, "cancel", number) == 0
        assert f"{number} cancelled" in capsys.readouterr().out
        assert sf.cancels == {number: 1}
        assert run(data_dir, "cancel", "SF0000000000") == 4
    assert store.by_number(db, number).state is State.CANCELLED


def test_bad_input_is_refused_with_exit_code_2(
    db: sqlite_utils.Database, data_dir: Path, secrets, capsys
) -> None:
    assert run(data_dir, "prefetch") == 2
    assert "waybills.toml" in capsys.readouterr().err
    (data_dir / "waybills.toml").write_text('[[providers]]\nname = "x"\nkind = "ups"\n')
    with pytest.raises(SystemExit) as exit_:
        run(data_dir, "prefetch")
    assert exit_.value.code == 2
    assert "kind must be one of" in capsys.readouterr().err
    assert run(data_dir, "prefetch", "--limit", "0") == 2
    (data_dir / "waybills.toml").write_text(
        '[[providers]]\nname = "sf"\nkind = "sf"\npartner_id = "Q"\nbase_url = "ftp://x"\n'
        "[providers.accounts.SF]\n"
    )
    with pytest.raises(SystemExit):
        run(data_dir, "accounts")
    assert "base_url" in capsys.readouterr().err


def test_a_printed_number_cannot_be_cancelled_here(
    db: sqlite_utils.Database, data_dir: Path, secrets, capsys
) -> None:
    add_order(db, "SF-1", "SF")
    with all_servers() as (_wechat, sf, _kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        run(data_dir, "prefetch")
        row = store.live(db, "SF-1")
        with transaction(db):
            store.set_state(db, row.id, State.USED)
        assert run(data_dir, "cancel", row.waybill_no) == 2
    assert "void the shipment" in capsys.readouterr().err
    assert sf.cancels == {}


# -- kill -9 -------------------------------------------------------------------------


def start(data_dir: Path) -> subprocess.Popen:
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "PYTHON_KEYRING_BACKEND": "waybill_fakes.EnvKeyring",
        "STATION_TEST_SECRETS": json.dumps(SECRETS),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), "waybill", "prefetch"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no progress"
        pause.wait(0.002)


def kill_at(data_dir: Path, progress, thresholds: list[int], rng: random.Random) -> None:
    for threshold in thresholds:
        process = start(data_dir)
        wait_for(lambda t=threshold: progress() >= t, process)
        threading.Event().wait(rng.uniform(0, 0.01))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()


def finish(data_dir: Path) -> int:
    process = start(data_dir)
    try:
        return process.wait(120)
    finally:
        process.stderr.close()


def shop_sf_kdn_orders(db: sqlite_utils.Database, each: int) -> dict[str, list[str]]:
    orders = {"shop": [], "sf": [], "kdn": []}
    for n in range(each):
        shop_no = str(3704612354559743232 + n)
        add_order(db, shop_no, "ZTO", "wechat-shop")
        add_order(db, f"SF-{n:03d}", "SF")
        add_order(db, f"YD-{n:03d}", "YD")
        orders["shop"].append(shop_no)
        orders["sf"].append(f"SF-{n:03d}")
        orders["kdn"].append(f"YD-{n:03d}")
    return orders


@pytest.mark.slow
def test_sigkill_during_prefetch_takes_no_number_twice(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time_ns())))
    orders = shop_sf_kdn_orders(db, 15)
    with all_servers() as (wechat, sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        fakes = {"shop": wechat, "sf": sf, "kdn": kdn}
        for fake in fakes.values():
            fake.delay_seconds = 0.01

        def issued() -> int:
            return sum(f.numbers_issued for f in fakes.values())

        kill_at(data_dir, issued, sorted(rng.sample(range(1, 40), 3)), rng)
        assert finish(data_dir) == 0
    for name, fake in fakes.items():
        assert fake.numbers_issued == len(orders[name]), name
        for order_no in orders[name]:
            live = store.live(db, order_no)
            assert live is not None and live.state is State.TAKEN
            assert live.waybill_no == fake.issued[live.key]
        assert sorted(fake.issued.values()) == sorted(
            r.waybill_no for r in store.rows(db, State.TAKEN) if r.provider == name
        )


@pytest.mark.slow
def test_sigkill_during_cancels_cancels_each_number_once(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time_ns())))
    orders = shop_sf_kdn_orders(db, 10)
    with all_servers() as (wechat, sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        assert finish(data_dir) == 0
        with transaction(db):
            for order_no in [n for numbers in orders.values() for n in numbers]:
                order_store.set_status(db, order_no, OrderStatus.REFUNDED, "refunded")
        fakes = (wechat, sf, kdn)
        for fake in fakes:
            fake.delay_seconds = 0.01

        def cancelled() -> int:
            return sum(sum(f.cancels.values()) for f in fakes)

        kill_at(data_dir, cancelled, sorted(rng.sample(range(1, 25), 3)), rng)
        finish(data_dir)
    for fake in fakes:
        assert len(fake.cancels) == len(fake.issued) == 10
        assert set(fake.cancels.values()) == {1}
    assert {r.state for r in store.rows(db)} == {State.CANCELLED}


def test_the_background_pass_takes_numbers_ahead(
    db: sqlite_utils.Database, data_dir: Path, secrets
) -> None:
    from station.settings import Settings
    from station.waybills.worker import EwaybillThread, run_once

    assert run_once(data_dir, Settings.load(data_dir)) is None  # nothing configured
    add_order(db, "SF-1", "SF")
    add_order(db, "YD-1", "YD")
    with all_servers() as (_wechat, sf, kdn, urls):
        (data_dir / "waybills.toml").write_text(waybills_toml(urls), encoding="utf-8")
        thread = EwaybillThread(data_dir, Settings.load(data_dir), interval=60.0)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while thread.passes == 0 and time.monotonic() < deadline:
                threading.Event().wait(0.01)
        finally:
            thread.stop()
    assert thread.passes >= 1
    assert sf.numbers_issued == kdn.numbers_issued == 1
    assert store.live(db, "SF-1").state is State.TAKEN

"""`station hub ...` run as a supervisor runs it (subprocesses), on a real PostgreSQL;
and a bench's `station sync run` killed mid-push to the hub."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from station.demo import seed
from station.hub import claims
from station.hub.db import connect
from station.hub.schema import STEPS
from station.settings import Settings
from station.store import orders
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite

ROOT = Path(__file__).resolve().parent.parent
SHOP = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,订单状态\n"
    "C1,CUP-350,保温杯,1,39.90,张三,13812345678,广东省,深圳市,南山区,科技园1栋101,待发货\n"
    "C1,TEA-LJ250,龙井,2,59.00,,,,,,,\n"
    "C2,CUP-350,保温杯,x,39.90,李四,13812345679,浙江省,杭州市,西湖区,文三路9号,待发货\n"
    "C3,CUP-350,保温杯,1,39.90,王五,13812345670,浙江省,杭州市,西湖区,文三路10号,待发货\n"
)


def station(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **env},
    )


def bench_folder(path: Path, hub_url: str, name: str = "bench-1") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    Settings.load(path).save(hub__url=hub_url, station__name=name)
    return path


def test_init_creates_the_schema_and_refuses_a_newer_one(tmp_path: Path, pg_url: str) -> None:
    out = station(tmp_path, "hub", "init", pg_url)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"hub schema version {len(STEPS)} (was 0)"
    assert station(tmp_path, "hub", "init", pg_url).stdout.strip() == (
        f"hub schema version {len(STEPS)}"
    )
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE hub_version SET version = 99")
    refused = station(tmp_path, "hub", "init", pg_url)
    assert refused.returncode == 2 and "newer than this station" in refused.stderr
    unreachable = station(tmp_path, "hub", "init", "postgresql://x:y@127.0.0.1:1/station")
    assert unreachable.returncode == 2 and "cannot be reached" in unreachable.stderr


def test_orders_imported_at_the_hub_or_at_a_bench_reach_every_bench(
    tmp_path: Path, hub_url: str
) -> None:
    file = tmp_path / "orders.csv"
    file.write_text(SHOP, encoding="utf-8-sig")
    out = station(tmp_path / "sup", "hub", "import", str(file), "--url", hub_url)
    assert out.returncode == 1, out.stderr  # one bad row; the good orders are in
    assert "new or changed at the hub: 2" in out.stdout
    assert "line 4, column 商品数量" in out.stdout
    bench = bench_folder(tmp_path / "b1", hub_url)
    (tmp_path / "more.csv").write_text(SHOP.replace("C3,", "C4,"), encoding="utf-8-sig")
    local = station(bench, "orders", "import", str(tmp_path / "more.csv"))
    assert "hub: 1 orders new or changed" in local.stdout  # C4; C1 is unchanged
    other = bench_folder(tmp_path / "b2", hub_url, "bench-2")
    synced = station(other, "sync", "run", "--once")
    assert synced.returncode == 0, synced.stderr
    status = station(other, "sync", "status")
    assert "  hub (hub): online, 0 queued" in status.stdout, status.stdout + status.stderr
    db = connect_sqlite(other / DB_FILE)
    try:
        assert {o for o in ("C1", "C3", "C4") if orders.find_order(db, o)} == {"C1", "C3", "C4"}
        assert [ln.quantity for ln in orders.find_order(db, "C1").lines] == [1, 2]
    finally:
        db.close()


def test_lease_takeover_and_status(tmp_path: Path, hub_url: str) -> None:
    file = tmp_path / "orders.csv"
    file.write_text(SHOP, encoding="utf-8-sig")
    station(tmp_path / "sup", "hub", "import", str(file), "--url", hub_url)
    numbers = tmp_path / "zto.txt"
    numbers.write_text("".join(f"7356123450{n:04d}\n" for n in range(1, 11)))
    sup = tmp_path / "sup"
    added = station(sup, "hub", "numbers", "--carrier", "ZTO", str(numbers), "--url", hub_url)
    assert added.returncode == 2 and "--as NAME" in added.stderr + added.stdout
    added = station(
        sup, "hub", "numbers", "--carrier", "ZTO", str(numbers), "--url", hub_url, "--technician"
    )
    assert added.returncode == 0, added.stderr + added.stdout
    assert "ZTO: added 10, already known 0, free now 10" in added.stdout
    lease = station(
        sup, "hub", "lease", "bench-1", "--orders", "1", "--numbers", "ZTO=4",
        "--url", hub_url, "--technician",
    )  # fmt: skip
    assert lease.returncode == 0, lease.stderr
    assert "bench-1: leased 1 orders" in lease.stdout and "ZTO: 4 numbers" in lease.stdout
    take = ["hub", "takeover", "C1", "--bench", "bench-2", "--url", hub_url, "--technician"]
    fresh = station(sup, *take)
    assert fresh.returncode == 3 and "not stale" in fresh.stderr
    with connect(hub_url) as conn:
        conn.execute("UPDATE claims SET claimed_at = now() - interval '1 day'")
    moved = station(sup, *take, "--reason", "bench 1 broke")
    assert moved.returncode == 0, moved.stderr
    assert "taken over by bench-2 from bench-1" in moved.stdout
    assert station(sup, "hub", "takeover", "C9", "--bench", "b", "--url", hub_url,
                   "--technician").returncode == 4  # fmt: skip
    with connect(hub_url) as conn:
        assert claims.holder(conn, "C1").bench == "bench-2"
    status = station(sup, "hub", "status", "--url", hub_url)
    assert status.returncode == 0, status.stderr
    assert "orders: 2\nclaims: 1\n" in status.stdout and "ZTO: 6 numbers free" in status.stdout


def test_serve_runs_a_hub_benches_can_use_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    from station.hub.server import free_port

    folder = Path(tempfile.mkdtemp(prefix="station-test-pg-"))
    folder.chmod(0o755)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "--data-dir", str(tmp_path), "hub", "serve",
         "--data-dir", str(folder / "hub"), "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Ctrl+C"):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            lines.append(line.strip())
        url = next(line for line in lines if line.startswith("url = ")).split('"')[1]
        assert url.startswith("postgresql://station:") and f"@127.0.0.1:{port}/station" in url
        with connect(url) as conn:
            assert conn.execute("SELECT version FROM hub_version").fetchone()[0] == len(STEPS)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url.replace("station:", "station:wrong", 1), connect_timeout=5).close()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0 and "hub stopped" in out
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2).close()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()  # waits, and closes the pipes
        shutil.rmtree(folder, ignore_errors=True)


def test_a_bench_uploader_killed_mid_push_loses_and_duplicates_nothing(
    tmp_path: Path, hub_url: str
) -> None:
    from test_hub_bench import open_orders, pack

    from printers import open_printer
    from station.bench import Bench
    from station.core.reading import ScaleLink

    folder = bench_folder(tmp_path / "b1", hub_url)
    db = connect_sqlite(folder / DB_FILE)
    seed(db, orders=60)
    bench = Bench(db, Settings.load(folder), open_printer(f"pdf:{folder / 'labels'}"))
    bench.scale_link(ScaleLink.CONNECTED)
    packed = [n for n in open_orders(db)[:30] if pack(bench, n) == "printed"]
    db.close()
    hub = connect(hub_url)
    try:
        for delay in (0.0, 0.3, 0.6, 1.0):  # each uploader killed at some point of its work
            proc = subprocess.Popen(
                [sys.executable, "-m", "station", "--data-dir", str(folder), "sync", "run"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
            )  # fmt: skip
            try:
                started = time.monotonic()
                while time.monotonic() - started < 30 and proc.poll() is None:
                    pushed = hub.execute("SELECT count(*) FROM shipments").fetchone()[0]
                    if pushed or time.monotonic() - started > 3 + delay:
                        break
                    time.sleep(0.005)
                time.sleep(delay / 10)
            finally:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        done = station(folder, "sync", "run", "--once")
        assert done.returncode == 0, done.stderr
        pushed = hub.execute(
            "SELECT bench_shipment_id, count(*) FROM shipments GROUP BY 1 ORDER BY 1"
        ).fetchall()
    finally:
        hub.close()
    assert [count for _, count in pushed] == [1] * len(packed)
    assert [shipment_id for shipment_id, _ in pushed] == list(range(1, len(packed) + 1))

"""`station hub products|carriers|rates|routing|users|publish` run as a supervisor
runs them (subprocesses), and benches that take what they set with `station sync
run --once`, on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from test_hub_cli import bench_folder, station

from station.core.carriers import CARRIERS as CARRIERS_BUILT_IN
from station.core.routing import DEFAULT_RULES_TOML, RULES_FILE
from station.demo import DEMO_SUPERVISOR_PIN, seed
from station.hub.db import connect
from station.store import catalogue, orders, users
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite

PRODUCTS = (
    "sku,name,barcodes,weight_g,category,declared_value\n"
    "CUP-350,保温杯 350ml,6901234567892,420,杯,39.90\n"
    "TEA-LJ250,龙井 250g,6909876543210|TEA250,260,茶,59.00\n"
    "BAD-1,,123,abc,,\n"
)
CARRIERS = (
    "code,name_zh,name_en,services,pattern,tracking_url,active\n"
    "KYE,跨越速运,KY Express,standard,KY\\d{10},,yes\n"
)
SF_OFF = "code,active\nSF,no\n"  # the columns left out keep the built-in carrier's
RATES = (
    "carrier,service,zone,provinces,first_weight_g,first_price,additional_per_kg\n"
    "ZTO,standard,near,广东|浙江,1000,5.00,2.00\n"
    "ZTO,standard,far,*,1000,9.00,5.00\n"
)
RULES = DEFAULT_RULES_TOML + '\n[[rule]]\nname = "tea by SF"\ncategories = ["茶"]\ncarrier = "SF"\n'


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def hub_actions(hub_url: str) -> list[str]:
    with connect(hub_url) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT action FROM audit WHERE actor LIKE 'technician:%' ORDER BY id"
            )
        ]


def test_a_supervisor_sets_the_catalogue_at_the_hub_and_a_bench_takes_it(
    tmp_path: Path, hub_url: str
) -> None:
    sup = tmp_path / "office"
    hub = ["--url", hub_url, "--technician"]
    products = write(tmp_path / "products.csv", PRODUCTS)
    refused = station(sup, "hub", "products", "import", str(products), "--url", hub_url)
    assert refused.returncode == 2 and "--as NAME" in refused.stderr
    out = station(sup, "hub", "products", "import", str(products), *hub)
    assert out.returncode == 1, out.stderr  # one bad row; the good products are in
    assert "products read: 2\nnew or changed at the hub: 2\nrejected rows: 1" in out.stdout
    out = station(sup, "hub", "carriers", "import", str(write(tmp_path / "c.csv", CARRIERS)), *hub)
    assert out.returncode == 0, out.stderr + out.stdout
    assert "changed at the hub: 1 (KYE)" in out.stdout
    out = station(sup, "hub", "carriers", "import", str(write(tmp_path / "sf.csv", SF_OFF)), *hub)
    assert out.returncode == 0 and "changed at the hub: 1 (SF)" in out.stdout
    out = station(sup, "hub", "rates", "import", str(write(tmp_path / "r.csv", RATES)), *hub)
    assert out.returncode == 0 and "tables changed at the hub: 1 (ZTO standard)" in out.stdout
    out = station(sup, "hub", "routing", "import", str(write(tmp_path / "routing.toml", RULES)),
                  *hub)  # fmt: skip
    assert out.returncode == 0 and "routing rules set at the hub" in out.stdout
    assert hub_actions(hub_url) == [
        "catalogue_products",
        "catalogue_carriers",
        "catalogue_carriers",
        "catalogue_rates",
        "catalogue_routing",
    ]

    bench = bench_folder(tmp_path / "b1", hub_url, "bench-1")
    synced = station(bench, "sync", "run", "--once")
    assert synced.returncode == 0, synced.stderr
    assert (bench / RULES_FILE).read_text(encoding="utf-8") == RULES
    db = connect_sqlite(bench / DB_FILE)
    try:
        known = catalogue.entries(db)
        assert known["KYE"].carrier.name_zh == "跨越速运" and known["KYE"].active
        assert known["SF"].carrier == CARRIERS_BUILT_IN["SF"] and not known["SF"].active
        assert [r.zone for r in catalogue.rates(db) if r.service == "standard"
                and r.carrier == "ZTO"] == ["far", "near"]  # fmt: skip
        assert orders.find_product(db, "TEA250").sku == "TEA-LJ250"
    finally:
        db.close()
    local = station(bench, "products", "import", str(products))
    assert local.returncode == 2 and "station hub products import FILE" in local.stderr


def test_users_added_changed_and_removed_at_the_hub_sign_in_at_a_bench_or_not(
    tmp_path: Path, hub_url: str
) -> None:
    sup = tmp_path / "office"
    hub = ["--url", hub_url, "--technician"]
    out = station(sup, "hub", "users", "add", "李四", "--role", "packer", "--pin", "2468", *hub)
    assert out.returncode == 0, out.stderr
    again = station(sup, "hub", "users", "add", "李四", "--role", "packer", "--pin", "1357", *hub)
    assert again.returncode == 1 and "already exists at the hub" in again.stderr
    weak = station(sup, "hub", "users", "add", "老板", "--role", "admin", "--pin", "12", *hub)
    assert weak.returncode == 1 and "An admin's PIN is a passphrase" in weak.stderr

    bench = bench_folder(tmp_path / "b1", hub_url, "bench-1")

    def signs_in(pin: str) -> bool:
        assert station(bench, "sync", "run", "--once").returncode == 0
        db = connect_sqlite(bench / DB_FILE)
        try:
            return users.sign_in(db, "李四", pin) is not None
        finally:
            db.close()

    assert signs_in("2468")
    local = station(bench, "users", "add", "--name", "王五", "--role", "packer",
                    "--pin", "1111", "--technician")  # fmt: skip
    assert local.returncode == 2 and "Nothing was changed" in local.stderr
    assert "station hub users add|set-pin|remove NAME" in local.stderr
    pin = station(sup, "hub", "users", "set-pin", "李四", "--pin", "13", *hub)
    assert pin.returncode == 1 and "A PIN is 4 to 12 digits" in pin.stderr
    pin = station(sup, "hub", "users", "set-pin", "李四", "--pin", "9753", *hub)
    assert pin.returncode == 0, pin.stderr
    assert signs_in("9753")
    removed = station(sup, "hub", "users", "remove", "李四", *hub)
    assert removed.returncode == 0, removed.stderr
    listed = station(sup, "hub", "users", "list", "--url", hub_url)
    assert "李四\tpacker\tno" in listed.stdout
    assert not signs_in("9753")
    assert hub_actions(hub_url) == ["catalogue_users"] * 3


def test_bad_files_are_refused_with_exit_2_and_nothing_reaches_the_hub(
    tmp_path: Path, hub_url: str
) -> None:
    sup = tmp_path / "office"
    hub = ["--url", hub_url, "--technician"]
    no_sku = write(tmp_path / "p.csv", "name,weight_g\n保温杯,420\n")
    out = station(sup, "hub", "products", "import", str(no_sku), *hub)
    assert out.returncode == 2 and "sku" in out.stderr, out.stderr
    bad_rate = write(tmp_path / "r.csv", RATES + "ZTO,standard,x,西藏,heavy,9.00,5.00\n")
    out = station(sup, "hub", "rates", "import", str(bad_rate), *hub)
    assert out.returncode == 2 and "1 rows rejected, nothing loaded" in out.stderr
    assert "first_weight_g" in out.stderr
    rules = write(tmp_path / "routing.toml", "[[rule]\nname = 'broken'\n")
    out = station(sup, "hub", "routing", "import", str(rules), *hub)
    assert out.returncode == 2 and "Nothing was changed at the hub" in out.stderr
    missing = station(sup, "hub", "carriers", "import", str(tmp_path / "none.csv"), *hub)
    assert missing.returncode == 2 and "none.csv" in missing.stderr
    bad_name = station(sup, "hub", "users", "add", " ", "--role", "packer", "--pin", "1234", *hub)
    assert bad_name.returncode == 2 and "cannot be empty" in bad_name.stderr
    with connect(hub_url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM rate_tables), "
            "(SELECT count(*) FROM routing_rules), (SELECT count(*) FROM users)"
        ).fetchone()
    assert counts == (0, 0, 0, 0)


def test_a_configured_bench_publishes_its_own_to_every_other(tmp_path: Path, hub_url: str) -> None:
    first = bench_folder(tmp_path / "b1", hub_url, "bench-1")
    db = connect_sqlite(first / DB_FILE)
    try:
        seed(db, orders=3)
        skus = [row[0] for row in db.execute("SELECT sku FROM products ORDER BY sku")]
    finally:
        db.close()
    supervisor = ["--as", "主管 Supervisor"]
    out = station(first, "hub", "publish", *supervisor, STATION_PIN=DEMO_SUPERVISOR_PIN)
    assert out.returncode == 2 and "needs an admin" in out.stderr  # users need an admin
    out = station(first, "hub", "publish", "--technician")
    assert out.returncode == 0, out.stderr
    assert f"products: {len(skus)} new or changed at the hub" in out.stdout
    assert "users: 2 new or changed at the hub" in out.stdout
    again = station(first, "hub", "publish", "--technician")
    assert "products: 0 new or changed" in again.stdout and "users: 0 new" in again.stdout

    other = bench_folder(tmp_path / "b2", hub_url, "bench-2")
    assert station(other, "sync", "run", "--once").returncode == 0
    db = connect_sqlite(other / DB_FILE)
    try:
        assert [row[0] for row in db.execute("SELECT sku FROM products ORDER BY sku")] == skus
        assert users.sign_in(db, "主管 Supervisor", DEMO_SUPERVISOR_PIN) is not None
    finally:
        db.close()

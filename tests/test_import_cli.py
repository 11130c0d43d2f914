"""The import, pool and route commands run as a technician runs them: subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from station.store import orders
from station.store.db import DB_FILE, connect

ROOT = Path(__file__).resolve().parent.parent
SHOP = (
    "订单号,商品编码,商品名称,商品数量,商品单价,收货人,收货人手机号,省,市,区,详细地址,订单状态\n"
    "C1,CUP-350,保温杯,1,39.90,张三,13812345678,广东省,深圳市,南山区,科技园1栋101,待发货\n"
    "C1,TEA-LJ250,龙井,2,59.00,,,,,,,\n"
    "C2,CUP-350,保温杯,x,39.90,李四,13812345679,浙江省,杭州市,西湖区,文三路9号,待发货\n"
)


def station(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_orders_import_gbk_summary_and_exit_code(tmp_path: Path) -> None:
    file = tmp_path / "orders.csv"
    file.write_bytes(SHOP.encode("gbk"))
    data = tmp_path / "data"
    out = station(data, "orders", "import", str(file))
    assert out.returncode == 1, out.stderr
    assert "gb18030, format wechat-shop" in out.stdout
    assert "imported: 1\n" in out.stdout and "rejected rows: 1\n" in out.stdout
    assert "line 4, column 商品数量: 'x' is not a quantity" in out.stdout
    db = connect(data / DB_FILE)
    assert [ln.quantity for ln in orders.find_order(db, "C1").lines] == [1, 2]
    assert orders.find_order(db, "C2") is None
    db.close()
    again = station(data, "orders", "import", str(file))
    assert "imported: 0\nupdated: 1\n" in again.stdout


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    file = tmp_path / "orders.csv"
    file.write_text(SHOP, encoding="utf-8-sig")
    data = tmp_path / "data"
    out = station(data, "orders", "import", "--dry-run", str(file))
    assert "imported: 1" in out.stdout and "dry run: nothing was changed" in out.stdout
    db = connect(data / DB_FILE)
    assert db.execute("SELECT count(*) FROM orders").fetchone()[0] == 0
    db.close()


def test_unreadable_file_and_generic_without_mapping_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = station(data, "orders", "import", str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "cannot read" in out.stdout
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    out = station(data, "orders", "import", "--format", "wechat-shop", str(odd))
    assert out.returncode == 2 and "not a WeChat Shop order export" in out.stdout
    out = station(data, "orders", "import", str(odd))
    assert out.returncode == 2 and "--mapping" in out.stdout


def test_generic_file_with_a_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "orders"\n[columns]\norder_no = "单号"\nsku = "货号"\nquantity = "件数"\n'
        'recipient_name = "姓名"\naddress = "地址"\n',
        encoding="utf-8",
    )
    file = tmp_path / "g.csv"
    file.write_text("单号,货号,件数,姓名,地址\nG1,CUP-350,2,张三,浙江省杭州市西湖区文三路90号\n")
    out = station(tmp_path / "data", "orders", "import", "--mapping", str(mapping), str(file))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "imported: 1" in out.stdout


def test_products_import_then_route_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    products = tmp_path / "p.csv"
    products.write_text(
        "sku,name,barcodes,weight_g,category,declared_value\n"
        "CUP-350,保温杯,6900000000014 4006381333931,320,fragile,39.9\n"
        "STEAK,牛排,6900000000021,1100,fresh,120\n"
        ",缺货号,,,,\n",
        encoding="utf-8",
    )
    out = station(data, "products", "import", str(products))
    assert (
        out.returncode == 1 and "imported: 2" in out.stdout and "line 4, column sku" in out.stdout
    )
    file = tmp_path / "o.csv"
    file.write_text(
        "订单号,商品编码,商品数量,收货人,省,市,区,详细地址\n"
        "F1,STEAK,1,张三,广东省,深圳市,南山区,科技园1栋101\n",
        encoding="utf-8",
    )
    assert station(data, "orders", "import", str(file)).returncode == 0
    out = station(data, "route", "F1", "--json")
    assert out.returncode == 0, out.stderr
    decision = json.loads(out.stdout)
    assert decision["carrier"] == "JD" and decision["service"] == "cold_chain"
    assert decision["cost"] == 23.0 + 7.0
    assert decision["rule"] == "rule 1 'fresh goods go cold chain'"
    assert "category fresh" in decision["explanation"]
    text = station(data, "route", "F1")
    assert "carrier: JD\nservice: cold_chain\ncost: 30.00 yuan\n" in text.stdout
    assert station(data, "route", "NOPE").returncode == 2


def test_route_imports_rates_and_reports_a_broken_rules_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rates = tmp_path / "rates.csv"
    rates.write_text(
        "carrier,service,zone,provinces,first_weight_g,first_price,additional_per_kg\n"
        "YD,standard,all,*,1000,3,1\n",
        encoding="utf-8",
    )
    out = station(data, "route", "--technician", "--import-rates", str(rates))
    assert out.returncode == 0 and "1 rates loaded" in out.stdout
    file = tmp_path / "o.csv"
    file.write_text(
        "订单号,商品编码,商品数量,收货人,详细地址\nY1,CUP,1,张三,浙江省杭州市西湖区1号\n"
    )
    station(data, "orders", "import", str(file))
    assert json.loads(station(data, "route", "Y1", "--json").stdout)["carrier"] == "YD"
    (data / "routing.toml").write_text("[[rule]]\nservice = 'teleport'\n", encoding="utf-8")
    broken = station(data, "route", "Y1")
    assert broken.returncode == 2 and "routing.toml" in broken.stdout


def test_pool_import_counts_rejects_and_warns_low(tmp_path: Path) -> None:
    file = tmp_path / "n.txt"
    file.write_text("SF1023574470215\nSF1023574470216\nnonsense\n", encoding="utf-8")
    data = tmp_path / "data"
    out = station(data, "pool", "import", "--technician", "--carrier", "SF", str(file))
    assert out.returncode == 1
    assert "SF: added 2, already known 0" in out.stdout
    assert "line 3: 'NONSENSE' is not a SF waybill number" in out.stdout
    assert "WARNING: only 2 SF numbers left" in out.stdout
    assert (
        station(data, "pool", "import", "--technician", "--carrier", "XX", str(file)).returncode
        == 2
    )
    again = station(data, "pool", "import", "--technician", "--carrier", "sf", str(file))
    assert "added 0, already known 2" in again.stdout

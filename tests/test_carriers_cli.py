"""`station carriers list|set|import|export` and `station carriers rates export|import`,
run through the `station` entry on a real data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from station.cli import main
from station.core.carriers import CARRIERS
from station.core.permissions import AuditEvent
from station.importers.table import UTF8_BOM
from station.store import audit, catalogue
from station.store.db import DB_FILE, connect

COLUMNS = "code,name_zh,name_en,services,pattern,tracking_url,active"


def station(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def carriers_cli(data_dir: Path, *args: str) -> int:
    return station(data_dir, "carriers", *args)


def snapshot(data_dir: Path) -> tuple[dict, list]:
    db = connect(data_dir / DB_FILE)
    try:
        return catalogue.entries(db), catalogue.rates(db)
    finally:
        db.close()


def audited(data_dir: Path, action: str) -> list[audit.AuditEntry]:
    db = connect(data_dir / DB_FILE)
    try:
        return list(reversed(audit.entries(db, action)))
    finally:
        db.close()


def test_list_shows_the_ten_built_ins_as_a_table_and_as_json(data_dir: Path, capsys) -> None:
    assert carriers_cli(data_dir, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == COLUMNS.split(",")
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(CARRIERS)
    zto = next(line for line in lines if line.startswith("ZTO "))
    assert "中通快递" in zto and "ZTO Express" in zto and r"\d{12,15}" in zto

    assert carriers_cli(data_dir, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert {c["code"] for c in listed} == set(CARRIERS)
    assert all(list(c) == COLUMNS.split(",") for c in listed)
    sf = next(c for c in listed if c["code"] == "SF")
    assert sf == {
        "code": "SF",
        "name_zh": "顺丰速运",
        "name_en": "SF Express",
        "services": ["standard", "express", "cold_chain", "insured"],
        "pattern": r"SF\d{12,13}",
        "tracking_url": "",
        "active": True,
    }


def test_disabled_carriers_are_listed_only_with_all(data_dir: Path, capsys) -> None:
    assert carriers_cli(data_dir, "set", "--technician", "YD", "--disable") == 0
    capsys.readouterr()
    carriers_cli(data_dir, "list", "--json")
    assert "YD" not in {c["code"] for c in json.loads(capsys.readouterr().out)}
    carriers_cli(data_dir, "list", "--json", "--all")
    listed = {c["code"]: c for c in json.loads(capsys.readouterr().out)}
    assert listed["YD"]["active"] is False and listed["ZTO"]["active"] is True
    carriers_cli(data_dir, "list", "--all")
    yd = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("YD "))
    assert yd.split()[-1] == "no"


def test_set_changes_only_what_is_given_and_audits_each_change(data_dir: Path, capsys) -> None:
    before, _ = snapshot(data_dir)
    url = "https://www.kuaidi100.com/chaxun?com={carrier}&nu={tracking_no}"
    assert (
        carriers_cli(
            data_dir, "set", "--technician", "zto", "--pattern", r"7\d{13}", "--tracking-url", url
        )
        == 0
    )
    out = capsys.readouterr().out
    assert r"ZTO: pattern '\d{12,15}' -> '7\d{13}'" in out
    after, _ = snapshot(data_dir)
    zto = after["ZTO"].carrier
    assert (zto.pattern, zto.tracking_url) == (r"7\d{13}", url)
    assert (zto.name_zh, zto.name_en, zto.services) == (
        "中通快递",
        "ZTO Express",
        before["ZTO"].carrier.services,
    )
    assert {k: v for k, v in after.items() if k != "ZTO"} == {
        k: v for k, v in before.items() if k != "ZTO"
    }

    assert (
        carriers_cli(data_dir, "set", "--technician", "ZTO", "--services", "standard, insured,保价")
        == 0
    )
    assert "nothing changed" in capsys.readouterr().out
    assert (
        carriers_cli(data_dir, "set", "--technician", "ZTO", "--services", "standard,express") == 0
    )
    assert carriers_cli(data_dir, "set", "--technician", "ZTO", "--disable") == 0
    assert carriers_cli(data_dir, "set", "--technician", "ZTO", "--enable") == 0
    new = [
        "--name-zh",
        "跨越速运",
        "--pattern",
        r"KY\d{10}",
        "--services",
        "express",
        "--not-wechat",
    ]
    assert carriers_cli(data_dir, "set", "--technician", "KYE", *new) == 0
    assert "KYE: added 跨越速运" in capsys.readouterr().out

    entries = audited(data_dir, AuditEvent.CARRIER)
    assert [e.subject for e in entries] == ["ZTO", "ZTO", "ZTO", "ZTO", "KYE"]
    assert entries[0].detail == {
        "old": {"pattern": r"\d{12,15}", "tracking_url": ""},
        "new": {"pattern": r"7\d{13}", "tracking_url": url},
    }
    assert entries[1].detail == {
        "old": {"services": ["standard", "insured"]},
        "new": {"services": ["standard", "express"]},
    }
    assert [e.detail["new"] for e in entries[2:4]] == [{"active": False}, {"active": True}]
    assert entries[4].detail["added"]["services"] == ["express"]
    assert all(e.actor.startswith("technician:") and e.role == "technician" for e in entries)
    assert all(e.reason == "station carriers set" for e in entries)
    kye = snapshot(data_dir)[0]["KYE"]
    assert kye.active and kye.carrier.name_en == "" and kye.carrier.accepts("ky0123456789")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SF", "--pattern", r"SF\d{12"], "'{' at position 4 is not part of a repetition"),
        (["SF", "--pattern", "SF(\\d"], "--pattern: 'SF(\\d' is not a valid regular expression"),
        (["SF", "--services", "standard,overnight"], "unknown service 'overnight'"),
        (["SF", "--services", " , "], "--services: empty"),
        (["SF", "--tracking-url", "https://sf.example/q?no={no}"], "unknown placeholder {no}"),
        (["SF", "--tracking-url", "https://sf.example/q"], "has no {tracking_no}"),
        (["SF", "--tracking-url", "sf.example/{tracking_no}"], "http:// or https://"),
        (["SF", "--name-zh", " "], "--name-zh: empty"),
        (["SF"], "nothing to change"),
        (["KYE", "--pattern", r"KY\d{10}"], "a new carrier needs --name-zh and --pattern"),
        (["KYE", "--name-zh", "跨越速运"], "a new carrier needs --name-zh and --pattern"),
        (["K Y", "--name-zh", "跨越", "--pattern", "K"], "is not a carrier code"),
        (
            ["SF", "--name-en", "SF", "--pattern", "(", "--services", "x"],
            "--services: unknown service 'x'",
        ),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(
    data_dir: Path, capsys, args: list[str], message: str
) -> None:
    before = snapshot(data_dir)
    assert carriers_cli(data_dir, "set", "--technician", *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Nothing was changed." in err
    assert snapshot(data_dir) == before
    assert audited(data_dir, AuditEvent.CARRIER) == []


def test_enable_and_disable_together_is_refused(data_dir: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        carriers_cli(data_dir, "set", "--technician", "SF", "--enable", "--disable")
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


MIXED = (
    f"{COLUMNS}\n"
    "ZTO,中通快递,ZTO Express,standard insured,7\\d{13},,yes\n"  # 2 good: pattern
    "KYE,跨越速运,KY Express,standard|express,KY\\d{10},https://ky.example/?no={tracking_no},\n"
    "SF,顺丰速运,SF Express,standard,SF(\\d,,yes\n"  # 4 bad regex
    "YD,韵达速递,Yunda Express,overnight,[34]\\d{14},,no\n"  # 5 unknown service
    "NEW,,New,standard,N\\d{9},,yes\n"  # 6 new carrier without a name
    "ZTO,中通快递,ZTO Express,standard,\\d{12},,yes\n"  # 7 ZTO twice
    "JD,京东物流,JD Logistics,standard express,JD\\w{13},,maybe\n"  # 8 active
    "YTO,圆通速递,YTO Express,standard insured,YT\\d{13},ftp://yto/{tracking_no},yes\n"  # 9 url
    ",,,,,,\n"
    'DBL,德邦快递,Deppon Express,standard insured,"(DPK)?\\d{9,15}",,no\n'  # 11 good: disable
)


def test_import_lands_good_rows_once_and_lists_problems(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    file = tmp_path / "carriers.csv"
    file.write_text(MIXED, encoding="utf-8")
    before, _ = snapshot(data_dir)
    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 1
    out = capsys.readouterr().out
    assert "changed: 3 (ZTO, KYE, DBL)" in out and "rejected rows: 6" in out
    for problem in (
        "line 4, column pattern: 'SF(\\d' is not a valid regular expression",
        "line 5, column services: unknown service 'overnight'",
        "line 6, column name_zh: empty",
        "line 7, column code: carrier ZTO is also on line 2",
        "line 8, column active: 'maybe' is not yes or no",
        "line 9, column tracking_url: 'ftp://yto/{tracking_no}' does not start with http",
    ):
        assert problem in out
    after, _ = snapshot(data_dir)
    assert after["ZTO"].carrier.pattern == r"7\d{13}"
    assert after["KYE"].active and after["KYE"].carrier.services == ("standard", "express")
    assert not after["DBL"].active
    for code in ("SF", "YD", "JD", "YTO"):
        assert after[code] == before[code]
    assert [e.subject for e in audited(data_dir, AuditEvent.CARRIER)] == [
        "ZTO",
        "KYE",
        "DBL",
    ]

    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 1
    assert "changed: 0\nunchanged: 3\n" in capsys.readouterr().out
    assert snapshot(data_dir)[0] == after
    assert len(audited(data_dir, AuditEvent.CARRIER)) == 3


def test_gbk_file_with_chinese_headers_and_only_some_columns(
    data_dir: Path, tmp_path: Path, capsys
) -> None:
    file = tmp_path / "gbk.csv"
    file.write_bytes("编码,单号规则,启用,备注\nyto,YT\\d{10},否,改短\nEMS,,是,\n".encode("gbk"))
    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 1
    out = capsys.readouterr().out
    assert "gb18030" in out and "line 3, column 单号规则: empty" in out
    assert "ignored columns: 备注" in out
    after, _ = snapshot(data_dir)
    assert after["YTO"].carrier.pattern == r"YT\d{10}" and not after["YTO"].active
    assert after["YTO"].carrier.name_zh == "圆通速递"  # not in the file: kept


def test_bom_file_and_xlsx(data_dir: Path, tmp_path: Path, capsys) -> None:
    import openpyxl

    file = tmp_path / "bom.csv"
    file.write_bytes(UTF8_BOM + b"code,name_en\nSTO,Shentong\n")
    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 0
    assert "utf-8-sig" in capsys.readouterr().out
    book = openpyxl.Workbook()
    book.active.append(["快递公司编码", "中文名称", "单号规则", "服务类型"])
    book.active.append(["KYE", "跨越速运", r"KY\d{10}", "标准快递,特快"])
    book.save(tmp_path / "c.xlsx")
    assert carriers_cli(data_dir, "import", "--technician", str(tmp_path / "c.xlsx")) == 0
    after, _ = snapshot(data_dir)
    assert after["STO"].carrier.name_en == "Shentong"
    assert after["KYE"].carrier.services == ("standard", "express")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"", "the file is empty"),
        (b"name,pattern\nx,y\n", "no code column"),
        (b"code,\xe7\xbc\x96\xe7\xa0\x81\nSF,ZTO\n", "both mean code"),
        (b"\xff\xfe\x00\x00junk", "not a text file"),
    ],
)
def test_unreadable_carrier_files_exit_2(
    data_dir: Path, tmp_path: Path, capsys, content: bytes | None, message: str
) -> None:
    file = tmp_path / "c.csv"
    if content is not None:
        file.write_bytes(content)
    before = snapshot(data_dir)
    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 2
    assert message in capsys.readouterr().out
    assert snapshot(data_dir) == before


def test_carriers_export_import_round_trip(data_dir: Path, tmp_path: Path, capsys) -> None:
    url = "https://track.example/{carrier}/{tracking_no}"
    carriers_cli(data_dir, "set", "--technician", "YD", "--disable", "--tracking-url", url)
    carriers_cli(
        data_dir,
        "set",
        "--technician",
        "KYE",
        "--name-zh",
        "跨越速运",
        "--pattern",
        r"KY\d{10},?",
        "--not-wechat",
    )
    carriers_cli(data_dir, "set", "--technician", "JD", "--name-en", 'JD "Logistics", Ltd')
    exported, _ = snapshot(data_dir)
    file = tmp_path / "carriers.csv"
    assert carriers_cli(data_dir, "export", str(file)) == 0
    assert file.read_bytes().startswith(UTF8_BOM)
    assert f"{file}: 11 carriers" in capsys.readouterr().out

    carriers_cli(data_dir, "set", "--technician", "YD", "--enable", "--pattern", r"\d+")
    carriers_cli(data_dir, "set", "--technician", "KYE", "--services", "insured", "--disable")
    carriers_cli(data_dir, "set", "--technician", "JD", "--name-en", "JD")
    assert snapshot(data_dir)[0] != exported
    assert carriers_cli(data_dir, "import", "--technician", str(file)) == 0
    assert snapshot(data_dir)[0] == exported

    other = tmp_path / "other" / "carriers.csv"
    assert carriers_cli(data_dir, "export", str(other)) == 2
    assert "cannot write" in capsys.readouterr().err


RATES = (
    "carrier,service,zone,provinces,first_weight_g,first_price,additional_per_kg\n"
    "KYE,express,south,广东省|广西 海南,500,12.35,3.05\n"
    'KYE,express,"north, far",黑龙江、吉林,1000,20,4.5\n'
    "KYE,express,rest,*,1000,15,3\n"
)


def test_rates_export_import_round_trip(data_dir: Path, tmp_path: Path, capsys) -> None:
    rates_in = tmp_path / "in.csv"
    rates_in.write_text(RATES, encoding="utf-8")
    assert carriers_cli(data_dir, "rates", "import", "--technician", str(rates_in)) == 0
    assert "3 rates loaded, 0 rows rejected" in capsys.readouterr().out
    _, exported = snapshot(data_dir)
    south = next(r for r in exported if r.zone == "south")
    assert (south.provinces, south.first_fen, south.extra_fen_per_kg) == (
        ("广东", "广西", "海南"),
        1235,
        305,
    )
    file = tmp_path / "rates.csv"
    assert carriers_cli(data_dir, "rates", "export", str(file)) == 0
    assert file.read_bytes().startswith(UTF8_BOM)
    text = file.read_bytes()[len(UTF8_BOM) :].decode()
    assert text.splitlines()[0] == RATES.splitlines()[0]
    assert "KYE,express,south,广东 广西 海南,500,12.35,3.05" in text.splitlines()

    changed = tmp_path / "changed.csv"
    changed.write_text(
        RATES.splitlines()[0] + "\nKYE,express,all,*,1000,9,1\nSF,standard,all,*,1000,1,1\n",
        encoding="utf-8",
    )
    assert station(data_dir, "route", "--technician", "--import-rates", str(changed)) == 0
    assert snapshot(data_dir)[1] != exported
    # The export reads back through the route command and its carriers alias alike.
    assert station(data_dir, "route", "--technician", "--import-rates", str(file)) == 0
    assert snapshot(data_dir)[1] == exported
    assert carriers_cli(data_dir, "rates", "import", "--technician", str(file)) == 0
    assert snapshot(data_dir)[1] == exported

    subjects = [e.subject for e in audited(data_dir, AuditEvent.RATES)]
    # in.csv; changed.csv; the export put back (the re-import changed nothing)
    assert subjects == ["KYE express", "KYE express", "SF standard", "KYE express", "SF standard"]


def test_rates_import_problems_and_unreadable(data_dir: Path, tmp_path: Path, capsys) -> None:
    """One bad row loads nothing: before, the good rows replaced all of the carrier's
    zones (Xinjiang then priced at a negotiated 4.50)."""
    before = snapshot(data_dir)[1]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        RATES.splitlines()[0] + "\nZTO,standard,all,*,1000,4.5,1\nZTO,standard,b,新疆,heavy,1,1\n",
        encoding="utf-8",
    )
    assert carriers_cli(data_dir, "rates", "import", "--technician", str(bad)) == 2
    out = capsys.readouterr().out
    assert "1 rows rejected, nothing loaded" in out
    assert "line 3, column first_weight_g" in out
    assert snapshot(data_dir)[1] == before
    assert (
        carriers_cli(data_dir, "rates", "import", "--technician", str(tmp_path / "missing.csv"))
        == 2
    )


def test_a_new_pattern_decides_which_preprinted_waybills_the_bench_takes(
    demo_db: sqlite_utils.Database, settings, data_dir: Path, tmp_path: Path
) -> None:
    from test_bench import Clock, Recorder, open_order, put, scan_all_items

    from printers import open_printer
    from station.bench import Bench
    from station.core.reading import ScaleLink

    assert catalogue.find_carrier(demo_db, "ZTO").accepts("123456789012")
    assert carriers_cli(data_dir, "set", "--technician", "ZTO", "--pattern", r"7356\d{10}") == 0
    zto = catalogue.find_carrier(demo_db, "ZTO")
    assert not zto.accepts("123456789012") and zto.accepts("73561234599999")

    demo_db.execute("DELETE FROM tracking_pool WHERE carrier = 'ZTO'")
    clock = Clock()
    printer = open_printer(f"pdf:{tmp_path / 'labels'}")
    bench = Bench(demo_db, settings, printer, listener=Recorder(), clock=clock)
    bench.test_clock = clock
    bench.scale_link(ScaleLink.CONNECTED)
    order_no = open_order(demo_db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    assert bench.session.carrier.code == "ZTO"
    assert bench.scan("12345678901234").message.key == "tracking_invalid"
    bench.scan("73561234599999")
    assert bench.last.tracking_no == "73561234599999"


ALL_SF = '[[rule]]\nname = "everything SF"\ncarrier = "SF"\nservice = "standard"\n'


def test_routing_never_picks_a_disabled_carrier_and_route_explains(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    (data_dir / "routing.toml").write_text(ALL_SF, encoding="utf-8")
    order_no = demo_db.execute(
        "SELECT order_no FROM orders WHERE carrier = '' AND status = 'open' LIMIT 1"
    ).fetchone()[0]
    assert station(data_dir, "route", order_no, "--json") == 0
    assert json.loads(capsys.readouterr().out)["carrier"] == "SF"

    assert carriers_cli(data_dir, "set", "--technician", "SF", "--disable") == 0
    capsys.readouterr()
    assert station(data_dir, "route", order_no, "--json") == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["carrier"] == "ZTO" and decision["service"] == "standard"
    assert decision["rule"] == (
        "rule 1 'everything SF (SF is disabled: cheapest standard carrier instead)'"
    )
    assert "cheapest standard carrier: ZTO" in decision["explanation"]
    assert station(data_dir, "route", order_no) == 0
    assert "SF is disabled" in capsys.readouterr().out


def test_a_rule_whose_service_no_active_carrier_offers_falls_through(
    db: sqlite_utils.Database, data_dir: Path, settings
) -> None:
    from station.core.routing import ParcelFacts

    (data_dir / "routing.toml").write_text(
        '[[rule]]\nname = "all SF cold"\ncarrier = "SF"\nservice = "cold_chain"\n'
        '[[rule]]\nname = "else cheapest"\nservice = "standard"\n',
        encoding="utf-8",
    )
    parcel = ParcelFacts("X1", "广东省", (), 10_000, 10_000, 800)
    assert catalogue.load_router(db, data_dir, settings).route(parcel).carrier == "SF"
    carriers_cli(data_dir, "set", "--technician", "SF", "--disable")
    carriers_cli(data_dir, "set", "--technician", "JD", "--disable")
    decision = catalogue.load_router(db, data_dir, settings).route(parcel)
    # Rule 1 matched, but neither SF nor JD (the only cold-chain carriers) may be used.
    assert (decision.carrier, decision.rule) == ("ZTO", "rule 2 'else cheapest'")
    carriers_cli(data_dir, "set", "--technician", "JD", "--enable")
    decision = catalogue.load_router(db, data_dir, settings).route(parcel)
    assert (decision.carrier, decision.service) == ("JD", "cold_chain")
    assert decision.rule.startswith("rule 1 'all SF cold (SF is disabled")

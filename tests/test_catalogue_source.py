"""The carrier catalogue in the database is the one source of carrier names, waybill
patterns and tracking links: labels, reprints, the courier manifest, the CSV export,
the buyer notice, the bench's scan checks and routing all follow `station carriers
set`. Real data folders, the real `station` entry, a real PDF printer."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pypdfium2
import sqlite_utils
import test_ui_bench
from test_bench import Clock, Recorder, open_order, put, scan_all_items, unnamed_order

from printers import open_printer
from station.bench import Bench
from station.cli import main
from station.core.messages import Tone
from station.core.reading import ScaleLink
from station.core.session import Phase
from station.reporting.manifest import write_manifest
from station.settings import Settings
from station.store import catalogue
from station.store.handover import manifest_for_day
from station.sync.notice import buyer_notice

ui_station = test_ui_bench.station

KYE = (
    "KYE",
    "--name-zh",
    "跨越速运",
    "--name-en",
    "KY Express",
    "--pattern",
    r"KY\d{10}",
    "--not-wechat",
)


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def carriers_set(data_dir: Path, *args: str) -> None:
    assert cli(data_dir, "carriers", "set", "--technician", *args) == 0


def make_bench(db: sqlite_utils.Database, settings: Settings, labels: Path) -> Bench:
    clock = Clock()
    recorder = Recorder()
    bench = Bench(db, settings, open_printer(f"pdf:{labels}"), listener=recorder, clock=clock)
    bench.recorder = recorder
    bench.test_clock = clock
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def pack(bench: Bench, order_no: str) -> None:
    """Scan the order and its items and weigh it: up to the waybill."""
    assert bench.scan(order_no).message.key in ("order_started", "order_flagged")
    if bench.session.phase is Phase.CONFIRM:
        bench.scan("CMD-CONFIRM")
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def only_pdf(folder: Path) -> Path:
    pdfs = list(folder.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


def names_order(db: sqlite_utils.Database, code: str) -> str:
    """A plain open demo order (no flags, no fresh goods), made to name `code`."""
    order_no = open_order(db)
    db.execute("UPDATE orders SET carrier = ? WHERE order_no = ?", [code, order_no])
    return order_no


def today() -> str:
    return datetime.now().astimezone().date().isoformat()


# -- names: labels, reprints, the manifest, the CSV export ----------------------------


def test_a_renamed_carrier_prints_its_new_name_everywhere(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    carriers_set(data_dir, "ZTO", "--name-zh", "中通快运")
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    pack(bench, open_order(demo_db))
    assert bench.last is not None and bench.last.carrier == "ZTO"
    assert bench.recorder.keys[-2:] == ["recorded", "printed"]
    label = pdf_text(only_pdf(tmp_path / "labels"))
    assert "中通快运" in label and "中通快递" not in label

    again = tmp_path / "again"
    printer = f"pdf:{again}"
    assert (
        cli(
            data_dir, "print", "label", bench.last.tracking_no, "--printer", printer, "--technician"
        )
        == 0
    )
    assert "中通快运" in pdf_text(only_pdf(again))

    manifest = manifest_for_day(demo_db, "ZTO", datetime.now().astimezone().date())
    sheet = pdf_text(write_manifest(manifest, tmp_path / "zto.pdf"))
    assert "中通快运 ZTO Express (ZTO)" in sheet

    out = tmp_path / "batch.csv"
    assert cli(data_dir, "sync", "export-csv", "--since", today(), "--out", str(out)) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["快递公司"] for r in rows] == ["中通快运"]


def test_a_new_carrier_prints_its_name_not_its_code(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    carriers_set(data_dir, *KYE)
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    pack(bench, names_order(demo_db, "KYE"))
    assert bench.recorder.feedback[-1].message.key == "tracking_needed"
    assert bench.recorder.feedback[-1].message.params["carrier"] == "跨越速运"
    assert bench.scan("KY0000000001").message.key == "recorded"
    label = pdf_text(only_pdf(tmp_path / "labels"))
    assert "跨越速运" in label

    manifest = manifest_for_day(demo_db, "KYE", datetime.now().astimezone().date())
    assert manifest.count == 1
    sheet = pdf_text(write_manifest(manifest, tmp_path / "kye.pdf"))
    assert "跨越速运 KY Express (KYE)" in sheet


def test_a_reprint_from_search_prints_the_catalogue_name(
    qtbot, db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    from station.core.permissions import Role
    from station.store.users import add_user
    from station.ui.search import SearchDialog
    from tests.shipments_factory import make_shipment

    shipped = make_shipment(db, datetime.now().astimezone())
    carriers_set(data_dir, "ZTO", "--name-zh", "中通快运")
    add_user(db, "wang", Role.SUPERVISOR, "2222")
    dialog = SearchDialog(db, settings, open_printer(f"pdf:{tmp_path / 'labels'}"))
    qtbot.addWidget(dialog)
    dialog.search(shipped.tracking_no)
    assert dialog.reprint_selected("2222", "label torn")
    assert "中通快运" in pdf_text(only_pdf(tmp_path / "labels"))


# -- the buyer notice ------------------------------------------------------------


TEMPLATE = "您的包裹已发出：{carrier_name} {tracking_no}\n查询物流：{link}"
GLOBAL_LINK = "https://t.example/?c={carrier}&n={tracking_no}"


def test_buyer_notice_names_the_carrier_and_uses_its_own_tracking_link(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    carriers_set(data_dir, "ZTO", "--name-zh", "中通快运")
    carriers_set(
        data_dir, "SF", "--tracking-url", "https://www.sf-express.com/waybill/#search/{tracking_no}"
    )
    known = catalogue.carriers(db, active_only=False)
    zto = buyer_notice(TEMPLATE, GLOBAL_LINK, "WX1", "ZTO", "75123", known)
    assert zto.split("\n") == [
        "您的包裹已发出：中通快运 75123",
        "查询物流：https://t.example/?c=ZTO&n=75123",
    ]
    sf = buyer_notice(TEMPLATE, GLOBAL_LINK, "WX1", "SF", "SF1023574470215", known)
    assert (
        sf.split("\n")[1] == "查询物流：https://www.sf-express.com/waybill/#search/SF1023574470215"
    )
    # The carrier's own link is used even when the global link is switched off.
    assert "sf-express.com" in buyer_notice(TEMPLATE, "", "WX1", "SF", "SF1", known)
    assert "查询" not in buyer_notice(TEMPLATE, "", "WX1", "ZTO", "75", known)


def test_the_bench_copies_the_catalogue_name_and_link(qtbot, ui_station, data_dir: Path) -> None:
    import test_ui_bench as ui
    from PySide6.QtGui import QGuiApplication

    url = "https://www.zto.com/express/expressCheck.html?txtBill={tracking_no}"
    carriers_set(data_dir, "ZTO", "--name-zh", "中通快运", "--tracking-url", url)
    QGuiApplication.clipboard().clear()
    ui.scan(qtbot, ui_station, "WX-C")
    ui.scan(qtbot, ui_station, ui.TEA_EAN)
    bench = ui_station.bench
    ui_station.scale.simulator.set_grams(bench.session.expected_grams)
    qtbot.waitUntil(lambda: bench.last is not None, timeout=5000)
    tracking = bench.last.tracking_no
    text = QGuiApplication.clipboard().text()
    assert f"中通快运 {tracking}" in text
    assert url.format(tracking_no=tracking) in text
    assert "中通快运" in ui_station.window.carrier_label.text()
    assert "中通快运" in ui_station.window.last_label.text()


def test_the_screen_never_announces_a_disabled_carrier(qtbot, ui_station, data_dir: Path) -> None:
    import test_ui_bench as ui

    carriers_set(data_dir, "ZTO", "--disable")  # WX-B names ZTO, the default carrier too
    ui.scan(qtbot, ui_station, "WX-B")
    # before the weight, the carrier routing chooses among the active ones
    routed = ui_station.bench.routed
    assert routed is not None and routed.carrier != "ZTO"
    name = ui_station.bench.carrier_name(routed.carrier)
    assert ui_station.window.carrier_label.text() == f"Carrier: {name}"


# -- the bench's scan checks --------------------------------------------------------


def test_looks_like_a_waybill_follows_the_active_carriers_patterns(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    assert bench.scan("KY0000000001").message.key == "order_unknown"
    assert bench.scan("SF1023574470215").message.key == "scan_is_tracking"
    carriers_set(data_dir, *KYE)
    carriers_set(data_dir, "SF", "--disable")
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    assert bench.scan("KY0000000001").message.key == "scan_is_tracking"
    assert bench.scan("SF1023574470215").message.key == "order_unknown"


# -- routing --------------------------------------------------------------------------

COLD_THEN_CHEAPEST = (
    '[[rule]]\nname = "all SF cold"\ncarrier = "SF"\nservice = "cold_chain"\n'
    '[[rule]]\nname = "else cheapest"\nservice = "standard"\n'
)
NOTHING_MATCHES = '[[rule]]\nname = "never"\ncategories = ["none"]\ncarrier = "SF"\n'


def route_json(data_dir: Path, order_no: str, capsys) -> dict:
    capsys.readouterr()
    assert cli(data_dir, "route", order_no, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_a_skipped_rule_keeps_its_reason_when_a_later_rule_decides(
    demo_db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    (data_dir / "routing.toml").write_text(COLD_THEN_CHEAPEST, encoding="utf-8")
    carriers_set(data_dir, "SF", "--disable")
    carriers_set(data_dir, "JD", "--disable")
    decision = route_json(data_dir, unnamed_order(demo_db), capsys)
    assert (decision["carrier"], decision["rule"]) == ("ZTO", "rule 2 'else cheapest'")
    why = decision["explanation"]
    assert (
        "rule 1 'all SF cold (SF is disabled: cheapest cold_chain carrier instead)' matched "
        "but no active carrier offers cold_chain with a rate" in why
    )
    assert why.index("rule 1") < why.index("rule 2 'else cheapest' matched")


def cheapest_active_standard(db: sqlite_utils.Database, order_no: str, grams: int) -> str:
    """The cheapest active standard carrier for an order by the stored rate tables."""
    from station.core.rates import RateTable
    from station.store.orders import find_order

    order = find_order(db, order_no)
    table = RateTable(catalogue.rates(db))
    active = catalogue.carriers(db)
    costs = []
    for code in table.carriers_for("standard"):
        rate = table.find(code, "standard", order.recipient.province)
        if code in active and rate is not None:
            costs.append((rate.cost_fen(grams), code))
    return min(costs)[1]


def test_a_disabled_default_carrier_is_never_the_fallback(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path, capsys
) -> None:
    (data_dir / "routing.toml").write_text(NOTHING_MATCHES, encoding="utf-8")
    order_no = unnamed_order(demo_db)
    decision = route_json(data_dir, order_no, capsys)
    assert (decision["carrier"], decision["rule"]) == ("ZTO", "default")
    carriers_set(data_dir, "ZTO", "--disable")
    decision = route_json(data_dir, order_no, capsys)
    cheapest = cheapest_active_standard(demo_db, order_no, 1000)
    assert cheapest != "ZTO"
    assert (decision["carrier"], decision["service"], decision["rule"]) == (
        cheapest,
        "standard",
        "default",
    )
    assert (
        f"default carrier ZTO is disabled: cheapest standard carrier {cheapest}"
        in (decision["explanation"])
    )
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    pack(bench, order_no)
    assert bench.session.carrier.code == cheapest
    assert bench.recorder.keys[-1] == "tracking_needed"


def test_broken_rules_and_a_disabled_default_still_pick_an_active_carrier(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    (data_dir / "routing.toml").write_text("not toml [", encoding="utf-8")
    carriers_set(data_dir, "ZTO", "--disable")
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    order_no = open_order(demo_db)
    pack(bench, order_no)
    assert bench.session.carrier.code == cheapest_active_standard(demo_db, order_no, 1000)


def test_no_active_carrier_stops_the_bench_with_a_red_message_until_one_is_enabled(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path, capsys
) -> None:
    for code in catalogue.entries(demo_db):
        carriers_set(data_dir, code, "--disable")
    order_no = open_order(demo_db)
    capsys.readouterr()
    assert cli(data_dir, "route", order_no) == 2
    assert "enable" in capsys.readouterr().out

    bench = make_bench(demo_db, settings, tmp_path / "labels")
    pack(bench, order_no)
    result = bench.recorder.feedback[-1]
    assert (result.tone, result.message.key) == (Tone.ERROR, "no_active_carrier")
    assert "supervisor" in result.message.english() and "enable" in result.message.english()
    assert bench.session is not None and bench.session.phase is Phase.WEIGH
    assert demo_db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 0

    carriers_set(data_dir, "ZTO", "--enable")
    put(bench, 0)
    put(bench, bench.session.expected_grams)
    assert bench.recorder.keys[-2:] == ["recorded", "printed"]
    assert bench.last.carrier == "ZTO"


def test_an_order_naming_a_disabled_carrier_is_routed_among_the_active_ones(
    demo_db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path, capsys
) -> None:
    order_no = names_order(demo_db, "SF")
    assert route_json(data_dir, order_no, capsys)["carrier"] == "SF"
    carriers_set(data_dir, "SF", "--disable")
    decision = route_json(data_dir, order_no, capsys)
    assert decision["carrier"] == "ZTO"
    assert decision["explanation"].startswith("the order names SF, which is disabled")
    assert "cheapest standard carrier: ZTO" in decision["explanation"]

    demo_db.execute("DELETE FROM tracking_pool WHERE carrier = 'ZTO'")
    bench = make_bench(demo_db, settings, tmp_path / "labels")
    pack(bench, order_no)
    assert bench.session.carrier.code == "ZTO"
    assert bench.recorder.feedback[-1].message.params["carrier"] == "中通快递"
    assert bench.scan("SF1023574470215").message.key == "tracking_invalid"
    assert bench.scan("735612345999").message.key == "recorded"
    assert bench.last.carrier == "ZTO"

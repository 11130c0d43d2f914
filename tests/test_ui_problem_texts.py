"""Import problems, flags and alerts reach the packer and the supervisor in the
interface's language: a flagged order scanned at the real bench window (real key
events, real SQLite file), an alert for a refunded parcel, the import dialog's
problems, actions and field labels; English stays English, and a flag stored
before flags had keys shows its English detail."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from shipments_factory import make_shipment
from test_ui_bench import Sounds, scan
from test_ui_import import cell, run

from station.core.model import Contact, Product
from station.core.permissions import Role
from station.importers.commit import apply_plan, plan_orders
from station.importers.mapping import wechat_shop_mapping
from station.importers.orders import parse_orders
from station.importers.table import UnreadableFile, read_table, table_from_bytes
from station.settings import Settings
from station.store import migrations
from station.store.db import DB_FILE, connect, folder_keys
from station.store.migrations import FolderKeys
from station.store.orders import NewLine, save_order, save_products
from station.store.search import void_shipment
from station.store.users import add_user
from station.ui.app import Station, build_station
from station.ui.import_dialog import PREVIEW, READ, ImportDialog
from station.ui.translations import install_translators

HEADER = "订单号,商品编码,商品名称,商品数量,收货人,收货人手机号,省,市,区,详细地址,售后状态\n"
# No digit and no numbered building in the street: the house number is missing.
NO_HOUSE_NUMBER = "WX-FLAG,CUP-350,保温杯,1,张三,13812345678,浙江省,杭州市,西湖区,文三路,\n"
BAD_QUANTITY = "WX-BAD,CUP-350,保温杯,many,李四,13812345679,浙江省,杭州市,西湖区,文三路8号,\n"


def import_csv(db: sqlite_utils.Database, body: str) -> None:
    table = table_from_bytes((HEADER + body).encode("gbk"))
    preview = parse_orders(table, wechat_shop_mapping(table.headers))
    assert not preview.problems
    apply_plan(db, plan_orders(db, preview, "file:shop.csv"))


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    install_translators(qapp, request.param)
    yield request.param
    install_translators(qapp, "en")


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    assert install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


def open_station(qtbot, qapp, data_dir: Path, settings: Settings, language: str) -> Station:  # type: ignore[no-untyped-def]
    chosen = settings.with_values(station__language=language, station__packer="李四")
    built = build_station(qapp, data_dir, chosen, demo=True, sound_backend=Sounds())
    built.window.resize(1400, 900)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.window.activateWindow()
    qtbot.waitUntil(lambda: built.bench.gate.connected, timeout=5000)
    return built


@pytest.fixture
def station_with(qtbot, qapp, data_dir: Path, settings: Settings):  # type: ignore[no-untyped-def]
    """Opens the station in a language once the test has seeded its database."""
    opened: list[Station] = []

    def start(language: str) -> Station:
        opened.append(open_station(qtbot, qapp, data_dir, settings, language))
        return opened[-1]

    yield start
    for built in opened:
        built.stop()


def test_a_flagged_order_shows_its_flags_in_the_interface_language(
    qtbot, data_dir: Path, station_with, language: str
) -> None:
    db = connect(data_dir / DB_FILE)
    save_products(db, [Product("CUP-350", "保温杯", ("6900000000014",), weight_g=320)])
    import_csv(db, NO_HOUSE_NUMBER)
    db.close()
    station = station_with(language)

    result = scan(qtbot, station, "WX-FLAG")

    assert result.message.key == "order_flagged"
    shown = station.window.banner.text()
    panel = station.window.order_panel.flags.text()
    if language == "zh_CN":
        assert "门牌号缺失" in shown and "请核对订单 WX-FLAG" in shown
        assert "house number" not in shown and "address" not in shown
        assert "门牌号缺失" in panel and "house number" not in panel
    else:
        assert (
            shown
            == "CHECK order WX-FLAG: address: house number missing. Check it, then scan CONFIRM."
        )
        assert "address: house number missing" in panel
    # The bench itself, the CLI and the logs keep the English.
    assert result.message.params["flags"] == "address: house number missing"


def database_before(path: Path, step: Callable[[sqlite_utils.Database, FolderKeys], None]):  # type: ignore[no-untyped-def]
    """A database file as the station left it before migration `step`."""
    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    old.execute("PRAGMA journal_mode=WAL")
    for version, earlier in enumerate(migrations.STEPS[: migrations.STEPS.index(step)], start=1):
        earlier(old, folder_keys(old))
        old.execute(f"PRAGMA user_version={version}")
    return old


def test_a_flag_stored_before_flags_had_keys_shows_its_english_detail(
    qtbot, data_dir: Path, station_with, chinese
) -> None:
    """A database as the station left it before the step that added text keys, with a
    flagged order: after the upgrade its flag has no key and shows its detail as is."""
    old = database_before(data_dir / DB_FILE, migrations._flag_texts)
    save_order(
        old,
        "WX-OLD",
        Contact("张三", "13812345678", "浙江省杭州市文三路"),
        [NewLine("CUP-350", "保温杯", 1)],
    )
    old.execute(
        "INSERT INTO order_flags (order_no, kind, detail) "
        "VALUES ('WX-OLD', 'address', 'address: house number missing')"
    )
    old.close()
    station = station_with("zh_CN")

    assert scan(qtbot, station, "WX-OLD").message.key == "order_flagged"

    shown = station.window.banner.text()
    assert "请核对订单 WX-OLD" in shown and "address: house number missing" in shown


def test_an_alert_for_a_refunded_parcel_is_shown_in_chinese(
    qtbot, data_dir: Path, station_with, chinese
) -> None:
    db = connect(data_dir / DB_FILE)
    made = make_shipment(db, datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    address = "浙江省,杭州市,西湖区,文三路1号"
    import_csv(db, f"{made.order_no},CUP-350,保温杯,1,张三,13812345678,{address},退款成功\n")
    db.close()
    station = station_with("zh_CN")

    result = scan(qtbot, station, "WX-ANY")

    assert result.message.key == "alert_intercept"
    shown = station.window.banner.text()
    assert f"警告：订单 {made.order_no}" in shown
    assert "退款成功" in shown and made.tracking_no in shown and "请联系快递公司拦截" in shown
    assert "upstream" not in shown and "intercept" not in shown


# -- the import dialog ---------------------------------------------------------------


@pytest.fixture
def dialog(qtbot, db: sqlite_utils.Database, data_dir: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    opened = ImportDialog(db, data_dir)
    qtbot.addWidget(opened)
    return opened


def test_the_import_dialog_shows_problems_actions_and_fields_in_the_language(
    qtbot, dialog: ImportDialog, tmp_path: Path, language: str
) -> None:
    file = tmp_path / "shop.csv"
    file.write_bytes((HEADER + NO_HOUSE_NUMBER + BAD_QUANTITY).encode("gbk"))
    assert run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert run(qtbot, dialog, dialog.preview, PREVIEW)
    rows, problems = dialog.preview_model, dialog.problem_model
    assert problems.rowCount() == 1 and cell(problems, 0, 1) == "商品数量"
    labels = [dialog.columns.item(r, 0).text() for r in range(dialog.columns.rowCount())]
    if language == "zh_CN":
        assert cell(problems, 0, 2) == "'many' 不是数量"
        assert (cell(rows, 0, 1), cell(rows, 0, 4)) == ("新增", "地址：门牌号缺失")
        assert "订单号 *" in labels and "门牌号" in labels
    else:
        assert cell(problems, 0, 2) == "'many' is not a quantity"
        assert (cell(rows, 0, 1), cell(rows, 0, 4)) == ("new", "address: house number missing")
        assert "Order number *" in labels and "House number" in labels


def test_missing_columns_are_named_by_their_chinese_labels(
    qtbot, dialog: ImportDialog, tmp_path: Path, chinese
) -> None:
    file = tmp_path / "g.csv"
    file.write_text("单号,货号\nG1,CUP-350\n", encoding="utf-8")
    assert run(qtbot, dialog, lambda: dialog.load_file(file), READ)
    assert not dialog.preview()
    status = dialog.status.text()
    assert "没有对应“订单号”的列" in status and "没有对应“数量”的列" in status
    assert "no column" not in status


# -- hold reasons at the bench --------------------------------------------------------

STATUS_HEADER = "订单号,商品编码,商品名称,商品数量,收货人,收货人手机号,省,市,区,详细地址,订单状态\n"


def test_an_unpaid_order_shows_its_hold_reason_in_the_interface_language(
    qtbot, data_dir: Path, station_with, language: str
) -> None:
    db = connect(data_dir / DB_FILE)
    body = "WX-UNPAID,CUP-350,保温杯,1,张三,13812345678,浙江省,杭州市,西湖区,文三路8号,待付款\n"
    table = table_from_bytes((STATUS_HEADER + body).encode("gbk"))
    apply_plan(db, plan_orders(db, parse_orders(table, wechat_shop_mapping(table.headers)), "f"))
    db.close()
    station = station_with(language)

    result = scan(qtbot, station, "WX-UNPAID")

    assert result.message.key == "order_on_hold"
    shown = station.window.banner.text()
    if language == "zh_CN":
        assert shown == "订单 WX-UNPAID 已暂扣：上游尚未付款（待付款）。请勿打包。"
    else:
        assert (
            shown == "Order WX-UNPAID is on hold: not paid yet upstream (待付款). Do not pack it."
        )
    # The bench itself, the CLI and the logs keep the English.
    assert result.message.params["reason"] == "not paid yet upstream (待付款)"


def test_a_voided_order_shows_voided_translated_and_the_reason_as_typed(
    qtbot, data_dir: Path, station_with, chinese
) -> None:
    db = connect(data_dir / DB_FILE)
    made = make_shipment(db, datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    void_shipment(db, made.shipment_id, boss, "外箱压坏 damaged box", "bench-1")
    db.close()
    station = station_with("zh_CN")

    result = scan(qtbot, station, made.order_no)

    assert result.message.key == "order_on_hold"
    shown = station.window.banner.text()
    assert f"订单 {made.order_no} 已暂扣：已作废：外箱压坏 damaged box。" in shown
    assert "voided" not in shown


def test_a_hold_reason_stored_before_reasons_had_keys_shows_its_english(
    qtbot, data_dir: Path, station_with, chinese
) -> None:
    old = database_before(data_dir / DB_FILE, migrations._hold_texts)
    save_order(
        old,
        "WX-OLD",
        Contact("张三", "13812345678", "浙江省杭州市文三路8号"),
        [NewLine("CUP-350", "保温杯", 1)],
    )
    old.execute(
        "UPDATE orders SET status = 'hold', hold_reason = 'not paid yet upstream (待付款)' "
        "WHERE order_no = 'WX-OLD'"
    )
    old.close()
    station = station_with("zh_CN")

    assert scan(qtbot, station, "WX-OLD").message.key == "order_on_hold"

    shown = station.window.banner.text()
    assert shown == "订单 WX-OLD 已暂扣：not paid yet upstream (待付款)。请勿打包。"


# -- unreadable files in the import dialog --------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xff\xfe\x80\x81\x00"


@pytest.mark.parametrize(
    ("data", "chinese_reason", "english"),
    [
        (b"", "文件是空的", "the file is empty"),
        (
            PNG,
            "不是 UTF-8 或 GBK/GB18030 编码的文本文件",
            "not a text file in UTF-8 or GBK/GB18030",
        ),
    ],
)
def test_an_unreadable_file_is_explained_in_chinese(
    qtbot, dialog: ImportDialog, tmp_path: Path, chinese, data, chinese_reason, english
) -> None:
    file = tmp_path / "orders.csv"
    file.write_bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        read_table(file)
    assert str(caught.value).startswith(english)  # the CLI's words, as before

    assert not run(qtbot, dialog, lambda: dialog.load_file(file), READ)

    status = dialog.status.text()
    assert status.startswith(f"无法读取文件：{chinese_reason}")
    assert english not in status and "file" not in status

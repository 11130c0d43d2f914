"""The import use case on a real SQLite file (and a real PostgreSQL for the hub):
orders checked without writing and written on commit, sent to the hub when the
bench has one (and said when it cannot be reached, the orders kept here);
products; carriers, rates and waybill numbers audited naming who signed; a rates
file with a bad row loads nothing; a full disk comes out as StorageError."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
import sqlite_utils

from station.app.database import database_path, opener_for, own_connection
from station.app.imports import (
    HubOrders,
    Imports,
    ImportSteps,
    RatesRejected,
    StorageError,
    StorageProblem,
    hub_orders_for,
)
from station.core.carriers import UnknownCarrier
from station.core.permissions import Action, AuditEvent, Role
from station.hub import orders as hub_orders
from station.hub.db import connect as connect_hub
from station.hub.server import free_port
from station.importers.mapping import ORDERS, PRODUCTS, choose_mapping
from station.importers.products import parse_products
from station.importers.table import Table, read_table
from station.settings import Settings
from station.store import audit, catalogue, pool
from station.store.db import connect
from station.store.users import add_user

SHOP = (
    "订单号,商品编码,商品数量,收货人,收货人手机号,省,市,区,详细地址\n"
    "U1,CUP-350,1,张三,13812345678,广东省,深圳市,南山区,科技园1栋101\n"
    "U2,CUP-350,many,李四,13812345679,广东省,深圳市,南山区,科技园2栋\n"
    "U3,CUP-350,2,王五,13812345670,浙江省,杭州市,西湖区,某某部队9号\n"
)
PRODUCTS_CSV = "sku,name,barcodes,weight_g\nCUP-350,杯子,6901234567890,350\nBAD,,,x\n"
RATES = (
    "carrier,service,zone,provinces,first_weight_g,first_price,additional_per_kg\n"
    "KYE,express,south,广东省|广西 海南,500,12.35,3.05\n"
    "KYE,express,rest,*,1000,15,3\n"
)


def table_of(tmp_path: Path, text: str, imports: Imports) -> Table:
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path, imports.limits)


def stored_orders(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT order_no FROM orders ORDER BY order_no")]


def test_checking_orders_writes_nothing_and_importing_writes_the_plan(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    imports = Imports(db, settings)
    table = table_of(tmp_path, SHOP, imports)
    counted: list[int] = []
    checked = imports.check_orders(
        table, choose_mapping(table.headers, ORDERS), "file:shop.csv", counted.append
    )
    assert counted == [2]
    assert (checked.new, checked.rejected, checked.flagged) == (2, 1, 1)
    assert list(checked.flags) == ["U3"] and "部队" in checked.flags["U3"][0].detail
    assert stored_orders(db) == []
    done = imports.import_orders(checked.plan.preview, "file:shop.csv")
    assert (done.summary.imported, done.summary.rejected_rows) == (2, 1)
    assert done.hub is None  # no hub.url: this bench alone
    assert stored_orders(db) == ["U1", "U3"]
    again = imports.import_orders(checked.plan.preview, "file:shop.csv")
    assert (again.summary.imported, again.summary.updated) == (0, 2)


def test_a_bench_with_a_hub_sends_the_imported_orders_there(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path, hub_url: str
) -> None:
    with_hub = settings.save(hub__url=hub_url)
    hub = hub_orders_for(with_hub)
    assert isinstance(hub, HubOrders) and hub_orders_for(settings) is None
    imports = Imports(db, with_hub, hub)
    table = table_of(tmp_path, SHOP, imports)
    checked = imports.check_orders(table, choose_mapping(table.headers, ORDERS), "file:a")
    done = imports.import_orders(checked.plan.preview, "file:a")
    assert done.hub is not None and done.hub.reached and done.hub.changed == 2
    with connect_hub(hub_url) as conn:
        at_hub, _ = hub_orders.since(conn, 0)
    assert sorted(o.order_no for o in at_hub) == ["U1", "U3"]
    assert imports.import_orders(checked.plan.preview, "file:a").hub.changed == 0


def test_an_unreachable_hub_is_said_and_the_orders_stay_imported_here(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    nobody = f"postgresql://station:pw@127.0.0.1:{free_port()}/station"
    imports = Imports(db, settings, HubOrders(nobody, timeout_s=2))
    table = table_of(tmp_path, SHOP, imports)
    checked = imports.check_orders(table, choose_mapping(table.headers, ORDERS), "file:a")
    done = imports.import_orders(checked.plan.preview, "file:a")
    assert done.hub is not None and not done.hub.reached
    assert "127.0.0.1" in done.hub.error or "refused" in done.hub.error
    assert stored_orders(db) == ["U1", "U3"]


def test_products_are_imported_with_their_barcodes(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    imports = Imports(db, settings)
    table = table_of(tmp_path, PRODUCTS_CSV, imports)
    preview = parse_products(table, choose_mapping(table.headers, PRODUCTS, "generic"))
    assert imports.import_products(preview) == 1
    assert db.execute("SELECT sku, weight_g FROM products").fetchall() == [("CUP-350", 350)]
    assert db.execute(
        "SELECT sku FROM product_barcodes WHERE barcode = '6901234567890'"
    ).fetchone() == ("CUP-350",)


def test_carriers_rates_and_numbers_are_audited_naming_who_signed(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    imports = Imports(db, settings)
    carriers = table_of(
        tmp_path,
        "code,name_zh,name_en,services,pattern,tracking_url,active\n"
        "KYE,跨越速运,KY Express,standard|express,KY\\d{10},,yes\n"
        "SF,顺丰速运,SF Express,standard,SF(\\d,,yes\n",
        imports,
    )
    done = imports.import_carriers(carriers, boss, "new courier")
    assert done.changed == ["KYE"] and done.preview.rejected_rows == 1
    assert catalogue.find_carrier(db, "KYE").name_en == "KY Express"
    rates = tmp_path / "rates.csv"
    rates.write_text(RATES, encoding="utf-8")
    assert imports.import_rates(rates, boss) == 2
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("KY1234567890\nKY1234567891\nnot a number\n", encoding="utf-8")
    pooled = imports.import_pool("kye", numbers, boss, "first batch")
    assert (pooled.carrier, pooled.added, pooled.already_known, pooled.free) == ("KYE", 2, 0, 2)
    assert [p.line for p in pooled.problems] == [3]
    assert imports.import_pool("KYE", numbers, boss, "again").added == 0
    signed = [
        (e.action, e.actor, e.role, e.reason)
        for e in audit.entries(db)
        if e.action in {Action.CARRIERS, AuditEvent.CARRIER, AuditEvent.RATES, Action.POOL}
    ]
    assert ("pool", "wang", "supervisor", "first batch") in signed
    assert any(a == "rates" and who == "wang" for a, who, _, _ in signed)
    assert any(who == "wang" and why == "new courier" for _, who, _, why in signed)
    assert len([s for s in signed if s[0] == "pool"]) == 1  # nothing added: nothing audited


def test_a_rates_file_with_a_bad_row_loads_nothing(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    before = catalogue.rates(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(RATES + "KYE,express,far,新疆,heavy,1,1\n", encoding="utf-8")
    with pytest.raises(RatesRejected) as rejected:
        Imports(db, settings).import_rates(bad, boss)
    assert [p.line for p in rejected.value.problems] == [4]
    assert catalogue.rates(db) == before


def test_numbers_for_an_unknown_carrier_add_nothing(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    boss = add_user(db, "wang", Role.SUPERVISOR, "2222")
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("73567696585919\n", encoding="utf-8")
    with pytest.raises(UnknownCarrier):
        Imports(db, settings).import_pool("NOPE", numbers, boss, "x")
    assert pool.free_counts(db) == {}


def test_a_full_disk_stops_an_import_with_a_storage_error(
    db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    rows = "".join(
        f"F{n},CUP-350,1,张三{n},138{n:08d},广东省,深圳市,南山区,科技园{n}栋{n}号\n"
        for n in range(3000)
    )
    imports = Imports(db, settings)
    table = table_of(tmp_path, SHOP.splitlines()[0] + "\n" + rows, imports)
    checked = imports.check_orders(table, choose_mapping(table.headers, ORDERS), "file:big")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 5}")
    with pytest.raises(StorageError) as stopped:
        imports.import_orders(checked.plan.preview, "file:big")
    assert stopped.value.problem is StorageProblem.DISK_FULL


def test_each_step_of_a_worker_gets_its_own_connection_closed_after_it(
    db: sqlite_utils.Database, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    opened: list[sqlite_utils.Database] = []

    def recording(path: Path):  # type: ignore[no-untyped-def]
        context = own_connection(path)
        return _Recorded(context, opened)

    steps = ImportSteps(partial(recording, database_path(data_dir)), settings, None)
    table = table_of(tmp_path, SHOP, Imports(db, settings))
    checked = steps.check_orders(table, choose_mapping(table.headers, ORDERS), "f", print)
    steps.import_orders(checked.plan.preview, "f")
    assert len(opened) == 2 and all(o is not db for o in opened)
    for closed in opened:
        with pytest.raises(Exception, match="closed"):
            closed.execute("SELECT 1")
    assert stored_orders(db) == ["U1", "U3"]


def test_a_database_in_memory_is_used_as_it_is() -> None:
    memory = connect(":memory:")
    try:
        with opener_for(memory)() as db:
            assert db is memory
        assert memory.execute("SELECT 1").fetchone() == (1,)  # not closed by the step
    finally:
        memory.close()


class _Recorded:
    """A connection context that notes the connection it opened."""

    def __init__(self, context, opened: list) -> None:  # type: ignore[no-untyped-def]
        self.context, self.opened = context, opened

    def __enter__(self) -> sqlite_utils.Database:
        db = self.context.__enter__()
        self.opened.append(db)
        return db

    def __exit__(self, *exc: object) -> None:
        self.context.__exit__(*exc)

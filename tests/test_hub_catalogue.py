"""Products, carriers, rate tables, routing rules and users set once at the hub reach
every bench (each its own data folder and SQLite file), on a real PostgreSQL: pulled
by revision, kept for offline work, a removed user refused at the next pull."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from station.core.carriers import CARRIERS, Carrier
from station.core.model import Product
from station.core.permissions import Role
from station.core.rates import Rate
from station.core.routing import DEFAULT_RULES_TOML, RULES_FILE
from station.hub import catalogue as hub_catalogue
from station.hub.cache import CataloguePull
from station.hub.db import connect
from station.hub.kinds import Kind, local_refusal
from station.hub.pull import HubPuller
from station.settings import Settings
from station.store import catalogue, orders, users
from station.store.catalogue import CarrierEntry
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite
from station.sync.outcome import TargetProblem

CUP = Product("CUP-350", "保温杯 350ml", ("6901234567892",), 420, None, "杯", 3990, "")
TEA = Product("TEA-LJ250", "龙井 250g", ("6909876543210", "TEA250"), 260, None, "茶", 5900, "")
RULES = DEFAULT_RULES_TOML + '\n[[rule]]\nname = "tea by SF"\ncategories = ["茶"]\ncarrier = "SF"\n'
KYE = CarrierEntry(Carrier("KYE", "跨越速运", "KY Express", r"KY\d{10}", "", ("standard",)))
ZTO_RATES = [
    Rate("ZTO", "standard", "near", ("广东", "浙江"), 1000, 500, 200),
    Rate("ZTO", "standard", "far", ("*",), 1000, 900, 500),
]
ZTO = ("ZTO", "standard")
SUP = "technician:sup"


class Benches:
    """Bench data folders with their databases, closed after the test."""

    def __init__(self, root: Path, hub_url: str):
        self.root, self.hub_url = root, hub_url
        self.dbs: dict[str, sqlite_utils.Database] = {}

    def db(self, name: str) -> sqlite_utils.Database:
        if name not in self.dbs:
            folder = self.folder(name)
            folder.mkdir(parents=True, exist_ok=True)
            Settings.load(folder).save(hub__url=self.hub_url, station__name=name)
            self.dbs[name] = connect_sqlite(folder / DB_FILE)
        return self.dbs[name]

    def folder(self, name: str) -> Path:
        return self.root / name

    def pull(self, name: str, url: str | None = None) -> str:
        puller = HubPuller(url or self.hub_url, name, 2.0, 0, 0.0, [], folder=self.folder(name))
        try:
            return puller.pull(self.db(name))
        finally:
            puller.close()

    def close(self) -> None:
        for db in self.dbs.values():
            db.close()


@pytest.fixture
def benches(tmp_path: Path, hub_url: str):
    made = Benches(tmp_path, hub_url)
    yield made
    made.close()


@pytest.fixture
def hub(hub_url: str):
    conn = connect(hub_url)
    yield conn
    conn.close()


def set_everything(hub: psycopg.Connection) -> None:
    hub_catalogue.put_products(hub, [CUP, TEA], SUP, "office", "test")
    hub_catalogue.put_carriers(hub, [KYE], SUP, "office", "test")
    hub_catalogue.put_rates(hub, ZTO_RATES, SUP, "office", "test")
    hub_catalogue.put_routing(hub, RULES, SUP, "office", "test")
    hub_catalogue.add_user(
        hub, users.HashedAccount("李四", Role.PACKER, users.hash_pin("2468")), SUP, "office"
    )


def test_what_is_set_at_the_hub_reaches_two_benches_and_the_pin_works(
    benches: Benches, hub: psycopg.Connection
) -> None:
    set_everything(hub)
    for name in ("bench-1", "bench-2"):
        summary = benches.pull(name)
        assert summary.endswith(", 2 products, 1 carriers, 1 rates, 1 routing, 1 users"), summary
        db = benches.db(name)
        found = orders.find_product(db, "TEA250")
        assert found is not None and (found.sku, found.weight_g) == ("TEA-LJ250", 260)
        assert found.declared_value_fen == 5900 and set(found.barcodes) == set(TEA.barcodes)
        assert catalogue.entries(db)["KYE"] == KYE
        zto_standard = [r for r in catalogue.rates(db) if (r.carrier, r.service) == ZTO]
        assert zto_standard == sorted(ZTO_RATES, key=lambda r: r.zone)
        assert (benches.folder(name) / RULES_FILE).read_text(encoding="utf-8") == RULES
        signed = users.sign_in(db, "李四", "2468")
        assert signed is not None and signed.role is Role.PACKER
        assert users.sign_in(db, "李四", "1357") is None
    stored = hub.execute("SELECT pin_hash FROM users WHERE name = '李四'").fetchone()[0]
    assert "2468" not in stored and stored.startswith("scrypt$")
    assert users.pin_matches("2468", stored)


def test_an_offline_bench_keeps_its_copy_and_its_people_sign_in(
    benches: Benches, hub: psycopg.Connection
) -> None:
    set_everything(hub)
    benches.pull("bench-1")
    with pytest.raises(TargetProblem) as cut:
        benches.pull("bench-1", "postgresql://x:y@127.0.0.1:1/station")
    assert cut.value.offline
    db = benches.db("bench-1")
    assert orders.find_product(db, "6901234567892") is not None
    assert "KYE" in catalogue.entries(db)
    assert users.sign_in(db, "李四", "2468") is not None
    assert (benches.folder("bench-1") / RULES_FILE).read_text(encoding="utf-8") == RULES


def test_a_user_removed_at_the_hub_cannot_sign_in_after_the_next_pull(
    benches: Benches, hub: psycopg.Connection
) -> None:
    set_everything(hub)
    benches.pull("bench-1")
    db = benches.db("bench-1")
    assert users.sign_in(db, "李四", "2468") is not None
    assert hub_catalogue.remove_user(hub, "李四", SUP, "office")
    assert not hub_catalogue.remove_user(hub, "李四", SUP, "office")  # already removed
    assert users.sign_in(db, "李四", "2468") is not None  # not pulled yet: still the copy
    assert benches.pull("bench-1").endswith(", 1 users")
    assert users.sign_in(db, "李四", "2468") is None
    assert [a.active for a in users.accounts(db) if a.name == "李四"] == [False]
    local = db.execute(
        "SELECT actor, action, subject, detail FROM audit WHERE action = 'users' ORDER BY id"
    ).fetchall()
    assert local == [
        ("hub", "users", "李四", '{"active": true, "role": "packer"}'),
        ("hub", "users", "李四", '{"active": false, "role": "packer"}'),
    ]
    audit = hub.execute(
        "SELECT actor, action, detail FROM audit WHERE action = 'catalogue_users' ORDER BY id"
    ).fetchall()
    assert audit == [(SUP, "catalogue_users", "add 李四 (packer)"), (SUP, "catalogue_users",
                     "remove 李四")]  # fmt: skip


def test_a_new_pin_at_the_hub_replaces_the_old_one_and_its_lockout_count(
    benches: Benches, hub: psycopg.Connection
) -> None:
    set_everything(hub)
    benches.pull("bench-1")
    db = benches.db("bench-1")
    for _ in range(users.PIN_TRIES - 1):
        assert users.sign_in(db, "李四", "0000") is None
    hub_catalogue.put_accounts(
        hub, [users.HashedAccount("李四", Role.SUPERVISOR, users.hash_pin("8642"))], SUP, "o", "t"
    )
    benches.pull("bench-1")
    assert users.sign_in(db, "李四", "2468") is None  # the old PIN: one more wrong try
    signed = users.sign_in(db, "李四", "8642")  # not locked: the count started afresh
    assert signed is not None and signed.role is Role.SUPERVISOR


def test_a_bench_pulls_only_what_changed_since_its_last_pull(
    benches: Benches, hub: psycopg.Connection
) -> None:
    set_everything(hub)
    pull = CataloguePull(benches.folder("bench-1"))
    db = benches.db("bench-1")
    assert pull.pull(hub, db) == {
        Kind.PRODUCTS: 2, Kind.CARRIERS: 1, Kind.RATES: 1, Kind.ROUTING: 1, Kind.USERS: 1
    }  # fmt: skip
    assert pull.pull(hub, db) == {}
    set_everything_again = hub_catalogue.put_products(hub, [CUP, TEA], SUP, "office", "again")
    assert set_everything_again == 0  # the same file again changes no revision
    assert hub_catalogue.put_rates(hub, ZTO_RATES, SUP, "office", "again") == []
    assert not hub_catalogue.put_routing(hub, RULES, SUP, "office", "again")
    heavier = Product(**{**hub_catalogue.product_json(CUP), "weight_g": 450, "barcodes": ()})
    heavier = Product(**{**hub_catalogue.product_json(heavier), "barcodes": CUP.barcodes})
    assert hub_catalogue.put_products(hub, [heavier], SUP, "office", "heavier") == 1
    assert pull.pull(hub, db) == {Kind.PRODUCTS: 1}
    assert orders.find_product(db, "CUP-350").weight_g == 450
    assert pull.pull(hub, db) == {}


def test_a_barcode_moved_to_another_product_moves_at_the_benches(
    benches: Benches, hub: psycopg.Connection
) -> None:
    hub_catalogue.put_products(hub, [CUP, TEA], SUP, "office", "test")
    benches.pull("bench-1")
    mug = Product("MUG-1", "马克杯", ("TEA250",), 300)
    hub_catalogue.put_products(hub, [mug], SUP, "office", "test")
    tea = hub.execute("SELECT data FROM products WHERE sku = 'TEA-LJ250'").fetchone()[0]
    assert tea["barcodes"] == ["6909876543210"]
    benches.pull("bench-1")
    benches.pull("bench-2")  # a bench that sees both changes at once
    for name in ("bench-1", "bench-2"):
        assert orders.find_product(benches.db(name), "TEA250").sku == "MUG-1"
        assert orders.find_product(benches.db(name), "6909876543210").sku == "TEA-LJ250"


def test_a_writer_that_commits_late_is_never_skipped_by_a_bench(
    benches: Benches, hub: psycopg.Connection, hub_url: str
) -> None:
    """The revision of a write still open is below that of a later writer; the
    table lock makes the later one wait, so no bench pulls past the open one."""
    db = benches.db("bench-1")
    pull = CataloguePull(None)
    late = connect(hub_url)
    done = threading.Event()

    def second_writer() -> None:
        with connect(hub_url) as other:
            hub_catalogue.put_products(other, [TEA], SUP, "office", "second")
        done.set()

    try:
        with late.transaction():
            hub_catalogue.put_products(late, [CUP], SUP, "office", "first")
            writer = threading.Thread(target=second_writer)
            writer.start()
            while not done.is_set() and not _waiting_on_a_lock(hub):
                done.wait(0.01)
            pull.pull(hub, db)  # sees neither, or (without the lock) the second alone
        writer.join()
        pull.pull(hub, db)
    finally:
        late.close()
    assert orders.find_product(db, "CUP-350") is not None
    assert orders.find_product(db, "TEA-LJ250") is not None


def _waiting_on_a_lock(hub: psycopg.Connection) -> bool:
    row = hub.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()"
    ).fetchone()
    return bool(row and row[0])


def test_local_changes_are_refused_once_the_bench_takes_that_kind_from_the_hub(
    benches: Benches, hub: psycopg.Connection
) -> None:
    db = benches.db("bench-1")
    settings = Settings.load(benches.folder("bench-1"))
    hub_catalogue.put_products(hub, [CUP], SUP, "office", "test")
    benches.pull("bench-1")
    refusal = local_refusal(db, settings, Kind.PRODUCTS)
    assert refusal is not None and "station hub products import FILE" in refusal
    assert local_refusal(db, settings, Kind.USERS) is None  # the hub has set no users
    assert local_refusal(db, settings.with_values(hub__url=""), Kind.PRODUCTS) is None


def test_a_hub_without_the_catalogue_schema_still_serves_orders(
    benches: Benches, hub: psycopg.Connection
) -> None:
    """A bench upgraded before its hub: the hub as schema version 1 left it."""
    hub.execute(
        "DROP TABLE products, carriers, rate_tables, routing_rules, users; "
        "DROP SEQUENCE catalogue_revision; UPDATE hub_version SET version = 1"
    )
    assert benches.pull("bench-1") == "hub: 0 orders, 0 numbers, 0 releases, 0 alerts"


def test_the_built_in_carriers_are_what_a_carriers_file_is_merged_onto(
    hub: psycopg.Connection,
) -> None:
    known = hub_catalogue.known_carriers(hub)
    assert known["ZTO"].carrier == CARRIERS["ZTO"]
    hub_catalogue.put_carriers(
        hub, [CarrierEntry(CARRIERS["ZTO"], active=False)], SUP, "office", "t"
    )
    assert not hub_catalogue.known_carriers(hub)["ZTO"].active


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(
    sku=_text.filter(str.strip),
    name=_text,
    barcodes=st.lists(_text.filter(str.strip), max_size=4, unique=True),
    weight=st.none() | st.integers(0, 10**7),
    value=st.none() | st.integers(0, 10**9),
)
def test_a_product_goes_through_the_hub_json_unchanged(sku, name, barcodes, weight, value) -> None:
    product = Product(sku, name, tuple(barcodes), weight, None, name[:3], value, name[::-1])
    sent = json.loads(json.dumps(hub_catalogue.product_json(product)))
    assert hub_catalogue.product_from_json(sent) == product


@given(
    provinces=st.lists(_text.filter(str.strip), min_size=1, max_size=5),
    numbers=st.tuples(*[st.integers(0, 10**6)] * 3),
)
def test_a_rate_goes_through_the_hub_json_unchanged(provinces, numbers) -> None:
    rate = Rate("ZTO", "standard", "z", tuple(provinces), *numbers)
    assert (
        hub_catalogue.rate_from_json(json.loads(json.dumps(hub_catalogue.rate_json(rate)))) == rate
    )


def test_rules_a_bench_cannot_read_are_not_written_and_do_not_stop_the_pull(
    benches: Benches, hub: psycopg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    """Rules from a newer station (a condition this one does not know) keep the
    bench's own file; everything else is still pulled."""
    hub.execute(
        "INSERT INTO routing_rules (rules) VALUES (%s)", ['[[rule]]\nmoon_phase = "full"\n']
    )
    hub_catalogue.put_products(hub, [CUP], SUP, "office", "test")
    own = benches.folder("bench-1") / RULES_FILE
    benches.db("bench-1")
    own.write_text(RULES, encoding="utf-8")
    assert benches.pull("bench-1").endswith(", 1 products")
    assert own.read_text(encoding="utf-8") == RULES
    assert "routing rules are not used here" in caplog.text

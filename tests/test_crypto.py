"""Privacy at rest: personal data encrypted in the files, readable through the store."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st
from multiprocess import bytes_read_elsewhere
from test_sync_fakes import MemoryKeyring

from station.core.model import Contact
from station.demo import seed
from station.store import migrations
from station.store.crypto import (
    KEY_FILE,
    KEY_STORE_ENV,
    PERSONAL_COLUMNS,
    SERVICE,
    FieldCipher,
    KeyUnavailable,
    is_sealed,
    phone_last4,
)
from station.store.db import DB_FILE, connect, folder_keys
from station.store.integrity import open_checked
from station.store.orders import NewLine, find_order, save_order
from station.store.search import find_shipments
from tests.shipments_factory import make_shipment

CIPHER = FieldCipher(bytes(range(32)))


def raw_files(folder: Path) -> bytes:
    return bytes_read_elsewhere(*sorted(folder.glob(f"{DB_FILE}*")))


def test_round_trip_and_fresh_nonces() -> None:
    sealed = CIPHER.seal("address", "浙江省杭州市西湖区文三路 90 号")
    assert is_sealed(sealed) and "文三路" not in sealed
    assert CIPHER.open("address", sealed) == "浙江省杭州市西湖区文三路 90 号"
    assert CIPHER.seal("address", "x") != CIPHER.seal("address", "x")
    assert CIPHER.seal("address", "") == ""
    assert CIPHER.open("address", "plain text from before") == "plain text from before"


@given(column=st.sampled_from(PERSONAL_COLUMNS), text=st.text())
def test_any_text_round_trips(column: str, text: str) -> None:
    assert CIPHER.open(column, CIPHER.seal(column, text)) == text


def test_a_value_moved_to_another_column_or_altered_does_not_decrypt() -> None:
    sealed = CIPHER.seal("recipient_name", "王伟")
    with pytest.raises(KeyUnavailable):
        CIPHER.open("address", sealed)
    flipped = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(KeyUnavailable):
        CIPHER.open("recipient_name", flipped)
    with pytest.raises(KeyUnavailable):
        FieldCipher(bytes(32)).open("recipient_name", sealed)


@given(column=st.sampled_from(PERSONAL_COLUMNS), texts=st.lists(st.text(), max_size=20))
def test_a_batch_seals_each_value_like_one_at_a_time(column: str, texts: list[str]) -> None:
    sealed = CIPHER.seal_many(column, texts)
    assert [CIPHER.open(column, s) for s in sealed] == texts
    assert all(is_sealed(s) for s, t in zip(sealed, texts, strict=True) if t)
    nonces = [s for s, t in zip(sealed, texts, strict=True) if t]
    assert len(set(nonces)) == len(nonces)


def test_no_index_holds_ciphertext(db: sqlite_utils.Database) -> None:
    """An index on an encrypted column is never used and slows every import."""
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' "
        "AND sql IS NOT NULL"
    ).fetchall()
    assert {name for name, _ in indexes} >= {"orders_phone_last4_clear", "orders_name_index"}
    for name, sql in indexes:
        assert not any(column in sql for column in PERSONAL_COLUMNS), name


@pytest.mark.parametrize(
    ("phone", "last4"),
    [("13812345678", "5678"), ("138-1234-5678", "5678"), ("13812345678-1234", "1234"), ("", "")],
)
def test_phone_last4(phone: str, last4: str) -> None:
    assert phone_last4(phone) == last4


def test_demo_data_has_no_plaintext_personal_data_in_the_files(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    seed(db, orders=60)
    numbers = [n for (n,) in db.execute("SELECT order_no FROM orders")]
    people = [find_order(db, n).recipient for n in numbers]
    assert len(people) == 60 and all(p.name and p.phone and p.address for p in people)
    raw = raw_files(data_dir)
    assert (data_dir / f"{DB_FILE}-wal").stat().st_size > 0
    for person in people:
        for secret in (person.name, person.phone, person.address):
            assert secret.encode() not in raw, secret
    stored = db.execute(f"SELECT {', '.join(PERSONAL_COLUMNS)} FROM orders").fetchall()
    assert all(is_sealed(value) for row in stored for value in row)


def _version_before_encryption() -> int:
    return migrations.STEPS.index(migrations._privacy_at_rest)


def _plaintext_database(path: Path) -> None:
    """A database as the station left it before encryption, with two orders."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    db = sqlite_utils.Database(conn)
    for version, step in enumerate(migrations.STEPS[: _version_before_encryption()], start=1):
        step(db, folder_keys(db))
        db.execute(f"PRAGMA user_version={version}")
    for n, (name, phone, address) in enumerate(
        [
            ("欧阳娜娜", "13700001111", "四川省成都市武侯区梧桐路77号"),
            ("司马光明", "15900002222", "江苏省南京市玄武区紫金路8号"),
        ]
    ):
        db.execute(
            "INSERT INTO orders (order_no, recipient_name, recipient_phone, address, province, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, '四川省', 'now', 'now')",
            (f"OLD{n}", name, phone, address),
        )
    conn.close()


def test_the_migration_encrypts_existing_rows_and_leaves_no_plaintext(data_dir: Path) -> None:
    path = data_dir / DB_FILE
    _plaintext_database(path)
    assert b"\xe6\xac\xa7\xe9\x98\xb3" in path.read_bytes()  # 欧阳 is there, in clear
    db = open_checked(path)
    order = find_order(db, "OLD0")
    assert order is not None
    assert order.recipient == Contact(
        "欧阳娜娜", "13700001111", "四川省成都市武侯区梧桐路77号", province="四川省"
    )
    assert db.execute("SELECT phone_last4 FROM orders WHERE order_no = 'OLD1'").fetchone() == (
        "2222",
    )
    raw = raw_files(data_dir)
    for secret in ("欧阳娜娜", "13700001111", "梧桐路", "司马光明", "15900002222", "紫金路"):
        assert secret.encode() not in raw, secret
    db.close()


def test_search_by_last_four_digits_and_numbers(db: sqlite_utils.Database) -> None:
    now = datetime.now().astimezone()
    a = make_shipment(db, now, name="王小明", phone="13900004321")
    make_shipment(db, now, name="李四", phone="13900008765")
    found = find_shipments(db, "4321")
    assert [(f.order_no, f.recipient_name, f.recipient_phone) for f in found] == [
        (a.order_no, "王小明", "13900004321")
    ]
    assert [f.order_no for f in find_shipments(db, a.tracking_no)] == [a.order_no]
    assert [f.order_no for f in find_shipments(db, a.order_no)] == [a.order_no]


def _order(db: sqlite_utils.Database) -> None:
    save_order(
        db, "K1", Contact("王伟", "13812345678", "上海市浦东新区1号"), [NewLine("X", "x", 1)]
    )


def test_without_keyring_the_key_file_is_private_and_a_warning_says_so(
    data_dir: Path, monkeypatch, caplog
) -> None:
    monkeypatch.setenv(KEY_STORE_ENV, "file")
    db = connect(data_dir / DB_FILE)
    with caplog.at_level(logging.WARNING, "station.store.crypto"):
        _order(db)
    key_file = data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "No OS keyring is available" in caplog.text
    db.close()


@pytest.fixture
def keyring_store(monkeypatch, memory_keyring: MemoryKeyring) -> MemoryKeyring:
    """The key goes to the (in-memory) keyring, not to a key file."""
    monkeypatch.setenv(KEY_STORE_ENV, "keyring")
    return memory_keyring


def test_with_a_keyring_the_key_lives_there_per_data_folder(
    data_dir: Path, keyring_store: MemoryKeyring
) -> None:
    db = connect(data_dir / DB_FILE)
    _order(db)
    db.close()
    assert not (data_dir / KEY_FILE).exists()
    assert list(keyring_store.values) == [(SERVICE, f"data-key:{data_dir.resolve()}")]
    again = connect(data_dir / DB_FILE)
    assert find_order(again, "K1").recipient.name == "王伟"
    again.close()


def test_a_missing_key_is_refused_never_replaced(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv(KEY_STORE_ENV, "file")
    db = connect(data_dir / DB_FILE)
    _order(db)
    db.close()
    (data_dir / KEY_FILE).unlink()
    again = connect(data_dir / DB_FILE)
    with pytest.raises(KeyUnavailable, match="encrypted, but its key"):
        find_order(again, "K1")
    again.close()
    with pytest.raises(KeyUnavailable, match="encrypted, but its key"):
        open_checked(data_dir / DB_FILE)
    assert not (data_dir / KEY_FILE).exists()


def test_a_different_key_is_refused(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv(KEY_STORE_ENV, "file")
    db = connect(data_dir / DB_FILE)
    _order(db)
    db.close()
    (data_dir / KEY_FILE).write_text("A" * 43 + "=\n")
    os.chmod(data_dir / KEY_FILE, 0o600)
    again = connect(data_dir / DB_FILE)
    with pytest.raises(KeyUnavailable, match="not the key"):
        find_order(again, "K1")
    again.close()


def test_an_in_memory_database_works_without_a_key() -> None:
    db = connect(":memory:")
    _order(db)
    assert find_order(db, "K1").recipient.phone == "13812345678"
    assert is_sealed(db.execute("SELECT recipient_phone FROM orders").fetchone()[0])
    db.close()


def test_name_fingerprint_is_keyed_and_ignores_spaces_and_case() -> None:
    from station.store.crypto import FieldCipher

    one, other = FieldCipher(b"k" * 32), FieldCipher(b"j" * 32)
    assert one.blind("Zhang San") == one.blind(" zhang  san ")
    assert one.blind("张三") != other.blind("张三")
    assert one.blind("张三") != one.blind("张四")
    assert one.blind("") == ""


def test_a_fingerprint_depends_on_the_key_and_the_purpose() -> None:
    from station.store.crypto import FieldCipher

    one, other = FieldCipher(b"k" * 32), FieldCipher(b"j" * 32)
    assert one.digest("order-dedupe", "张三|138") == one.digest("order-dedupe", "张三|138")
    assert one.digest("order-dedupe", "张三|138") != other.digest("order-dedupe", "张三|138")
    assert one.digest("order-dedupe", "张三|138") != one.digest("name-index", "张三|138")
    assert len(one.digest("order-dedupe", "")) == 24

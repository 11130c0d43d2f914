"""Retention: personal data of old shipments is erased, and really gone from the files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from multiprocess import bytes_read_elsewhere
from shipments_factory import make_shipment

from station.cli import main
from station.core.model import Contact, OrderStatus
from station.core.permissions import AuditEvent
from station.settings import Settings
from station.store.crypto import PERSONAL_COLUMNS, reveal
from station.store.db import DB_FILE, iso, transaction
from station.store.orders import NewLine, find_order, save_order
from station.store.outbox import save_ref
from station.store.retention import purge_expired, purge_personal_data

NOW = datetime(2029, 6, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=4 * 365)
RECENT = NOW - timedelta(days=365)
NAME, PHONE, STREET = "欧阳娜娜", "13700001111", "梧桐路77号"


def shipped(db: sqlite_utils.Database, when: datetime, name: str = NAME, phone: str = PHONE):
    made = make_shipment(db, when, name=name, phone=phone)
    with transaction(db):
        db.execute(
            "UPDATE orders SET province = '浙江省', city = '杭州市', district = '西湖区', "
            "address = ?, buyer_note = ?, dedupe_key = 'abc' WHERE order_no = ?",
            (f"浙江省杭州市西湖区{STREET}", f"请打 {phone}", made.order_no),
        )
    return made


def order_row(db: sqlite_utils.Database, order_no: str) -> dict:
    """The stored row with its personal columns decrypted."""
    row = next(db.query("SELECT * FROM orders WHERE order_no = ?", [order_no]))
    return row | {c: reveal(db, c, row[c]) for c in PERSONAL_COLUMNS}


def test_old_shipments_are_erased_and_recent_ones_kept(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    recent = shipped(db, RECENT, name="李雷", phone="13900002222")
    purged = purge_personal_data(db, 1095, NOW)
    assert purged.orders == (old.order_no,)
    assert purged.cutoff == iso(NOW - timedelta(days=1095))
    row = order_row(db, old.order_no)
    assert {k: row[k] for k in ("recipient_name", "recipient_phone", "address", "city")} == {
        "recipient_name": "",
        "recipient_phone": "",
        "address": "",
        "city": "",
    }
    assert (row["district"], row["buyer_note"], row["dedupe_key"], row["phone_last4"]) == (
        "",
        "",
        "",
        "",
    )
    assert row["name_index"] == ""
    assert row["province"] == "浙江省" and row["status"] == "shipped"
    shipment = next(db.query("SELECT * FROM shipments WHERE order_no = ?", [old.order_no]))
    assert shipment["tracking_no"] == old.tracking_no and shipment["weight_g"] == 500
    assert find_order(db, recent.order_no).recipient.name == "李雷"
    assert purge_personal_data(db, 1095, NOW).count == 0


def test_dry_run_changes_nothing(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    assert purge_personal_data(db, 1095, NOW, dry_run=True).orders == (old.order_no,)
    assert order_row(db, old.order_no)["recipient_name"] == NAME


def test_orders_never_shipped_expire_after_their_last_change(db: sqlite_utils.Database) -> None:
    """Open, held and cancelled orders that never left keep no address forever; one
    changed within the period is kept."""
    contact = Contact(NAME, PHONE, f"浙江省杭州市{STREET}", "浙江省", "杭州市")
    statuses = {
        "C1": OrderStatus.CANCELLED,
        "H1": OrderStatus.HOLD,
        "O1": OrderStatus.OPEN,
        "O2": OrderStatus.OPEN,
    }
    for order_no, status in statuses.items():
        save_order(db, order_no, contact, [NewLine("X", "x", 1)], status=status.value)
    db.execute("UPDATE orders SET updated_at = ?", [iso(OLD)])
    db.execute("UPDATE orders SET updated_at = ? WHERE order_no = 'O2'", [iso(RECENT)])
    assert purge_personal_data(db, 1095, NOW).orders == ("C1", "H1", "O1")
    assert order_row(db, "O1")["recipient_name"] == ""
    assert order_row(db, "O2")["recipient_name"] == NAME


def test_an_order_shipped_again_recently_is_kept(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    db.execute("UPDATE shipments SET voided_at = ? WHERE order_no = ?", [iso(OLD), old.order_no])
    db.execute(
        """INSERT INTO shipments (order_no, carrier, tracking_no, tracking_source, weight_g,
             packer, station, started_at, recorded_at)
           VALUES (?, 'ZTO', 'RESHIP1', 'scanned', 400, 'li', 'b', ?, ?)""",
        (old.order_no, iso(RECENT), iso(RECENT)),
    )
    assert purge_personal_data(db, 1095, NOW).count == 0


def test_derived_data_goes_too(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    db.execute(
        "INSERT INTO order_flags (order_no, kind, detail) VALUES (?, 'address', ?)",
        (old.order_no, f"address: {STREET} looks incomplete"),
    )
    db.execute(
        """INSERT INTO outbox (event, shipment_id, order_no, idempotency_key, payload, state,
             created_at) VALUES ('shipment.recorded', ?, ?, 'k1', ?, 'done', ?)""",
        (
            old.shipment_id,
            old.order_no,
            json.dumps({"receiver_contact": "137****1111", "tracking_no": old.tracking_no}),
            iso(OLD),
        ),
    )
    purge_personal_data(db, 1095, NOW)
    assert db.execute("SELECT count(*) FROM order_flags").fetchone()[0] == 0
    payload = json.loads(db.execute("SELECT payload FROM outbox").fetchone()[0])
    assert payload == {"receiver_contact": "", "tracking_no": old.tracking_no}
    entry = next(db.query("SELECT * FROM audit WHERE action = ?", [AuditEvent.PRIVACY_PURGE.value]))
    assert json.loads(entry["detail"])["orders"] == 1


def test_the_payer_openid_goes_with_the_order(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    recent = shipped(db, RECENT, name="李雷", phone="13900002222")
    with transaction(db):
        for made, openid in ((old, "oPAYER-OLD"), (recent, "oPAYER-NEW")):
            save_ref(db, made.order_no, "miniprogram", {"openid": openid}, iso(OLD))
    purge_personal_data(db, 1095, NOW)
    assert db.execute("SELECT order_no FROM order_refs").fetchall() == [(recent.order_no,)]


def test_refs_left_by_an_earlier_purge_are_erased_too(db: sqlite_utils.Database) -> None:
    old = shipped(db, OLD)
    purge_personal_data(db, 1095, NOW)
    with transaction(db):  # as a purge before refs were erased left it
        save_ref(db, old.order_no, "miniprogram", {"openid": "oPAYER"}, iso(OLD))
    assert purge_personal_data(db, 1095, NOW).orders == (old.order_no,)
    assert db.execute("SELECT count(*) FROM order_refs").fetchone()[0] == 0


def test_erased_values_are_gone_from_the_database_files(
    db: sqlite_utils.Database, data_dir: Path
) -> None:
    db.execute("PRAGMA secure_delete = OFF")  # the default of many builds (Windows' Python)
    for _ in range(3):
        shipped(db, OLD)
    purge_personal_data(db, 1095, NOW)
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 0
    raw = bytes_read_elsewhere(*data_dir.glob(f"{DB_FILE}*"))
    for secret in (NAME, PHONE, STREET):
        assert secret.encode() not in raw, secret


def test_daily_purge_follows_the_setting(db: sqlite_utils.Database, settings: Settings) -> None:
    old = shipped(db, OLD)
    assert purge_expired(db, settings.with_values(privacy__retention_days=0), NOW) is None
    assert settings["privacy.retention_days"] == 1095
    result = purge_expired(db, settings, NOW)
    assert result is not None and result.orders == (old.order_no,)
    with pytest.raises(ValueError):
        purge_personal_data(db, 0, NOW)


def test_purge_command(db: sqlite_utils.Database, data_dir: Path, settings, capsys) -> None:
    old = shipped(db, datetime.now(UTC) - timedelta(days=1200))
    shipped(db, datetime.now(UTC) - timedelta(days=10))
    assert main(["--data-dir", str(data_dir), "db", "purge", "--dry-run"]) == 0
    assert "1 orders shipped or closed before" in capsys.readouterr().out
    assert order_row(db, old.order_no)["recipient_name"] == NAME
    assert main(["--data-dir", str(data_dir), "db", "purge"]) == 0
    assert "personal data erased" in capsys.readouterr().out
    assert order_row(db, old.order_no)["recipient_name"] == ""
    settings.save(privacy__retention_days=0)
    assert main(["--data-dir", str(data_dir), "db", "purge"]) == 0
    assert "kept; nothing to erase" in capsys.readouterr().out

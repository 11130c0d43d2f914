"""Roles: who may sign in, override, reprint, void and change settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from station.app.settings_change import SettingsChange
from station.bench import Bench
from station.core.permissions import Action, PermissionDenied, Role
from station.settings import Settings
from station.store import audit
from station.store.search import void_shipment
from station.store.users import accounts, add_user, authorize, set_active, sign_in
from tests.packing_flow_helpers import weighed_bench
from tests.shipments_factory import make_shipment


@pytest.fixture
def people(db: sqlite_utils.Database) -> dict[str, object]:
    return {
        "packer": add_user(db, "li", Role.PACKER, "1111"),
        "supervisor": add_user(db, "wang", Role.SUPERVISOR, "2222"),
        "admin": add_user(db, "zhao", Role.ADMIN, "33334444"),
    }


def test_sign_in_needs_the_name_and_its_own_pin(db, people) -> None:
    assert sign_in(db, "li", "1111") == people["packer"]
    assert sign_in(db, "li", "2222") is None
    assert sign_in(db, "nobody", "1111") is None


def test_a_disabled_user_can_neither_sign_in_nor_authorize(db, people) -> None:
    assert set_active(db, "wang", False)
    assert sign_in(db, "wang", "2222") is None
    assert authorize(db, "2222", Action.VOID) is None
    assert [a.name for a in accounts(db, active_only=True)] == ["li", "zhao"]


def test_pins_are_stored_as_salted_scrypt_hashes(db, people) -> None:
    hashes = [h for (h,) in db.execute("SELECT pin_hash FROM users")]
    assert all(h.startswith("scrypt$") and "1111" not in h for h in hashes)
    add_user(db, "twin", Role.PACKER, "1111")
    same_pin = [h for (h,) in db.execute("SELECT pin_hash FROM users WHERE name IN ('li','twin')")]
    assert same_pin[0] != same_pin[1]


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.SIGN_IN, {"packer", "supervisor", "admin"}),
        (Action.REPRINT_LAST, {"packer", "supervisor", "admin"}),
        (Action.OVERRIDE, {"supervisor", "admin"}),
        (Action.REPRINT, {"supervisor", "admin"}),
        (Action.VOID, {"supervisor", "admin"}),
        (Action.SETTINGS, {"admin"}),
        (Action.USERS, {"admin"}),
    ],
)
def test_each_action_needs_its_role(db, people, action: Action, allowed: set[str]) -> None:
    pins = {"packer": "1111", "supervisor": "2222", "admin": "33334444"}
    granted = {who for who, pin in pins.items() if authorize(db, pin, action) is not None}
    assert granted == allowed


def test_a_packer_cannot_void(db, people) -> None:
    made = make_shipment(db, datetime.now().astimezone())
    with pytest.raises(PermissionDenied):
        void_shipment(db, made.shipment_id, people["packer"], "wrong item", "bench-1")
    assert db.execute("SELECT voided_at FROM shipments").fetchone()[0] is None
    assert audit.entries(db) == []


def test_settings_changes_need_an_admin(db, people, settings: Settings) -> None:
    change = SettingsChange(db, settings)
    with pytest.raises(PermissionDenied):
        change.save(people["supervisor"], "faster", {"lock.idle_minutes": 1})
    assert Settings.load(settings.path.parent)["lock.idle_minutes"] == 5
    admin = people["admin"]
    changed = change.save(admin, "busy bench", {"lock.idle_minutes": 2})
    assert changed["lock.idle_minutes"] == 2
    [entry] = audit.entries(db, Action.SETTINGS)
    assert (entry.actor, entry.role, entry.subject) == ("zhao", "admin", "lock.idle_minutes")
    assert entry.detail == {"old": 5, "new": 2} and entry.reason == "busy bench"


def _recorded_bench(demo_db: sqlite_utils.Database, settings: Settings, labels: Path) -> Bench:
    bench = weighed_bench(demo_db, settings, labels)
    assert bench.message.message.key == "printed"
    return bench


def test_a_packer_reprints_the_last_label_once_then_needs_a_supervisor(
    demo_db: sqlite_utils.Database, settings: Settings, tmp_path: Path
) -> None:
    bench = _recorded_bench(demo_db, settings, tmp_path / "labels")
    bench.scan("CMD-REPRINT")
    assert bench.message.message.key == "reprinted"
    refused = bench.scan("CMD-REPRINT")
    assert refused.message.key == "reprint_needs_supervisor"
    assert demo_db.execute("SELECT print_count FROM shipments").fetchone()[0] == 2
    assert len(list((tmp_path / "labels").glob("*.pdf"))) == 2
    [entry] = audit.entries(demo_db, Action.REPRINT_LAST)
    assert entry.actor == "packer" and entry.role == "packer"
    assert entry.subject == bench.last.tracking_no

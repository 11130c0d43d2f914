"""The reprint use case: one policy for the bench, the search window and the CLI.

Real SQLite file, real PDF printer, a real refused TCP connection for a printer
that is off."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.app.reprint import Reprint, Reprinted, ReprintRefused
from station.core.permissions import Action, PermissionDenied, Role
from station.settings import Settings
from station.store import audit
from station.store.users import add_user
from tests.shipments_factory import make_shipment


def closed_port() -> int:
    """A local TCP port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def label(db: sqlite_utils.Database, shipment_id: int) -> tuple:
    return db.execute(
        "SELECT print_count, label_status, label_error FROM shipments WHERE id = ?",
        [shipment_id],
    ).fetchone()


@pytest.fixture
def boss(db: sqlite_utils.Database):
    return add_user(db, "wang", Role.SUPERVISOR, "2222")


def test_a_supervised_reprint_is_audited_printed_and_counted(
    db, settings: Settings, tmp_path: Path, boss
) -> None:
    made = make_shipment(db, datetime.now().astimezone())
    labels = tmp_path / "labels"
    reprints = Reprint(db, settings, open_printer(f"pdf:{labels}"))
    outcomes: list[Reprinted] = []
    reprints.supervised(made.shipment_id, reprints.supervisor("2222"), "torn", outcomes.append)
    [done] = outcomes
    assert done.printed and done.count == 2 and done.tracking_no == made.tracking_no
    assert done.result.path.parent == labels and done.result.path.exists()
    assert label(db, made.shipment_id) == (2, "printed", "")
    [entry] = audit.entries(db, Action.REPRINT)
    assert (entry.actor, entry.reason, entry.subject) == ("wang", "torn", made.tracking_no)


def test_a_failed_reprint_is_audited_and_recorded_on_the_shipment(
    db, settings: Settings, boss
) -> None:
    made = make_shipment(db, datetime.now().astimezone())
    printer = open_printer(f"escpos+tcp://127.0.0.1:{closed_port()}")
    reprints = Reprint(db, settings, printer)
    outcomes: list[Reprinted] = []
    reprints.supervised(made.shipment_id, boss, "jammed", outcomes.append)
    [failed] = outcomes
    assert not failed.printed and failed.count == 0 and failed.error
    count, status, error = label(db, made.shipment_id)
    assert count == 1 and status == "printed" and error == failed.error
    assert len(audit.entries(db, Action.REPRINT)) == 1


def test_only_a_supervisor_pin_signs_a_reprint(db, settings: Settings, tmp_path: Path) -> None:
    add_user(db, "li", Role.PACKER, "1111")
    reprints = Reprint(db, settings, open_printer(f"pdf:{tmp_path}"))
    for pin in ("1111", "9999"):
        with pytest.raises(PermissionDenied):
            reprints.supervisor(pin)


def test_a_voided_or_unknown_shipment_is_not_reprinted_nor_audited(
    db, settings: Settings, tmp_path: Path, boss
) -> None:
    voided = make_shipment(db, datetime.now().astimezone(), voided=True)
    labels = tmp_path / "labels"
    reprints = Reprint(db, settings, open_printer(f"pdf:{labels}"))
    for shipment_id in (voided.shipment_id, 9999):
        with pytest.raises(ReprintRefused):
            reprints.supervised(shipment_id, boss, "again", lambda _: None)
    assert audit.entries(db, Action.REPRINT) == [] and not labels.exists()


def test_the_packer_may_reprint_the_last_label_once(db, settings: Settings, tmp_path) -> None:
    made = make_shipment(db, datetime.now().astimezone())
    reprints = Reprint(db, settings, open_printer(f"pdf:{tmp_path}"))
    assert reprints.packer_may(made.shipment_id, "li")
    [entry] = audit.entries(db, Action.REPRINT_LAST)
    assert (entry.actor, entry.subject) == ("li", made.tracking_no)
    db.execute("UPDATE shipments SET print_count = 2 WHERE id = ?", [made.shipment_id])
    db.conn.commit()
    assert not reprints.packer_may(made.shipment_id, "li")
    assert len(audit.entries(db, Action.REPRINT_LAST)) == 1

"""`station print label` reprints a recorded shipment from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from printers import open_printer
from station.bench import Bench
from station.core.permissions import Action
from station.core.reading import Reading, ScaleLink
from station.demo import DEMO_PACKER_PIN, DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import audit, orders

SUPERVISOR = ("--as", "主管 Supervisor")


def station(data_dir: Path, *args: str, pin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "STATION_PIN"}
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env if pin is None else env | {"STATION_PIN": pin},
        stdin=subprocess.DEVNULL,
    )


ORDER = "WX20261121000002"


def ship_one(db, settings: Settings, data_dir: Path) -> str:
    """Pack and print one demo order at a real bench; returns its tracking number."""
    bench = Bench(db, settings, open_printer(f"pdf:{data_dir / 'first'}"))
    bench.scale_link(ScaleLink.CONNECTED)
    bench.scan(ORDER)
    for line in orders.find_order(db, ORDER).lines:
        for _ in range(line.quantity):
            bench.scan(line.sku)
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    return bench.last.tracking_no


def test_label_is_reprinted_marked_and_counted(demo_db, settings: Settings, data_dir: Path) -> None:
    tracking = ship_one(demo_db, settings, data_dir)

    again = f"pdf:{data_dir / 'again'}"
    out = station(
        data_dir,
        "print",
        "label",
        tracking,
        "--printer",
        again,
        *SUPERVISOR,
        pin=DEMO_SUPERVISOR_PIN,
    )
    assert out.returncode == 0, out.stderr
    assert "printed 2 time(s)" in out.stdout
    pdfs = list((data_dir / "again").glob("*.pdf"))
    assert len(pdfs) == 1
    import pypdfium2

    text = pypdfium2.PdfDocument(pdfs[0])[0].get_textpage().get_text_range()
    assert "补打" in text
    count = demo_db.execute("SELECT print_count FROM shipments").fetchone()[0]
    assert count == 2
    [entry] = audit.entries(demo_db, Action.REPRINT)
    assert (entry.actor, entry.role, entry.subject) == ("主管 Supervisor", "supervisor", tracking)
    assert entry.detail["print_count"] == 1


def test_a_reprint_needs_a_supervisor_as_in_the_window(
    demo_db, settings: Settings, data_dir: Path
) -> None:
    tracking = ship_one(demo_db, settings, data_dir)
    printer = f"pdf:{data_dir / 'again'}"
    nobody = station(data_dir, "print", "label", tracking, "--printer", printer)
    assert nobody.returncode == 2 and "needs a supervisor" in nobody.stderr
    packer = station(
        data_dir,
        "print",
        "label",
        tracking,
        "--printer",
        printer,
        "--as",
        "packer",
        pin=DEMO_PACKER_PIN,
    )
    assert packer.returncode == 2 and "needs a supervisor" in packer.stderr
    wrong = station(
        data_dir, "print", "label", tracking, "--printer", printer, *SUPERVISOR, pin="9999"
    )
    assert wrong.returncode == 2 and "wrong PIN" in wrong.stderr
    assert demo_db.execute("SELECT print_count FROM shipments").fetchone()[0] == 1
    assert audit.entries(demo_db, Action.REPRINT) == []
    assert not (data_dir / "again").exists()
    technician = station(data_dir, "print", "label", tracking, "--printer", printer, "--technician")
    assert technician.returncode == 0, technician.stderr
    [entry] = audit.entries(demo_db, Action.REPRINT)
    assert entry.actor.startswith("technician:") and entry.role == "technician"


def test_unknown_shipment_exits_4_with_a_clear_message(db, data_dir: Path) -> None:
    out = station(data_dir, "print", "label", "WX-NOPE", "--technician")
    assert out.returncode == 4
    assert "No shipment for 'WX-NOPE'" in out.stderr


def test_refused_printer_exits_1_and_marks_the_label_failed(demo_db, settings, data_dir) -> None:
    ship_one(demo_db, settings, data_dir)
    order_no = ORDER
    out = station(
        data_dir,
        "print",
        "label",
        order_no,
        "--printer",
        "escpos+tcp://127.0.0.1:9",
        "--technician",
    )
    assert out.returncode == 1 and out.stderr.strip()
    row = demo_db.execute("SELECT label_status, label_error FROM shipments").fetchone()
    assert row[0] == "printed" and row[1]


def test_labels_name_carrier_and_service_in_chinese(demo_db, settings: Settings) -> None:
    from station.labels import waybill_for
    from station.store import catalogue

    known = catalogue.carriers(demo_db, active_only=False)
    order = orders.find_order(demo_db, ORDER)
    waybill = waybill_for(
        replace(order, service="cold_chain"), "SF", "SF1023574470215", 900, settings, carriers=known
    )
    assert (waybill.carrier, waybill.service) == ("顺丰速运", "冷链")
    assert waybill_for(order, "XYZ", "1", 900, settings, carriers=known).carrier == "XYZ"


def test_a_voided_shipment_named_by_its_id_is_not_printed_nor_audited(
    demo_db, settings: Settings, data_dir: Path
) -> None:
    """As in the window's search: a voided shipment's label is never printed again."""
    from station.store.search import void_shipment
    from station.store.users import authorize

    ship_one(demo_db, settings, data_dir)
    shipment_id = demo_db.execute("SELECT id FROM shipments").fetchone()[0]
    boss = authorize(demo_db, DEMO_SUPERVISOR_PIN, Action.VOID)
    void_shipment(demo_db, shipment_id, boss, "label torn", "bench-1")
    out = station(
        data_dir,
        "print",
        "label",
        str(shipment_id),
        "--printer",
        f"pdf:{data_dir / 'again'}",
        "--technician",
    )
    assert out.returncode == 2 and "voided" in out.stderr
    assert not (data_dir / "again").exists() and audit.entries(demo_db, Action.REPRINT) == []

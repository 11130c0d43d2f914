"""Courier handover: a missing and an unexpected parcel flagged, then recorded."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlite_utils

from station.app.handover import Handovers
from station.core.handover import Handover, ShippedParcel, Unexpected
from station.store import handover as store
from tests.shipments_factory import make_shipment


def _parcel(n: int, carrier: str = "ZTO", voided: bool = False) -> ShippedParcel:
    return ShippedParcel(f"7300{n:010d}", f"T{n}", carrier, 500, "", voided=voided)


def test_core_flags_missing_and_unexpected_parcels() -> None:
    others = {p.tracking_no: p for p in (_parcel(8, "SF"), _parcel(9, voided=True))}
    handover = Handover("ZTO", [_parcel(1), _parcel(2), _parcel(3)], datetime.now(), others.get)
    assert handover.scan(_parcel(1).tracking_no, datetime.now()).message.key == "handover_ok"
    assert handover.scan(" " + _parcel(1).tracking_no.lower(), datetime.now()).message.key == (
        "handover_again"
    )
    assert handover.scan(_parcel(8).tracking_no, datetime.now()).message.key == (
        "handover_other_carrier"
    )
    assert handover.scan(_parcel(9).tracking_no, datetime.now()).message.key == "handover_voided"
    assert handover.scan("NOPE", datetime.now()).message.key == "handover_unknown"
    assert handover.scan(_parcel(2).tracking_no, datetime.now()).tone.value == "ok"
    assert [p.tracking_no for p in handover.missing] == [_parcel(3).tracking_no]
    assert {s.why for s in handover.strays.values()} == {
        Unexpected.OTHER_CARRIER,
        Unexpected.VOIDED,
        Unexpected.UNKNOWN,
    }
    assert not handover.complete
    assert handover.take_out("NOPE") and handover.take_out(_parcel(8).tracking_no)
    assert handover.take_out(_parcel(9).tracking_no)
    assert handover.scan(_parcel(3).tracking_no, datetime.now()).message.key == "handover_complete"
    assert handover.complete


@pytest.fixture
def parcels(db: sqlite_utils.Database) -> list[str]:
    now = datetime.now().astimezone()
    made = [make_shipment(db, now).tracking_no for _ in range(3)]
    make_shipment(db, now, carrier="SF", tracking_no="SF1023574470009")
    return made


def test_a_handover_with_one_missing_and_one_extra_is_recorded(
    db: sqlite_utils.Database, parcels: list[str]
) -> None:
    handover = Handovers(db, "bench-1", days=1).start("zto")
    assert sorted(handover.expected) == sorted(parcels)
    handover.scan(parcels[0], datetime.now().astimezone())
    handover.scan(parcels[1], datetime.now().astimezone())
    handover.scan("SF1023574470009", datetime.now().astimezone())
    handover_id = store.save(db, handover, "bench-1", "wang", "courier Liu")
    assert store.handover_items(db, handover_id) == {
        parcels[0]: "scanned",
        parcels[1]: "scanned",
        parcels[2]: "missing",
        "SF1023574470009": "unexpected",
    }
    row = db.execute(
        "SELECT carrier, expected, scanned, missing, unexpected, courier FROM handovers"
    ).fetchone()
    assert row == ("ZTO", 3, 2, 1, 1, "courier Liu")
    # only the missing parcel is still expected at the next pickup
    assert list(Handovers(db, "bench-1", days=1).start("ZTO").expected) == [parcels[2]]


def test_the_dialog_is_driven_by_scans_and_warns_before_finishing(
    qtbot, db: sqlite_utils.Database, parcels: list[str], monkeypatch, tmp_path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from station.ui.handover import HandoverDialog

    dialog = HandoverDialog(db, "bench-1", days=1, signed_by="wang")
    qtbot.addWidget(dialog)
    dialog.carrier_box.setCurrentIndex(dialog.carrier_box.findData("ZTO"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.missing_list.count() == 3
    for code in (parcels[0], "SF1023574470009"):
        qtbot.keyClicks(dialog.scan_edit, code)
        qtbot.keyClick(dialog.scan_edit, Qt.Key.Key_Return)
    assert dialog.missing_list.count() == 2 and dialog.bag_list.count() == 1
    assert dialog.stray_list.count() == 1 and "SF" in dialog.message.text()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    dialog._finish_clicked()
    assert asked and dialog.saved_id is None
    handover_id = dialog.finish()
    assert store.handover_items(db, handover_id)["SF1023574470009"] == "unexpected"
    csv_text = dialog.save_manifest(tmp_path / "bag.csv").read_text(encoding="utf-8-sig")
    assert parcels[0] in csv_text and parcels[1] not in csv_text


def test_the_carrier_with_parcels_waiting_comes_first_with_its_count(
    qtbot, db: sqlite_utils.Database, parcels: list[str]
) -> None:
    from station.ui.handover import HandoverDialog

    dialog = HandoverDialog(db, "bench-1", days=1, signed_by="wang")
    qtbot.addWidget(dialog)
    assert dialog.carrier_box.currentData() == "ZTO"
    assert dialog.carrier_box.currentText().endswith(f"ZTO ({len(parcels)})")
    assert dialog.carrier_box.itemData(1) == "SF" and dialog.carrier_box.itemText(1).endswith("(1)")
    assert store.pending_counts(db, days=1) == {"ZTO": len(parcels), "SF": 1}


def test_with_nothing_waiting_the_usual_carriers_come_first(
    qtbot, db: sqlite_utils.Database
) -> None:
    from station.ui.handover import HandoverDialog

    dialog = HandoverDialog(db, "bench-1", days=1, signed_by="wang")
    qtbot.addWidget(dialog)
    codes = [dialog.carrier_box.itemData(n) for n in range(dialog.carrier_box.count())]
    assert codes[:3] == ["SF", "ZTO", "YTO"]


def test_the_manifest_names_the_courier_and_the_shipper_and_offers_a_file_name(
    qtbot, db: sqlite_utils.Database, parcels: list[str], tmp_path
) -> None:
    """The courier's name typed in the dialog and who handed over are printed; the save
    dialog proposes a file named for the carrier and time; a stray says why in words."""
    import pypdfium2
    from PySide6.QtCore import Qt

    from station.ui.handover import HandoverDialog

    dialog = HandoverDialog(db, "bench-1", days=1, signed_by="王主管")
    qtbot.addWidget(dialog)
    dialog.carrier_box.setCurrentIndex(dialog.carrier_box.findData("ZTO"))
    dialog.start()
    for code in (parcels[0], "SF1023574470009"):
        qtbot.keyClicks(dialog.scan_edit, code)
        qtbot.keyClick(dialog.scan_edit, Qt.Key.Key_Return)
    assert "other_carrier" not in dialog.stray_list.item(0).text()
    assert "another carrier" in dialog.stray_list.item(0).text()
    dialog.courier_edit.setText("刘师傅")
    dialog.finish()
    suggested = dialog.suggested_path()
    assert suggested.suffix == ".pdf" and suggested.name.startswith("manifest-ZTO-")
    pdf = dialog.save_manifest(tmp_path / suggested.name)
    document = pypdfium2.PdfDocument(str(pdf))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert "刘师傅" in text and "王主管" in text and "bench-1" in text


def test_a_day_manifest_for_every_station_names_the_stations(
    db: sqlite_utils.Database, parcels: list[str]
) -> None:
    make_shipment(db, datetime.now().astimezone(), station="bench-2")
    manifest = store.manifest_for_day(db, "ZTO", datetime.now().astimezone().date())
    assert manifest.station == "bench-1, bench-2"
    assert store.manifest_for_day(db, "ZTO", manifest_day(), "bench-2").station == "bench-2"


def manifest_day():
    return datetime.now().astimezone().date()

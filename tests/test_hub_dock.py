"""Courier handover for the whole warehouse, on a real PostgreSQL hub and a real
SQLite bench: a duplicate (an order with two live parcels, a parcel already handed
over at another dock) and an unrecorded parcel are refused; a parcel leaves once;
an unreachable hub falls back to the bench's own records, visibly."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlite_utils

from station.app.handover import Handovers, Warehouse
from station.core.events import EventKind
from station.core.handover import Unexpected
from station.core.messages import Tone
from station.hub.db import connect
from station.hub.dock import HubDock
from station.hub.port import HubState, HubStatus
from station.hub.push import HubTarget
from station.hub.server import free_port
from station.store import handover as store
from station.store.outbox import Record
from tests.shipments_factory import make_shipment

_ids = itertools.count(1)
UNRECORDED = "7399999999999"


def push(hub_url: str, bench: str, order_no: str, tracking_no: str, carrier: str = "ZTO") -> None:
    """A shipment recorded at `bench` reaching the hub through its push target."""
    n = next(_ids)
    payload = {
        "station": bench,
        "shipment_id": n,
        "carrier": carrier,
        "tracking_no": tracking_no,
        "weight_g": 500,
        "packer": "li",
        "shipped_at": datetime.now(UTC).isoformat(),
    }
    record = Record(n, EventKind.RECORDED, order_no, f"k{n}", payload, payload["shipped_at"])
    target = HubTarget(hub_url, 5.0)
    try:
        assert target.deliver([record], {})[0].verdict.value == "done"
    finally:
        target.close()


@pytest.fixture
def warehouse(hub_url: str) -> dict[str, str]:
    """Parcels of other benches at the hub: a plain one, an order shipped twice, and
    one another dock has already handed over."""
    parcels = {
        "plain": "7300000000101",
        "double_a": "7300000000102",
        "double_b": "7300000000103",
        "gone": "7300000000104",
    }
    push(hub_url, "bench-2", "WX-1", parcels["plain"])
    push(hub_url, "bench-2", "WX-2", parcels["double_a"])
    push(hub_url, "bench-3", "WX-2", parcels["double_b"])
    push(hub_url, "bench-3", "WX-3", parcels["gone"])
    return parcels


@pytest.fixture
def dock(db: sqlite_utils.Database) -> Iterator[Callable[..., Handovers]]:
    """Docks (handover use cases) on the hub, their connections closed after the test."""
    made: list[Handovers] = []

    def make(url: str, station: str, timeout_s: float = 3.0, status: HubStatus | None = None):
        made.append(
            Handovers(
                db, station, days=1, dock=HubDock(url, station, timeout_s, status or HubStatus())
            )
        )
        return made[-1]

    yield make
    for handovers in made:
        handovers.close()


def test_the_dock_refuses_a_double_and_an_unrecorded_parcel_and_takes_every_benchs(
    hub_url: str, warehouse: dict[str, str], dock
) -> None:
    other_dock = dock(hub_url, "dock-2")
    elsewhere = other_dock.start("ZTO")
    assert other_dock.scan(elsewhere, warehouse["gone"], datetime.now().astimezone()).ok
    other_dock.finish(elsewhere, "zhao", "courier Sun")

    handovers = dock(hub_url, "bench-1")
    handover = handovers.start("zto")
    assert handovers.warehouse is Warehouse.ONLINE
    # every bench's parcels are expected, not those of this bench only; not the one gone
    assert set(handover.expected) == {
        warehouse["plain"],
        warehouse["double_a"],
        warehouse["double_b"],
    }
    now = datetime.now().astimezone()
    assert handovers.scan(handover, warehouse["plain"], now).message.key == "handover_ok"

    double = handovers.scan(handover, warehouse["double_a"], now)
    assert (double.tone, double.message.key) == (Tone.ERROR, "handover_double")
    assert double.message.params["others"] == warehouse["double_b"]
    assert "WX-2" in double.message.english()

    unrecorded = handovers.scan(handover, UNRECORDED, now)
    assert (unrecorded.tone, unrecorded.message.key) == (Tone.ERROR, "handover_unrecorded")

    gone = handovers.scan(handover, warehouse["gone"], now)
    assert (gone.tone, gone.message.key) == (Tone.ERROR, "handover_handed_over")
    assert gone.message.params["station"] == "dock-2"

    assert {s.tracking_no: s.why for s in handover.strays.values()} == {
        warehouse["double_a"]: Unexpected.DOUBLE,
        UNRECORDED: Unexpected.UNRECORDED,
        warehouse["gone"]: Unexpected.HANDED_OVER,
    }
    handovers.finish(handover, "wang", "courier Liu")
    with connect(hub_url) as conn:
        rows = conn.execute(
            "SELECT tracking_no, station, courier FROM handed_over "
            "WHERE finished_at IS NOT NULL ORDER BY tracking_no"
        ).fetchall()
    assert rows == [
        (warehouse["plain"], "bench-1", "courier Liu"),
        (warehouse["gone"], "dock-2", "courier Sun"),
    ]


def test_a_parcel_goes_into_one_bag_only_until_it_is_taken_back_out(
    hub_url: str, warehouse: dict[str, str], dock
) -> None:
    first, second = dock(hub_url, "dock-1"), dock(hub_url, "dock-2")
    bag_1, bag_2 = first.start("ZTO"), second.start("ZTO")
    now = datetime.now().astimezone()
    assert first.scan(bag_1, warehouse["plain"], now).ok
    refused = second.scan(bag_2, warehouse["plain"], now)
    assert refused.message.key == "handover_handed_over"
    assert refused.message.params["station"] == "dock-1"
    assert first.take_out(bag_1, warehouse["plain"])
    bag_2.take_out(warehouse["plain"])
    assert second.scan(bag_2, warehouse["plain"], now).ok
    # a dock closed without finishing gives its bag back
    second.abandon()
    assert first.scan(bag_1, warehouse["plain"], now).ok


def test_a_parcel_of_this_bench_not_pushed_yet_goes_and_the_hub_learns_it_at_the_finish(
    db: sqlite_utils.Database, hub_url: str, warehouse: dict[str, str], dock
) -> None:
    local = make_shipment(db, datetime.now().astimezone(), station="bench-1")
    handovers = dock(hub_url, "bench-1")
    handover = handovers.start("ZTO")
    assert handovers.scan(handover, local.tracking_no, datetime.now().astimezone()).ok
    handovers.finish(handover, "wang", "courier Liu")
    with connect(hub_url) as conn:
        row = conn.execute(
            "SELECT station, finished_at IS NOT NULL FROM handed_over WHERE tracking_no = %s",
            [local.tracking_no],
        ).fetchone()
    assert row == ("bench-1", True)


def test_an_unreachable_hub_is_said_and_the_dock_checks_its_own_records(
    db: sqlite_utils.Database, dock
) -> None:
    mine = make_shipment(db, datetime.now().astimezone(), station="bench-1")
    status = HubStatus()
    url = f"postgresql://station:x@127.0.0.1:{free_port()}/station"
    handovers = dock(url, "bench-1", 2.0, status)
    handover = handovers.start("ZTO")
    assert handovers.warehouse is Warehouse.OFFLINE and status.state is HubState.OFFLINE
    assert list(handover.expected) == [mine.tracking_no]
    now = datetime.now().astimezone()
    assert handovers.scan(handover, UNRECORDED, now).message.key == "handover_unknown"
    assert handovers.scan(handover, mine.tracking_no, now).message.key == "handover_complete"
    handover_id = handovers.finish(handover, "wang", "courier Liu")
    assert store.handover_items(db, handover_id)[mine.tracking_no] == "scanned"


def test_the_dialog_refuses_a_double_and_an_unrecorded_parcel_in_red_with_a_sound(
    qtbot, db: sqlite_utils.Database, hub_url: str, warehouse: dict[str, str]
) -> None:
    from PySide6.QtCore import Qt

    from station.ui.handover import HandoverDialog
    from station.ui.texts import TONE_COLOURS

    dialog = HandoverDialog(
        db, "bench-1", days=1, signed_by="wang", dock=HubDock(hub_url, "bench-1", 3.0, HubStatus())
    )
    qtbot.addWidget(dialog)
    heard: list[Tone] = []
    dialog.scanned.connect(lambda result: heard.append(result.tone))
    dialog.carrier_box.setCurrentIndex(dialog.carrier_box.findData("ZTO"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.missing_list.count() == 4
    assert "Hub online" in dialog.warehouse.text() and not dialog.warehouse.isHidden()
    red = TONE_COLOURS[Tone.ERROR][0]
    for code, why in (
        (warehouse["double_a"], "two parcels"),
        (UNRECORDED, "not recorded at the hub"),
    ):
        qtbot.keyClicks(dialog.scan_edit, code)
        qtbot.keyClick(dialog.scan_edit, Qt.Key.Key_Return)
        assert red in dialog.message.styleSheet()
        assert code in dialog.message.text()
        assert why in dialog.stray_list.item(dialog.stray_list.count() - 1).text()
    assert heard == [Tone.ERROR, Tone.ERROR]
    qtbot.keyClicks(dialog.scan_edit, warehouse["plain"])
    qtbot.keyClick(dialog.scan_edit, Qt.Key.Key_Return)
    assert heard[-1] is Tone.OK and dialog.bag_list.count() == 1
    dialog.reject()  # closed unfinished: the bag is given back at the hub
    with connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM handed_over").fetchone() == (0,)


def test_the_dialog_says_when_the_hub_is_offline(qtbot, db: sqlite_utils.Database) -> None:
    from PySide6.QtCore import Qt

    from station.ui.handover import HandoverDialog

    make_shipment(db, datetime.now().astimezone(), station="bench-1")
    url = f"postgresql://station:x@127.0.0.1:{free_port()}/station"
    dialog = HandoverDialog(
        db, "bench-1", days=1, signed_by="wang", dock=HubDock(url, "bench-1", 2.0, HubStatus())
    )
    qtbot.addWidget(dialog)
    dialog.carrier_box.setCurrentIndex(dialog.carrier_box.findData("ZTO"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "Hub offline" in dialog.warehouse.text() and not dialog.warehouse.isHidden()
    assert dialog.missing_list.count() == 1


def test_a_handover_finished_offline_reaches_the_hub_at_the_next_start_online(
    db: sqlite_utils.Database, hub_url: str, dock
) -> None:
    mine = make_shipment(db, datetime.now().astimezone(), station="bench-1")
    push(hub_url, "bench-1", mine.order_no, mine.tracking_no)
    down = f"postgresql://station:x@127.0.0.1:{free_port()}/station"
    offline = dock(down, "bench-1", 2.0)
    bag = offline.start("ZTO")
    assert offline.scan(bag, mine.tracking_no, datetime.now().astimezone()).ok
    offline.finish(bag, "wang", "courier Liu")
    assert offline.warehouse is Warehouse.OFFLINE

    back = dock(hub_url, "bench-1")
    assert list(back.start("ZTO").expected) == []  # the hub now knows it left
    other = dock(hub_url, "dock-2")
    refused = other.scan(other.start("ZTO"), mine.tracking_no, datetime.now().astimezone())
    assert refused.message.key == "handover_handed_over"
    assert refused.message.params["station"] == "bench-1"


def test_a_parcel_bagged_offline_and_handed_over_elsewhere_meanwhile_is_named_at_the_finish(
    db: sqlite_utils.Database, hub_url: str, dock
) -> None:
    mine = make_shipment(db, datetime.now().astimezone(), station="bench-1")
    push(hub_url, "bench-1", mine.order_no, mine.tracking_no)
    down = f"postgresql://station:x@127.0.0.1:{free_port()}/station"
    cut_off = dock(down, "bench-1", 2.0)
    bag = cut_off.start("ZTO")
    assert cut_off.scan(bag, mine.tracking_no, datetime.now().astimezone()).ok
    online = dock(hub_url, "dock-2")
    other_bag = online.start("ZTO")
    assert online.scan(other_bag, mine.tracking_no, datetime.now().astimezone()).ok
    online.finish(other_bag, "zhao", "courier Sun")
    assert isinstance(cut_off.dock, HubDock)
    cut_off.dock.url = hub_url  # the hub is back for bench-1
    cut_off.finish(bag, "wang", "courier Liu")
    assert cut_off.warehouse is Warehouse.ONLINE
    assert cut_off.clashes == [mine.tracking_no]
    with connect(hub_url) as conn:
        assert conn.execute(
            "SELECT station, courier FROM handed_over WHERE tracking_no = %s", [mine.tracking_no]
        ).fetchone() == ("dock-2", "courier Sun")

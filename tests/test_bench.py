"""The whole bench flow without Qt: real SQLite file, real PDF printer, real clock."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from printers import open_printer
from station.bench import Bench
from station.core.messages import Outcome, Tone
from station.core.reading import Reading, ScaleLink
from station.core.session import Phase
from station.demo import DEMO_SUPERVISOR_PIN
from station.settings import Settings
from station.store import orders


class Recorder:
    """A listener that keeps what the bench told it."""

    def __init__(self) -> None:
        self.feedback: list[Outcome] = []
        self.override_requests: list[str] = []
        self.labels: list[tuple[int, object]] = []

    def bench_changed(self) -> None:
        pass

    def bench_feedback(self, result: Outcome) -> None:
        self.feedback.append(result)

    def bench_override_requested(self, kind: str) -> None:
        self.override_requests.append(kind)

    def bench_label_printed(self, shipment_id: int, waybill: object, result: object) -> None:
        self.labels.append((shipment_id, result))

    @property
    def keys(self) -> list[str]:
        return [o.message.key for o in self.feedback]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    return tmp_path / "labels"


@pytest.fixture
def bench(demo_db: sqlite_utils.Database, settings: Settings, labels: Path):
    recorder = Recorder()
    clock = Clock()
    bench = Bench(demo_db, settings, open_printer(f"pdf:{labels}"), listener=recorder, clock=clock)
    bench.recorder = recorder
    bench.test_clock = clock
    bench.scale_link(ScaleLink.CONNECTED)
    return bench


def put(bench: Bench, grams: int | str, stable: bool = True) -> None:
    bench.reading(Reading(Decimal(grams), stable, at=bench.test_clock.now))


def scan_all_items(bench: Bench, order_no: str) -> None:
    order = orders.find_order(bench.db, order_no)
    for line in order.lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])


def open_order(db: sqlite_utils.Database, *, skip: int = 0) -> str:
    """An open, unflagged demo order that ships ZTO: naming it, or naming none and
    going to a province that the rules do not send China Post."""
    rows = db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND (carrier = 'ZTO' OR "
        "(carrier = '' AND province NOT IN ('新疆维吾尔自治区', '西藏自治区', '青海省'))) "
        "AND order_no NOT IN (SELECT order_no FROM order_flags) "
        "ORDER BY order_no LIMIT 1 OFFSET ?",
        [skip],
    ).fetchall()
    return rows[0][0]


def unnamed_order(db: sqlite_utils.Database) -> str:
    """An open, unflagged demo order naming no carrier, to a province the rules do not
    send China Post: routing decides it by the rates."""
    return db.execute(
        "SELECT order_no FROM orders WHERE status = 'open' AND carrier = '' "
        "AND province NOT IN ('新疆维吾尔自治区', '西藏自治区', '青海省') "
        "AND order_no NOT IN (SELECT order_no FROM order_flags) ORDER BY order_no LIMIT 1"
    ).fetchone()[0]


def test_a_whole_order_is_recorded_printed_and_queued(bench: Bench, labels: Path) -> None:
    order_no = open_order(bench.db)
    order = orders.find_order(bench.db, order_no)
    put(bench, 0)
    assert bench.scan(order_no + "\r").message.key == "order_started"
    scan_all_items(bench, order_no)
    assert bench.session is not None and bench.session.phase is Phase.WEIGH
    put(bench, bench.session.expected_grams + 7)
    assert bench.session is None
    assert bench.recorder.keys[-2:] == ["recorded", "printed"]
    row = next(bench.db.query("SELECT * FROM shipments"))
    assert row["order_no"] == order_no
    assert row["weight_g"] == order.items_weight_g() + 60 + 7
    assert row["label_status"] == "printed" and row["print_count"] == 1
    assert row["packer"] == "packer" and row["station"] == "bench-1"
    assert row["started_at"] <= row["verified_at"] <= row["weighed_at"] <= row["recorded_at"]
    payload = json.loads(next(bench.db.query("SELECT payload FROM outbox"))["payload"])
    assert payload["tracking_no"] == row["tracking_no"]
    pdfs = list(labels.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    kinds = [r["kind"] for r in bench.db.query("SELECT kind FROM scan_events ORDER BY id")]
    assert kinds[0] == "order" and kinds.count("item") == order.item_count


def test_weight_already_on_the_scale_records_at_the_last_item(bench: Bench) -> None:
    order_no = open_order(bench.db)
    order = orders.find_order(bench.db, order_no)
    bench.scan(order_no)
    put(bench, order.items_weight_g() + 60)
    scan_all_items(bench, order_no)
    assert bench.recorder.keys[-2:] == ["recorded", "printed"]
    assert bench.last is not None and bench.last.order.order_no == order_no


def test_unknown_order_changes_nothing(bench: Bench) -> None:
    result = bench.scan("NO-SUCH-ORDER")
    assert result.tone is Tone.ERROR and result.message.key == "order_unknown"
    assert bench.session is None
    assert bench.db.execute("SELECT count(*) FROM scan_events").fetchone()[0] == 0


def test_product_or_waybill_scanned_instead_of_an_order(bench: Bench) -> None:
    assert bench.scan("CUP-350").message.key == "scan_is_product"
    assert bench.scan("SF1023574470215").message.key == "scan_is_tracking"


@pytest.mark.parametrize(
    ("index", "key", "reason"),
    [
        (8, "order_on_hold", "买家要求改地址"),
        (14, "order_refunded", "买家已退款"),
        (18, "order_cancelled", "买家取消订单"),
    ],
)
def test_blocked_orders_show_the_reason(bench: Bench, index: int, key: str, reason: str) -> None:
    result = bench.scan(f"WX2026112100{index:04d}")
    assert result.tone is Tone.ERROR and result.message.key == key
    assert result.message.params["reason"] == reason
    assert bench.session is None


def test_shipped_order_is_blocked_with_when_who_and_tracking(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    tracking = bench.last.tracking_no
    put(bench, 0)
    again = bench.scan(order_no)
    assert again.message.key == "order_shipped"
    assert again.message.params["tracking_no"] == tracking
    assert again.message.params["packer"] == "packer"
    assert again.message.params["when"].startswith("20")
    recorded_at = bench.db.execute("SELECT recorded_at FROM shipments").fetchone()[0]
    readable = datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).astimezone()
    assert again.message.params["when"] == f"{readable:%Y-%m-%d %H:%M}"
    assert bench.db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 1


def test_wrong_item_and_one_too_many_are_refused(bench: Bench) -> None:
    order_no = open_order(bench.db)
    order = orders.find_order(bench.db, order_no)
    bench.scan(order_no)
    other = next(
        p for p in ("RICE-5KG", "LIPBALM", "STEAK-1KG") if all(ln.sku != p for ln in order.lines)
    )
    wrong = bench.scan(other)
    assert wrong.message.key == "item_not_in_order"
    assert orders.find_product(bench.db, other).name in wrong.message.english()
    assert bench.scan("9999999999999").message.key == "item_unknown"
    line = order.lines[0]
    for _ in range(line.quantity):
        bench.scan(line.sku)
    if len(order.lines) > 1:
        assert bench.scan(line.sku).message.key == "item_too_many"
    assert bench.scan(open_order(bench.db, skip=1)).message.key == "order_busy"


def test_weight_mismatch_blocks_then_reweigh_and_supervisor_override(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    expected = bench.session.expected_grams
    put(bench, expected + 900)
    assert bench.recorder.keys[-1] == "weight_mismatch"
    assert bench.session.phase is Phase.WEIGHT_MISMATCH
    assert bench.scan("cmd-reweigh").message.key == "weight_reweigh"
    put(bench, expected + 900)
    assert bench.session.phase is Phase.WEIGH
    put(bench, 0)
    put(bench, expected + 800)
    assert bench.session.phase is Phase.WEIGHT_MISMATCH
    assert bench.scan("CMD-OVERRIDE").message.key == "override_needed"
    assert bench.recorder.override_requests == ["weight"]
    assert bench.override("9999", "gift box").message.key == "override_denied"
    assert bench.session is not None
    bench.override(DEMO_SUPERVISOR_PIN, "gift box added")
    assert bench.session is None
    override = next(bench.db.query("SELECT * FROM overrides"))
    assert override["kind"] == "weight" and override["reason"] == "gift box added"
    assert override["supervisor"].startswith("主管")
    assert override["shipment_id"] is not None


def test_zero_grams_or_a_dead_scale_never_records(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.scan(order_no)
    put(bench, 0)
    put(bench, 5)
    scan_all_items(bench, order_no)
    assert bench.session.phase is Phase.WEIGH
    bench.scale_link(ScaleLink.DISCONNECTED, "unplugged")
    assert bench.recorder.keys[-1] == "scale_down"
    bench.gate.latest = Reading(Decimal(800), True, at=bench.test_clock.now)
    assert bench.gate.take(bench.test_clock.now) is None
    assert bench.db.execute("SELECT count(*) FROM shipments").fetchone()[0] == 0


def test_cancel_and_hold_commands(bench: Bench) -> None:
    first, second = open_order(bench.db), open_order(bench.db, skip=1)
    bench.scan(first)
    assert bench.scan("CMD-CANCEL").message.key == "cancelled"
    assert bench.session is None
    assert bench.db.execute("SELECT count(*) FROM scan_events").fetchone()[0] == 2
    bench.scan(second)
    assert bench.scan("CMD-HOLD").message.key == "held"
    assert orders.find_order(bench.db, second).status.value == "hold"
    assert bench.scan(second).message.key == "order_on_hold"
    assert bench.scan("CMD-NOPE").message.key == "command_unknown"


def test_line_override_by_supervisor(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.scan(order_no)
    bench.scan("CMD-OVERRIDE")
    assert bench.recorder.override_requests == ["line"]
    order = orders.find_order(bench.db, order_no)
    for _ in range(sum(line.quantity > 0 for line in order.lines)):
        bench.override(DEMO_SUPERVISOR_PIN, "barcode unreadable")
    assert bench.session.phase is Phase.WEIGH


def test_without_pool_numbers_a_preprinted_waybill_is_scanned_and_validated(
    bench: Bench,
) -> None:
    bench.db.execute("DELETE FROM tracking_pool WHERE carrier = 'ZTO'")
    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    assert bench.recorder.keys[-1] == "tracking_needed"
    assert bench.scan("SF1023574470215").message.key == "tracking_invalid"
    bench.scan("73561234599999")
    assert bench.last.tracking_no == "73561234599999"
    row = next(bench.db.query("SELECT tracking_source FROM shipments"))
    assert row["tracking_source"] == "scanned"


def _refused_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_failed_print_keeps_the_shipment_and_reprint_prints_it_later(
    demo_db: sqlite_utils.Database, settings: Settings, labels: Path
) -> None:
    recorder = Recorder()
    port = _refused_port()
    bench = Bench(
        demo_db, settings, open_printer(f"escpos+tcp://127.0.0.1:{port}"), listener=recorder
    )
    bench.scale_link(ScaleLink.CONNECTED)
    order_no = open_order(demo_db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    assert recorder.keys[-2:] == ["recorded", "print_failed"]
    row = next(demo_db.query("SELECT * FROM shipments"))
    assert row["label_status"] == "failed" and row["label_error"]
    assert demo_db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    bench.printer = open_printer(f"pdf:{labels}")
    bench.scan("CMD-REPRINT")
    assert recorder.keys[-1] == "printed"
    row = next(demo_db.query("SELECT * FROM shipments"))
    assert row["label_status"] == "printed" and row["print_count"] == 1
    bench.scan("CMD-REPRINT")
    assert recorder.keys[-1] == "reprinted"
    assert next(demo_db.query("SELECT print_count FROM shipments"))["print_count"] == 2
    assert len(list(labels.glob("*.pdf"))) == 2


def test_the_shipping_cost_is_recorded_and_set_against_order_value(bench: Bench) -> None:
    from station.store.reports import Period, dashboard

    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    put(bench, bench.session.expected_grams)
    cost = next(bench.db.query("SELECT shipping_cost_fen FROM shipments"))["shipping_cost_fen"]
    assert cost is not None and cost > 0
    report = dashboard(bench.db, Period.today())
    zto = next(c for c in report.carriers if c.carrier == bench.last.carrier)
    value = orders.find_order(bench.db, order_no).order_value_fen
    assert (zto.shipping_cost_fen, zto.priced, zto.priced_value_fen) == (cost, 1, value)
    assert zto.cost_share == cost / value


def test_a_voided_preprinted_waybill_is_refused_when_scanned_again(bench: Bench) -> None:
    bench.db.execute("DELETE FROM tracking_pool WHERE carrier = 'ZTO'")
    first, second = open_order(bench.db), open_order(bench.db, skip=1)
    bench.scan(first)
    scan_all_items(bench, first)
    put(bench, bench.session.expected_grams)
    bench.scan("73561234599999")
    bench.db.execute(
        "UPDATE shipments SET voided_at = '2026-11-21T10:00:00Z', voided_by = 'boss', "
        "void_reason = 'label torn'"
    )
    put(bench, 0)
    bench.scan(second)
    scan_all_items(bench, second)
    put(bench, bench.session.expected_grams)
    refused = bench.scan("73561234599999")
    assert refused.message.key == "tracking_used"
    assert refused.message.params["order_no"] == first
    assert bench.session is not None


def test_a_refused_used_waybill_is_not_shown_as_the_parcels_waybill(bench: Bench) -> None:
    """The screen shows the session's waybill: a number refused as already used must not
    stay there, and the next pre-printed waybill scanned is the one recorded."""
    bench.db.execute("DELETE FROM tracking_pool WHERE carrier = 'ZTO'")
    first, second = open_order(bench.db), open_order(bench.db, skip=1)
    bench.scan(first)
    scan_all_items(bench, first)
    put(bench, bench.session.expected_grams)
    bench.scan("73561234599999")
    put(bench, 0)
    bench.scan(second)
    scan_all_items(bench, second)
    put(bench, bench.session.expected_grams)
    assert bench.scan("73561234599999").message.key == "tracking_used"
    assert bench.session is not None
    assert (bench.session.tracking_no, bench.session.tracking_source) == ("", "")
    assert bench.scan("73561234599998").message.key == "recorded"
    assert bench.last is not None and bench.last.tracking_no == "73561234599998"


def test_parcel_taken_off_and_put_back_after_a_wrong_weight_is_a_reweigh(bench: Bench) -> None:
    """After a refused weight, a fresh stable weight once the scale went back to zero is
    weighed again; the same parcel nudged is not (the message names REWEIGH)."""
    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    expected = bench.session.expected_grams
    put(bench, expected + 900)
    assert bench.recorder.keys[-1] == "weight_mismatch"
    assert "REWEIGH" in bench.message.message.english()
    put(bench, expected + 880)
    assert bench.session.phase is Phase.WEIGHT_MISMATCH
    put(bench, 0)
    assert bench.session.phase is Phase.WEIGHT_MISMATCH
    put(bench, expected + 3)
    assert bench.session is None
    assert bench.last.weight_g == expected + 3
    assert bench.recorder.keys[-2:] == ["recorded", "printed"]


def test_an_unknown_code_while_weighing_is_called_unknown(bench: Bench) -> None:
    order_no = open_order(bench.db)
    bench.scan(order_no)
    scan_all_items(bench, order_no)
    assert bench.session.phase is Phase.WEIGH
    unknown = bench.scan("NO-SUCH-CODE-7")
    assert unknown.message.key == "item_unknown" and "NO-SUCH-CODE-7" in unknown.message.english()
    assert bench.scan(orders.find_order(bench.db, order_no).lines[0].sku).message.key == (
        "item_not_expected"
    )


def test_settings_saved_while_running_weigh_the_next_order(bench: Bench) -> None:
    """A heavier carton set while the bench runs: the next order expects it."""
    first = open_order(bench.db)
    bench.scan(first)
    before = bench.session.expected_grams
    bench.scan("CMD-CANCEL")
    saved = bench.settings.with_values(
        weight__packaging_grams=bench.rule.packaging_grams + 140, weight__min_grams=5
    )
    bench.use_settings(saved)
    bench.scan(first)
    assert bench.session.expected_grams == before + 140
    assert bench.gate.min_grams == 5 and bench.settings is saved

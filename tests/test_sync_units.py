"""Sync pieces on their own: backoff, configuration, the buyer notice, CSV export,
the `station sync` commands, the status light and its dialog, the uploader runner."""

from __future__ import annotations

import json
import random
from pathlib import Path

import keyring
import pytest
import sqlite_utils
from test_sync_fakes import MemoryKeyring, WebhookReceiver, add_records, serving, write_sync_toml

from station.cli import main
from station.core.carriers import CARRIERS
from station.core.model import Contact
from station.core.permissions import Action, Role
from station.settings import Settings
from station.store import audit, deliveries
from station.store.db import DB_FILE, transaction
from station.store.orders import NewLine, save_order
from station.store.users import add_user
from station.sync.backoff import full_jitter
from station.sync.config import SyncConfigError, load_targets
from station.sync.csv_export import parse_columns
from station.sync.notice import buyer_notice

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("memory_keyring")


def test_full_jitter_stays_within_the_capped_exponential() -> None:
    rng = random.Random(3)
    for attempt in range(12):
        waits = [full_jitter(attempt, 2.0, 600.0, rng) for _ in range(200)]
        ceiling = min(600.0, 2.0 * 2**attempt)
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # spread over the whole range, not a fixed delay


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[targets]]\nname = "a"\nkind = "ftp"\n', "kind must be"),
        ('[[targets]]\nname = "a"\nkind = "webhook"\nurl = "x"\n', "needs url"),
        ('[[targets]]\nname = "m"\nkind = "wechat-miniprogram"\nappid = "wx"\n', "needs mchid"),
        ('[[targets]]\nname = "a"\nkind = "webhook"\nurl = "https://h"\nsecret = "x"\n', "unknown"),
        ('[[targets]]\nname = "a"\nkind = "webhook"\nurl = "https://h"\n' * 2, "must differ"),
        ('[[targets]]\nname = "a"\nkind = "webhook"\nurl = "https://h"\nbatch_size = "9"\n', "int"),
    ],
)
def test_bad_sync_config_is_a_clear_error(data_dir: Path, text: str, words: str) -> None:
    write_sync_toml(data_dir, text)
    with pytest.raises(SyncConfigError, match=words):
        load_targets(data_dir)


def test_buyer_notice_fills_carrier_tracking_and_link() -> None:
    template = (
        "您的包裹已发出：{carrier_name} {tracking_no}\n查询物流：{link}\n订单 {order_no} {other}"
    )
    text = buyer_notice(
        template, "https://t.example/?c={carrier}&n={tracking_no}", "WX1", "ZTO", "7512 3", CARRIERS
    )
    assert text.split("\n") == [
        "您的包裹已发出：中通快递 7512 3",
        "查询物流：https://t.example/?c=ZTO&n=7512%203",
        "订单 WX1 {other}",
    ]
    assert "查询" not in buyer_notice(template, "", "WX1", "ZTO", "75", CARRIERS)


def _shipped(db: sqlite_utils.Database, order_no: str, tracking: str, at: str) -> None:
    with transaction(db):
        save_order(db, order_no, Contact("张三", "13812345678", "路1号"), [NewLine("CUP", "杯", 1)])
        db.execute(
            "INSERT INTO shipments (order_no, carrier, tracking_no, tracking_source, weight_g, "
            "packer, station, started_at, recorded_at) VALUES (?, 'ZTO', ?, 'pool', 500, 'p', "
            "'bench-1', ?, ?)",
            (order_no, tracking, at, at),
        )


def test_export_csv_writes_configured_columns(
    db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    _shipped(db, "WX1", "751", "2026-11-20T10:00:00.000Z")
    _shipped(db, "WX2", "752", "2026-11-22T10:00:00.000Z")
    out = tmp_path / "ship.csv"
    code = main(
        [
            "--data-dir",
            str(data_dir),
            "sync",
            "export-csv",
            "--since",
            "2026-11-21T12:00:00+00:00",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert out.read_bytes().decode("utf-8-sig").splitlines() == [
        "订单号,快递公司,快递单号",
        "WX2,中通快递,752",
    ]
    with pytest.raises(ValueError, match="unknown CSV field"):
        parse_columns("单号=order")


def test_status_json_and_secret_set(
    db: sqlite_utils.Database,
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_sync_toml(data_dir, '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n')
    monkeypatch.setattr("getpass.getpass", lambda prompt: "k3y-value")
    assert main(["--data-dir", str(data_dir), "sync", "secret", "set", "erp"]) == 0
    assert memory_keyring.values == {("PackingStation", "sync/erp"): "k3y-value"}
    assert "k3y-value" not in (data_dir / "sync.toml").read_text()
    assert main(["--data-dir", str(data_dir), "sync", "secret", "set", "nope"]) == 2
    add_records(db, 4)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["queued"], status["in_flight"], status["needs_attention"]) == (4, 0, 0)
    assert [t["name"] for t in status["targets"]] == ["erp"]
    assert status["targets"][0]["queued"] == 4


def test_run_once_drains_and_a_second_uploader_is_refused(
    db: sqlite_utils.Database, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station.sync.lock import UploaderLock

    receiver = WebhookReceiver()
    add_records(db, 7)
    keyring.set_password("PackingStation", "sync/erp", "hook-key")
    with serving(receiver) as url:
        write_sync_toml(data_dir, f'[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "{url}"\n')
        held = UploaderLock(data_dir)
        assert held.acquire()
        assert main(["--data-dir", str(data_dir), "sync", "run", "--once"]) == 3
        held.release()
        assert main(["--data-dir", str(data_dir), "sync", "run", "--once"]) == 0
    assert len(receiver.stored) == 7


def test_sync_code_imports_no_qt() -> None:
    for path in (ROOT / "station" / "sync").glob("*.py"):
        assert "PySide6" not in path.read_text(encoding="utf-8"), path


def test_status_light_and_dialog(qtbot, db: sqlite_utils.Database, data_dir: Path) -> None:
    from station.ui.sync_status import SyncStatusWidget

    write_sync_toml(data_dir, '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n')
    add_records(db, 3)
    deliveries.fan_out(db, "erp")
    first = db.execute("SELECT min(outbox_id) FROM deliveries").fetchone()[0]
    deliveries.start(db, "erp", [first])
    deliveries.finish(db, "erp", [deliveries.Finished(first, "attention", "rejected: bad order")])
    add_user(db, "boss", Role.SUPERVISOR, "4321")
    widget = SyncStatusWidget(data_dir / DB_FILE, Settings.load(data_dir))
    qtbot.addWidget(widget)
    assert "2 queued" in widget.text.text() and "1 need attention" in widget.text.text()
    assert widget.colour == "warn"
    dialog = widget.open_dialog()
    qtbot.addWidget(dialog)
    assert dialog.attention_table.rowCount() == 1
    assert dialog.attention_table.item(0, 4).text() == "rejected: bad order"
    dialog.attention_table.selectRow(0)
    dialog.pin.setText("0000")
    assert not dialog.retry_selected()
    dialog.reason.setText("cancelled by the buyer")
    dialog.pin.setText("4321")
    assert dialog.dismiss_selected()
    assert dialog.attention_table.rowCount() == 0
    row = db.execute("SELECT state, dismissed_by FROM deliveries WHERE outbox_id = ?", [first])
    assert row.fetchone() == ("dismissed", "boss")
    [entry] = audit.entries(db, Action.UPLOADS)
    assert (entry.actor, entry.reason) == ("boss", "cancelled by the buyer")
    widget.close()


def test_runner_owns_the_uploader_thread(qtbot, db: sqlite_utils.Database, data_dir: Path) -> None:
    from station.ui.sync_status import UploaderRunner

    receiver = WebhookReceiver()
    keyring.set_password("PackingStation", "sync/erp", "hook-key")
    with serving(receiver) as url:
        write_sync_toml(data_dir, f'[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "{url}"\n')
        runner = UploaderRunner(
            data_dir, Settings.load(data_dir).with_values(sync__idle_seconds=0.05)
        )
        runner.start()
        add_records(db, 5)
        runner.wake()
        qtbot.waitUntil(lambda: len(receiver.stored) == 5, timeout=5000)
        runner.stop()
    assert runner.uploads is None


def test_buyer_notice_goes_to_the_clipboard(qtbot, settings: Settings) -> None:
    from PySide6.QtGui import QGuiApplication

    from station.ui.buyer_notice import copy_buyer_notice

    text = copy_buyer_notice(settings, "WX1", "SF", "SF1023574470215", CARRIERS)
    assert QGuiApplication.clipboard().text() == text
    assert "顺丰速运 SF1023574470215" in text and "nu=SF1023574470215" in text


def test_with_no_target_every_place_says_uploads_are_not_set_up(
    qtbot, db: sqlite_utils.Database, data_dir: Path, capsys
) -> None:
    """The CLI, the status light's dialog (F12) and the dashboard tell one story with no
    sync.toml: uploads not set up, how to set them up, and how many records wait."""
    from station.ui.dashboard import DashboardWidget
    from station.ui.sync_status import SyncStatusWidget

    add_records(db, 3)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "sync", "status"]) == 0
    out = capsys.readouterr().out
    assert "Uploads not set up" in out and "OFFLINE" not in out
    assert "sync.toml" in out and "3 waiting" in out
    assert main(["--data-dir", str(data_dir), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["set_up"], status["waiting_locally"]) == (False, 3)

    widget = SyncStatusWidget(data_dir / DB_FILE, Settings.load(data_dir))
    qtbot.addWidget(widget)
    assert "not set up" in widget.text.text() and "3 waiting" in widget.toolTip()
    dialog = widget.open_dialog()
    qtbot.addWidget(dialog)
    assert "Uploads not set up" in dialog.not_set_up.text()
    assert "sync.toml" in dialog.not_set_up.text() and not dialog.not_set_up.isHidden()

    dashboard = DashboardWidget(data_dir / DB_FILE, refresh_seconds=0)
    qtbot.addWidget(dashboard)
    assert "Uploads not set up" in dashboard.queue.text() and "3 waiting" in dashboard.queue.text()
    write_sync_toml(data_dir, '[[targets]]\nname = "erp"\nkind = "webhook"\nurl = "https://h/"\n')
    dashboard.refresh()
    assert dashboard.queue.text().startswith("Upload queue:")

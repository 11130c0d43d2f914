"""Labels never printed are listed at the next start, and a full disk leaves no empty
or cut-short label file.

Real parts: a real bench process killed with SIGKILL at the moment it hands the
print job over (after recording), the `station print pending` command, the window
built by the app, and PDF labels written into a real 4 MiB filesystem (tmpfs)
filled up by a ballast file.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from printers import PrinterError, open_printer
from printers.jobs import LabelJob
from printers.transports import PdfFolder
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.reporting.manifest import write_manifest
from station.settings import Settings
from station.store import orders
from station.store.handover import manifest_for_day
from tests.shipments_factory import make_shipment

ROOT = Path(__file__).resolve().parent.parent

KILLED_AT_PRINT = """
import os, signal, sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from printers import open_printer
from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.settings import Settings
from station.reporting.manifest import write_manifest
from station.store import orders
from station.store.handover import manifest_for_day
from tests.shipments_factory import make_shipment
from station.store.db import DB_FILE, connect


class KilledAtPrint:
    '''The runner the bench hands its print job to: the process dies right there.'''

    def submit(self, fn, done, failed):
        print("recorded", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)


folder, order_no = Path(sys.argv[1]), sys.argv[2]
db = connect(folder / DB_FILE)
bench = Bench(
    db, Settings.load(folder), open_printer(f"pdf:{folder / 'labels'}"), runner=KilledAtPrint()
)
bench.scale_link(ScaleLink.CONNECTED)
bench.scan(order_no)
for line in orders.find_order(db, order_no).lines:
    for _ in range(line.quantity):
        bench.scan(line.barcodes[0])
bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
print("not killed", flush=True)
"""


def open_orders(db: sqlite_utils.Database, count: int) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT order_no FROM orders WHERE status = 'open' AND carrier IN ('', 'ZTO') "
            "ORDER BY order_no LIMIT ?",
            [count],
        ).fetchall()
    ]


def killed_between_record_and_print(data_dir: Path, order_no: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT_PRINT, str(data_dir), order_no],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.split() == ["recorded"]


def pending(data_dir: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "station", "--data-dir", str(data_dir), "print", "pending", *flags],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_kill_between_record_and_print_is_listed_at_the_next_start_and_printed_by_reprint(
    demo_db: sqlite_utils.Database, data_dir: Path, tmp_path: Path
) -> None:
    first, second = open_orders(demo_db, 2)
    killed_between_record_and_print(data_dir, first)
    killed_between_record_and_print(data_dir, second)
    rows = list(demo_db.query("SELECT order_no, label_status, print_count FROM shipments"))
    assert rows == [
        {"order_no": first, "label_status": "pending", "print_count": 0},
        {"order_no": second, "label_status": "pending", "print_count": 0},
    ]

    listed = pending(data_dir)
    assert listed.returncode == 0, listed.stderr
    carrier, tracking = demo_db.execute(
        "SELECT carrier, tracking_no FROM shipments WHERE order_no = ?", [first]
    ).fetchone()
    assert listed.stdout.splitlines()[0].startswith(f"{first}  {carrier} {tracking}  ")
    assert "label pending" in listed.stdout
    assert "2 label(s) not printed" in listed.stdout
    as_json = [json.loads(line) for line in pending(data_dir, "--json").stdout.splitlines()]
    assert [row["order_no"] for row in as_json] == [first, second]

    labels = tmp_path / "labels"
    bench = Bench(demo_db, Settings.load(data_dir), open_printer(f"pdf:{labels}"))
    assert bench.message.message.key == "labels_unprinted"
    assert bench.message.message.params == {"count": 2, "orders": f"{first}, {second}"}
    said = bench.scan("CMD-REPRINT").message
    assert (said.key, said.params["order_no"], said.params["left"]) == (
        "label_unprinted_next",
        first,
        1,
    )
    assert bench.message.message.key == "printed"
    assert bench.scan("CMD-REPRINT").message.params["order_no"] == second
    assert bench.message.message.key == "printed"
    printed = list(demo_db.query("SELECT label_status, print_count FROM shipments"))
    assert printed == [{"label_status": "printed", "print_count": 1}] * 2
    assert len(list(labels.glob("*.pdf"))) == 2
    assert bench.scan("CMD-REPRINT").message.key == "nothing_to_reprint"
    assert "Every recorded label was printed." in pending(data_dir).stdout
    after = Bench(demo_db, Settings.load(data_dir), open_printer(f"pdf:{labels}"))
    assert after.message.message.key == "ready"


def test_the_window_lists_unprinted_labels_when_it_opens(
    qtbot, qapp, demo_db: sqlite_utils.Database, data_dir: Path, settings: Settings
) -> None:
    from station.ui.app import build_station

    order_no = open_orders(demo_db, 1)[0]
    killed_between_record_and_print(data_dir, order_no)
    built = build_station(qapp, data_dir, settings.with_values(station__language="en"), demo=True)
    try:
        assert built.window.banner.outcome.message.key == "labels_unprinted"
        assert order_no in built.window.banner.text()
        assert "Scan REPRINT" in built.window.banner.text()
    finally:
        built.stop()


def fill(folder: Path, leave: int) -> Path:
    """Fill the filesystem of `folder` up to `leave` bytes free; returns the ballast file."""
    ballast = folder / "ballast"
    handle = os.open(ballast, os.O_WRONLY | os.O_CREAT)
    try:
        while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
            os.write(handle, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(handle)
    return ballast


@pytest.mark.parametrize("leave", [0, 16 * 1024])
def test_a_full_disk_leaves_no_empty_or_cut_short_label_file(small_disk: Path, leave: int) -> None:
    labels = small_disk / "labels"
    labels.mkdir()
    job = LabelJob(b"%PDF-1.4\n" + os.urandom(64 * 1024), "pdf", "ZTO-73561234500001")
    ballast = fill(small_disk, leave)
    with pytest.raises(PrinterError) as refused:
        PdfFolder(labels).send(job)
    assert refused.value.code == "disk_full"
    assert "full" in refused.value.message
    assert list(labels.iterdir()) == []
    ballast.unlink()
    written = PdfFolder(labels).send(job).path
    assert written is not None and written.read_bytes() == job.data
    assert [p.name for p in labels.iterdir()] == [written.name]


def test_a_label_the_full_disk_refused_stays_recorded_and_listed(
    demo_db: sqlite_utils.Database, data_dir: Path, small_disk: Path
) -> None:
    labels = small_disk / "labels"
    labels.mkdir()
    bench = Bench(demo_db, Settings.load(data_dir), open_printer(f"pdf:{labels}"))
    bench.scale_link(ScaleLink.CONNECTED)
    order_no = open_orders(demo_db, 1)[0]
    ballast = fill(small_disk, 0)
    bench.scan(order_no)
    for line in orders.find_order(demo_db, order_no).lines:
        for _ in range(line.quantity):
            bench.scan(line.barcodes[0])
    bench.reading(Reading(Decimal(bench.session.expected_grams), True, at=bench.clock()))
    assert bench.message.message.key == "print_failed"
    assert "is full" in bench.message.message.params["reason"]
    assert list(labels.iterdir()) == []
    row = next(demo_db.query("SELECT order_no, label_status, print_count FROM shipments"))
    assert row == {"order_no": order_no, "label_status": "failed", "print_count": 0}
    again = Bench(demo_db, Settings.load(data_dir), open_printer(f"pdf:{labels}"))
    assert again.message.message.key == "labels_unprinted"
    ballast.unlink()
    bench.scan("CMD-REPRINT")
    assert bench.message.message.key == "printed"
    assert len(list(labels.glob("*.pdf"))) == 1


@pytest.mark.parametrize("name", ["zto.pdf", "zto.csv"])
def test_a_full_disk_leaves_no_cut_short_manifest(
    db: sqlite_utils.Database, small_disk: Path, name: str
) -> None:
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(300):
        make_shipment(db, noon + timedelta(seconds=n))
    manifest = manifest_for_day(db, "ZTO", noon.date())
    out = small_disk / "out"
    out.mkdir()
    ballast = fill(small_disk, 4096)
    with pytest.raises(OSError) as refused:
        write_manifest(manifest, out / name)
    assert refused.value.errno == errno.ENOSPC
    assert list(out.iterdir()) == []
    ballast.unlink()
    assert write_manifest(manifest, out / name).stat().st_size > 4096
    assert [p.name for p in out.iterdir()] == [name]


def test_temporary_files_left_by_a_killed_writer_are_removed_an_hour_later(
    tmp_path: Path,
) -> None:
    labels = tmp_path / "labels"
    labels.mkdir()
    old, fresh = labels / ".waybill-1.pdf.abc.part", labels / ".waybill-2.pdf.def.part"
    old.write_bytes(b"%PDF-1.4 cut")
    fresh.write_bytes(b"%PDF-1.4 being written")
    two_hours_ago = datetime.now().timestamp() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    written = PdfFolder(labels).send(LabelJob(b"%PDF-1.4\n%%EOF\n", "pdf", "waybill-3")).path
    assert sorted(p.name for p in labels.iterdir()) == sorted([fresh.name, written.name])

"""The UI's smaller parts: runner thread, sounds, serial scanner, scale bridge, crash dialog,
Qt check, printer URL resolution."""

from __future__ import annotations

import logging
import os
import threading
import wave
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from station.core.messages import Tone
from station.core.reading import Reading, ScaleLink
from station.devices.serial_scanner import split_lines
from station.labels import printer_url
from station.ui import qt_check
from station.ui.crash import CrashHandler
from station.ui.runner import QtRunner
from station.ui.scale_bridge import ScaleBridge
from station.ui.serial_scanner import SerialScanner
from station.ui.sound import SoundPlayer, tone_file
from station.ui.tones import PATTERNS


def test_runner_runs_jobs_on_one_worker_and_answers_on_the_gui_thread(qtbot):
    runner = QtRunner()
    seen: list[tuple[str, object]] = []
    workers: set[int] = set()
    gui = threading.get_ident()

    def job(value: int) -> int:
        workers.add(threading.get_ident())
        return value * 2

    def boom() -> None:
        raise OSError("paper out")

    try:
        for n in range(3):
            runner.submit(lambda n=n: job(n), lambda r: seen.append(("done", r)), seen.append)
        runner.submit(boom, seen.append, lambda e: seen.append(("failed", str(e))))
        qtbot.waitUntil(lambda: runner.idle, timeout=3000)
        assert seen == [("done", 0), ("done", 2), ("done", 4), ("failed", "paper out")]
        assert len(workers) == 1 and gui not in workers
    finally:
        runner.stop()


def test_every_tone_has_its_own_sound_file():
    lengths = set()
    for tone in Tone:
        with wave.open(str(tone_file(tone))) as wav:
            assert wav.getframerate() > 8000 and wav.getnframes() > 0
            lengths.add((wav.getnframes(), PATTERNS[tone]))
    assert len(lengths) == len(Tone)


def test_sound_player_plays_each_tone_and_honours_the_setting():
    played: list[Path] = []
    player = SoundPlayer(True, played.append)
    player.play(Tone.ERROR)
    player.play(Tone.DONE)
    assert player.last is Tone.DONE and [p.name for p in played] == ["error.wav", "done.wav"]
    quiet = SoundPlayer(False, played.append)
    quiet.play(Tone.ERROR)
    assert quiet.last is None and len(played) == 2


def test_split_lines_handles_cr_lf_and_partial_lines():
    assert split_lines(b"WX1\rWX2\r\nWX3\nWX") == (["WX1", "WX2", "WX3"], b"WX")


def test_serial_scanner_reads_lines_from_a_real_pty(qtbot):
    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), 9600)
    scans: list[str] = []
    links: list[bool] = []
    scanner.scanned.connect(scans.append)
    scanner.link_changed.connect(lambda up, _detail: links.append(up))
    scanner.start()
    try:
        qtbot.waitUntil(lambda: links == [True], timeout=3000)
        os.write(master, b"WX20261121000001\r\n6900000000014\r")
        qtbot.waitUntil(lambda: scans == ["WX20261121000001", "6900000000014"], timeout=3000)
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)


class FakeBench:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object, int]] = []

    def reading(self, reading: Reading) -> None:
        self.calls.append(("reading", reading, threading.get_ident()))

    def scale_link(self, link: ScaleLink, detail: str = "") -> None:
        self.calls.append(("link", link, threading.get_ident()))


def test_scale_bridge_delivers_driver_thread_callbacks_on_the_gui_thread(qtbot):
    bench = FakeBench()
    bridge = ScaleBridge(bench)  # type: ignore[arg-type]
    reading = Reading(Decimal("512.4"), stable=True)

    def driver_thread() -> None:
        bridge.on_link(ScaleLink.CONNECTED, "ad on /dev/pts/9")
        bridge.on_reading(reading)

    thread = threading.Thread(target=driver_thread)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(bench.calls) == 2, timeout=2000)
    gui = threading.get_ident()
    assert bench.calls == [("link", ScaleLink.CONNECTED, gui), ("reading", reading, gui)]
    assert bridge.detail == "ad on /dev/pts/9"


def test_crash_handler_logs_every_error_and_shows_one_dialog(qtbot, caplog):
    handler = CrashHandler()
    with caplog.at_level(logging.CRITICAL, logger="station.crash"):
        for _ in range(2):
            try:
                raise ValueError("bug")
            except ValueError as exc:
                handler(type(exc), exc, exc.__traceback__)
    assert handler.count == 2 and len(caplog.records) == 2
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog"]
    assert len(boxes) == 1 and "ValueError: bug" in boxes[0].detailedText()
    boxes[0].done(QMessageBox.StandardButton.Ok)
    boxes[0].deleteLater()


def test_relative_pdf_folder_is_inside_the_data_folder(tmp_path):
    assert printer_url("pdf:labels", tmp_path) == f"pdf:{tmp_path / 'labels'}"
    assert printer_url("pdf:/srv/labels", tmp_path) == "pdf:/srv/labels"
    assert printer_url("escpos+tcp://10.0.0.5:9100", tmp_path) == "escpos+tcp://10.0.0.5:9100"


def test_qt_check_names_the_debian_packages():
    assert qt_check.packages_for(["libxcb-cursor.so.0", "libxcb-icccm.so.4"]) == [
        "libxcb-cursor0",
        "libxcb-icccm4",
    ]
    assert qt_check.xcb_plugin().exists()


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display")
def test_qt_check_passes_on_a_working_display(capsys):
    assert qt_check.main() == 0

from __future__ import annotations

import socket

import pytest
from test_printers_support import READY_ESCPOS, FakePrinter

from printers import LabelJob, PrinterError, open_printer, register_system_printing
from printers.sample import sample_waybill
from printers.urls import parse

JOB = LabelJob(b"\x1b@hello\x1dV\x00", "escpos", "waybill-SF1")


@pytest.fixture
def fake():
    printers: list[FakePrinter] = []

    def make(replies=None) -> FakePrinter:
        printer = FakePrinter(replies or {})
        printers.append(printer)
        return printer

    yield make
    for printer in printers:
        printer.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "language", "link", "target", "options"),
    [
        ("pdf:/tmp/labels", "pdf", "folder", "/tmp/labels", {}),
        ("escpos+tcp://192.168.1.50:9100", "escpos", "tcp", "192.168.1.50:9100", {}),
        ("tspl+tcp://printer.local", "tspl", "tcp", "printer.local:9100", {}),
        (
            "escpos+serial:///dev/ttyUSB0?baud=19200",
            "escpos",
            "serial",
            "/dev/ttyUSB0",
            {"baud": "19200"},
        ),
        ("escpos+usb://0fe6:811e", "escpos", "usb", "0fe6:811e", {}),
        ("tspl+file:///dev/usb/lp0?dpi=300", "tspl", "file", "/dev/usb/lp0", {"dpi": "300"}),
        ("system:Deli%20DL-888", "pdf", "system", "Deli DL-888", {}),
    ],
)
def test_urls(url, language, link, target, options):
    address = parse(url)
    assert (address.language, address.link, address.target, address.options) == (
        language,
        link,
        target,
        options,
    )


@pytest.mark.parametrize(
    "url",
    [
        "",
        "lpr:foo",
        "zpl+tcp://1.2.3.4",
        "escpos+tcp://",
        "escpos+serial://",
        "escpos+usb://zz:yy",
        "escpos+tcp://h:99999",
    ],
)
def test_bad_urls_are_refused_in_plain_words(url):
    with pytest.raises(PrinterError) as err:
        open_printer(url)
    assert err.value.code == "bad_url"
    assert "Examples" in err.value.message


def test_tcp_job_reaches_a_listening_printer_after_a_status_check(fake):
    printer = fake(READY_ESCPOS)
    open_printer(f"escpos+tcp://127.0.0.1:{printer.port}").send(JOB)
    assert printer.wait() == JOB.data
    assert printer.queries == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]


def test_a_printer_that_ignores_status_queries_still_prints(fake):
    printer = fake({})
    target = open_printer(f"escpos+tcp://127.0.0.1:{printer.port}?mode=native")
    job = target.render(sample_waybill())
    target.send(job)
    assert printer.wait() == job.data


def test_paper_out_is_reported_and_nothing_is_sent(fake):
    printer = fake({**READY_ESCPOS, b"\x10\x04\x04": 0x72})  # bits 5 and 6: paper end
    with pytest.raises(PrinterError) as err:
        open_printer(f"escpos+tcp://127.0.0.1:{printer.port}").send(JOB)
    assert err.value.code == "paper_out"
    assert "Load a new roll" in err.value.message
    assert printer.wait() == b""


def test_cover_open_is_reported(fake):
    printer = fake({**READY_ESCPOS, b"\x10\x04\x02": 0x16})  # bit 2: cover open
    with pytest.raises(PrinterError) as err:
        open_printer(f"escpos+tcp://127.0.0.1:{printer.port}").send(JOB)
    assert err.value.code == "cover_open"


def test_tspl_paper_out(fake):
    printer = fake({b"\x1b!?": 0x04})
    with pytest.raises(PrinterError) as err:
        open_printer(f"tspl+tcp://127.0.0.1:{printer.port}").send(JOB)
    assert err.value.code == "paper_out"
    assert printer.wait() == b""


def test_refused_connection():
    port = _free_port()
    with pytest.raises(PrinterError) as err:
        open_printer(f"escpos+tcp://127.0.0.1:{port}").send(JOB)
    assert err.value.code == "refused"
    assert f"127.0.0.1:{port}" in err.value.message


def test_pdf_folder_never_overwrites(tmp_path):
    printer = open_printer(f"pdf:{tmp_path / 'labels'}")
    job = printer.render(sample_waybill(reprint=True))
    first, second = printer.send(job).path, printer.send(job).path
    assert first != second
    assert first.read_bytes() == second.read_bytes() == job.data
    assert first.name.startswith("waybill-SF1023574470215-reprint-")


def test_device_file_errors_are_plain(tmp_path):
    with pytest.raises(PrinterError) as err:
        open_printer(f"escpos+file://{tmp_path}/missing/lp0").send(JOB)
    assert err.value.code == "not_found"


def test_system_printers_need_a_registered_service():
    register_system_printing(None)
    printer = open_printer("system:Deli")
    job = printer.render(sample_waybill())
    assert job.kind == "pdf"
    with pytest.raises(PrinterError) as err:
        printer.send(job)
    assert err.value.code == "unsupported"
    assert "System printers need the desktop app" in err.value.message

    printed = []

    class Service:
        def print_pdf(self, printer_name: str, pdf: bytes, job_name: str) -> None:
            printed.append((printer_name, pdf, job_name))

    register_system_printing(Service())
    try:
        printer.send(job)
    finally:
        register_system_printing(None)
    assert printed == [("Deli", job.data, job.suggested_name)]


def test_usb_printer_failure_says_what_to_do() -> None:
    """No USB printer (or no libusb) here: a plain error naming the fix, never a crash."""
    printer = open_printer("escpos+usb://dead:beef")
    with pytest.raises(PrinterError) as caught:
        printer.send(printer.render(sample_waybill("SF1023574470215")))
    assert caught.value.code in {"unsupported", "offline"}
    assert "libusb" in caught.value.message or "dead:beef" in caught.value.message

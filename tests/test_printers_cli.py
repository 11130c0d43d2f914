from __future__ import annotations

import socket

from test_printers_support import pdf_image, read_codes

from station.cli import main


def test_print_test_writes_a_pdf_whose_barcode_scans(tmp_path, capsys):
    assert main(["print", "test", "--printer", f"pdf:{tmp_path}", "--layout", "100x150"]) == 0
    [pdf] = tmp_path.glob("waybill-*.pdf")
    assert str(pdf) in capsys.readouterr().out
    assert read_codes(pdf_image(pdf.read_bytes())).get("Code128") == {"SF1023574470215"}


def test_print_test_reports_a_refused_printer(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["print", "test", "--printer", f"escpos+tcp://127.0.0.1:{port}"]) == 1
    assert "refused the connection" in capsys.readouterr().err

from __future__ import annotations

import contextlib
import io

import pytest
from escpos.printer import Dummy
from PIL import Image
from test_printers_support import decode_raster, read_codes

from printers import PrinterError, open_printer, preview_image
from printers.escpos import raster_job
from printers.sample import SAMPLE_TRACKING, sample_waybill


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("layout", ["76x130", "100x150", "100x180", "slip"])
def test_codes_scan_from_the_decoded_raster(layout, dpi):
    printer = open_printer("escpos+tcp://127.0.0.1:9100", layout=layout, dpi=dpi)
    job = printer.render(sample_waybill())
    assert job.kind == "escpos"
    image = decode_raster(job.data)
    dots_per_mm = 8 if dpi == 203 else 12
    assert image.width == {"76x130": 76, "slip": 80}.get(layout, 100) * dots_per_mm
    codes = read_codes(image)
    assert codes.get("Code128") == {SAMPLE_TRACKING}
    if layout != "slip":
        assert codes.get("QRCode") == {SAMPLE_TRACKING}


def test_raster_bytes_match_python_escpos_image():
    ink = Image.new("1", (64, 1000), 0)
    ink.paste(1, (8, 8, 40, 990))
    ours = raster_job(ink)
    reference = Dummy()
    reference.hw("INIT")
    with contextlib.redirect_stdout(io.StringIO()):
        reference.image(ink.point(lambda v: 0 if v else 255, mode="1"), impl="bitImageRaster")
    reference.cut()
    assert ours == reference.output


def test_label_wider_than_the_printer_is_refused():
    printer = open_printer("escpos+file:///dev/null?width=72", layout="100x150")
    with pytest.raises(PrinterError) as err:
        printer.render(sample_waybill())
    assert err.value.code == "no_fit"
    assert "width=MM" in err.value.message


def test_preview_is_black_on_white_at_label_size():
    image = preview_image(sample_waybill(), "76x130", 203)
    assert image.size == (608, 1040)
    assert image.mode == "L"
    assert image.getpixel((300, 2)) == 255
    assert read_codes(image).get("Code128") == {SAMPLE_TRACKING}

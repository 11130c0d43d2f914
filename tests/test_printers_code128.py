from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from test_printers_support import read_codes

from printers import code128


def _draw(data: str, module_px: int = 2) -> Image.Image:
    quiet = code128.QUIET_MODULES * module_px
    width = code128.module_count(data) * module_px + 2 * quiet
    image = Image.new("L", (width, 60), 255)
    draw = ImageDraw.Draw(image)
    for start, w in code128.bar_runs(data):
        x = quiet + start * module_px
        draw.rectangle((x, 5, x + w * module_px - 1, 54), fill=0)
    return image


def test_digit_runs_use_code_set_c():
    assert code128.segments("73567696585919") == (code128.Segment("C", "73567696585919"),)
    assert code128.segments("SF1023574470215") == (
        code128.Segment("B", "SF1"),
        code128.Segment("C", "023574470215"),
    )
    assert [s.code_set for s in code128.segments("AB12CD")] == ["B"]


def test_typical_tracking_numbers_fit_76mm_at_3_dots_per_module():
    # 76 mm less 2 mm margins = 576 dots at 8 dots/mm; 10-module quiet zones each side.
    for tracking in ("SF1023574470215", "YT7512345678901", "462598779470531", "JT5123456789012"):
        assert (code128.module_count(tracking) + 20) * 3 <= 576


def test_escpos_data_sends_one_byte_per_digit_pair():
    assert code128.escpos_data("SF1023574470215") == "{BSF1{C" + "".join(
        chr(int(p)) for p in ("02", "35", "74", "47", "02", "15")
    )
    assert code128.escpos_data("73567696585919") == "{C" + "".join(
        chr(int(p)) for p in ("73", "56", "76", "96", "58", "59", "19")
    )


@settings(max_examples=60, deadline=None)
@given(st.from_regex(r"\A(?:[A-Z]{2})?[0-9]{12,15}\Z|\A[A-Za-z0-9\-]{1,20}\Z"))
def test_symbols_read_back(data):
    assert read_codes(_draw(data)).get("Code128") == {data}

from __future__ import annotations

import re

import pytest

from printers import Party, PrinterError, open_printer
from printers.fit import CellMetrics
from printers.sample import SAMPLE_TRACKING, sample_waybill
from printers.tspl import FONTS

TEXT = re.compile(r'^TEXT (\d+),(\d+),"(TSS\d\d\.BF2)",0,(\d),(\d),"(.*)"$')
BARCODE = re.compile(r'^BARCODE (\d+),(\d+),"128",(\d+),0,0,(\d),(\d),"(.*)"$')
QRCODE = re.compile(r'^QRCODE (\d+),(\d+),M,(\d+),A,0,"(.*)"$')


def _commands(layout: str = "76x130", dpi: int = 203, waybill=None) -> list[str]:
    job = open_printer("tspl+tcp://127.0.0.1", layout=layout, dpi=dpi).render(
        waybill or sample_waybill()
    )
    assert job.kind == "tspl"
    text = job.data.decode("gbk")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def test_program_starts_and_ends_as_tspl_requires():
    commands = _commands()
    assert commands[:5] == [
        "SIZE 76 mm,130 mm",
        "GAP 2 mm,0 mm",
        "DIRECTION 1",
        "REFERENCE 0,0",
        "CLS",
    ]
    assert commands[-1] == "PRINT 1,1"


@pytest.mark.parametrize(("layout", "dpi"), [("76x130", 203), ("100x150", 300), ("100x180", 203)])
def test_every_text_lies_inside_the_label(layout, dpi):
    per_mm = 8 if dpi == 203 else 12
    width_dots = int(layout.split("x")[0]) * per_mm
    height_dots = int(layout.split("x")[1]) * per_mm
    cell = {font_mult: dots for dots, font_mult in FONTS.items()}
    texts = [TEXT.match(c) for c in _commands(layout, dpi) if c.startswith("TEXT")]
    assert texts and all(texts)
    for m in texts:
        x, y, font, mult = int(m[1]), int(m[2]), m[3], int(m[4])
        assert m[4] == m[5]
        dots = cell[(font, mult)]
        width = CellMetrics([1.0]).width_mm(m[6], 1 / (25.4 / 72)) * dots
        assert x + width <= width_dots, m[0]
        assert y + dots <= height_dots, m[0]


def test_barcode_and_qr_carry_the_tracking_number():
    commands = _commands()
    barcodes = [BARCODE.match(c) for c in commands if c.startswith("BARCODE")]
    assert len(barcodes) == 1 and barcodes[0]
    x, _, height, narrow, wide, data = barcodes[0].groups()
    assert data == SAMPLE_TRACKING
    assert (narrow, wide) == ("3", "3")  # 0.375 mm modules at 8 dots/mm
    assert int(height) >= 100
    assert int(x) >= 16 + 10 * 3  # margin plus a 10-module quiet zone
    qrs = [QRCODE.match(c) for c in commands if c.startswith("QRCODE")]
    assert len(qrs) == 1 and qrs[0][4] == SAMPLE_TRACKING


def test_chinese_text_masked_and_in_printer_fonts():
    commands = _commands()
    texts = "".join(TEXT.match(c)[6] for c in commands if c.startswith("TEXT"))
    assert "陈** 138****5678" in texts
    assert "陈小明" not in texts
    assert "浙江省杭州市" in texts
    assert any(c.startswith("REVERSE") for c in commands)  # the 收 / 寄 tags


def test_quotes_are_escaped():
    wb = sample_waybill()
    quoted = Party('陈"小"明', "13812345678", 'A"B"路1号')
    commands = _commands(waybill=wb.__class__(**{**wb.__dict__, "recipient": quoted}))
    assert any('A\\["]B\\["]路1号' in c for c in commands)


def test_unfittable_text_is_refused():
    wb = sample_waybill()
    long = Party("陈小明", "13812345678", "浙江省杭州市西湖区文三路" * 30)
    with pytest.raises(PrinterError) as err:
        _commands(waybill=wb.__class__(**{**wb.__dict__, "recipient": long}))
    assert err.value.code == "no_fit"

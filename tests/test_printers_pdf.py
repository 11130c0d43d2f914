from __future__ import annotations

import re

import pytest
from test_printers_support import pdf_image, pdf_pages, pdf_text, read_codes

from printers import Party, PrinterError, open_printer
from printers.layout import page_size
from printers.sample import SAMPLE_TRACKING, sample_waybill


def _render(layout: str, waybill=None) -> bytes:
    job = open_printer("pdf:/nonexistent", layout=layout).render(waybill or sample_waybill())
    assert job.kind == "pdf"
    return job.data


@pytest.mark.parametrize("layout", ["76x130", "100x150", "100x180", "slip"])
def test_barcode_and_qr_scan_from_the_rasterised_pdf(layout):
    data = _render(layout)
    codes = read_codes(pdf_image(data, 203))
    assert codes.get("Code128") == {SAMPLE_TRACKING}
    if layout != "slip":
        assert codes.get("QRCode") == {SAMPLE_TRACKING}


@pytest.mark.parametrize("layout", ["76x130", "100x150", "100x180"])
def test_page_is_exactly_the_label_size(layout):
    width_pt, height_pt = pdf_pages(_render(layout))[0].get_size()
    width_mm, height_mm = page_size(layout)
    assert width_pt == pytest.approx(width_mm * 72 / 25.4, abs=0.01)
    assert height_pt == pytest.approx(height_mm * 72 / 25.4, abs=0.01)


def test_chinese_text_is_in_the_text_layer_and_personal_data_masked():
    text = pdf_text(_render("76x130"))
    squashed = "".join(text.split())
    assert "浙江省杭州市西湖区文三路478号" in squashed
    assert "陈**138****5678" in squashed
    assert "陈小明" not in squashed and "13812345678" not in squashed
    assert "顺丰速运" in squashed and "补打" not in squashed


def test_reprint_is_marked():
    assert "补打" in pdf_text(_render("76x130", sample_waybill(reprint=True)))


def test_only_the_embedded_cjk_font_is_used():
    data = _render("76x130")
    base_fonts = set(re.findall(rb"/BaseFont /([^\s/>]+)", data))
    assert len(base_fonts) == 1
    assert next(iter(base_fonts)).endswith(b"+WenQuanYiMicroHei-0")
    assert b"/FontFile2" in data


def test_unfittable_address_is_refused_with_the_reason():
    wb = sample_waybill()
    long = Party("陈小明", "13812345678", "浙江省杭州市西湖区文三路478号华星时代广场" * 20)
    with pytest.raises(PrinterError) as err:
        _render("76x130", wb.__class__(**{**wb.__dict__, "recipient": long}))
    assert err.value.code == "no_fit"
    assert "recipient's address" in err.value.message

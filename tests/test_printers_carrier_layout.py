"""The carriers' standard e-waybill templates and SF's privacy label (issue 14, Labels).

Every label is rendered as the printer gets it (PDF rasterised, ESC/POS raster
decoded, TSPL commands) and its barcode and QR code are read back with zxing-cpp.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_printers_support import decode_raster, pdf_image, pdf_text, read_codes

from printers import PrinterError, open_printer, tspl
from printers import layout as layouts
from printers.fit import TrueTypeMetrics
from printers.fonts import PT_MM
from printers.primitives import Badge, Barcode, Frame, QrCode, TextLine, dot_mm
from printers.sample import sample_carrier_waybill, sample_sf_waybill, sample_waybill
from printers.waybill import SfRouteLabel, Template
from station.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SIZES = ["76x130", "100x150", "100x180"]
TEMPLATES = {"carrier": sample_carrier_waybill, "sf": sample_sf_waybill}


def _expected_qr(wb) -> str:
    return wb.sf_route.two_dimension_code if wb.sf_route else wb.qr_data


def _pdf(wb, layout: str) -> bytes:
    return open_printer("pdf:/nonexistent", layout=layout).render(wb).data


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", SIZES)
def test_codes_scan_from_the_pdf_and_the_raster(template, layout):
    wb = TEMPLATES[template]()
    from_pdf = read_codes(pdf_image(_pdf(wb, layout), 203))
    raster = open_printer("escpos+tcp://127.0.0.1:9100", layout=layout).render(wb)
    from_raster = read_codes(decode_raster(raster.data))
    for codes in (from_pdf, from_raster):
        assert wb.tracking_number in codes.get("Code128", set())
        assert codes.get("QRCode") == {_expected_qr(wb)}


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("dpi", [203, 300])
def test_tspl_prints_the_same_barcode_and_qr(template, dpi):
    wb = TEMPLATES[template]()
    job = open_printer("tspl+tcp://127.0.0.1", layout="76x130", dpi=dpi).render(wb)
    commands = job.data.decode("gbk").split("\r\n")
    assert '"128",' in next(c for c in commands if c.startswith("BARCODE"))
    assert any(c.endswith(f',"{wb.tracking_number}"') for c in commands if c.startswith("BARCODE"))
    qr = [c for c in commands if c.startswith("QRCODE")]
    assert len(qr) == 1 and qr[0].endswith(f',"{_expected_qr(wb)}"')


def test_carrier_qr_holds_the_carriers_content_when_given():
    wb = replace(sample_carrier_waybill(), qr_content="https://z.example/q?n=73567696585919")
    codes = read_codes(pdf_image(_pdf(wb, "76x130"), 203))
    assert codes.get("QRCode") == {"https://z.example/q?n=73567696585919"}


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", SIZES)
def test_barcode_has_its_quiet_zones_and_scannable_modules(template, layout):
    """Code 128 as carriers print it: bars at least 0.25 mm (2 dots at 203 dpi), at
    least 10 mm tall, and 10 modules of white either side on the printed label."""
    wb = TEMPLATES[template]()
    page = layouts.build(wb, layout, 203)
    image = decode_raster(open_printer("escpos+tcp://1.2.3.4", layout=layout).render(wb).data)
    dot = dot_mm(203)
    codes = [i for i in page.items if isinstance(i, Barcode)]
    assert codes
    for code in codes:
        assert code.module_mm >= 0.25 - 1e-9
        assert code.height_mm >= 10
        row = round((code.y + code.height_mm / 2) / dot)
        quiet = round(10 * code.module_mm / dot)
        left, right = round(code.x / dot), round((code.x + code.width_mm) / dot)
        assert image.getpixel((left, row)) == 0, "the first bar is black"
        for x in [*range(left - quiet, left), *range(right, right + quiet)]:
            assert image.getpixel((x, row)) == 255, f"ink in the quiet zone at dot {x}"


def _largest_text(page) -> TextLine:
    return max((i for i in page.items if isinstance(i, TextLine)), key=lambda t: t.size_pt)


@pytest.mark.parametrize("layout", SIZES)
def test_sort_code_is_the_largest_text_and_bold(layout):
    wb = sample_carrier_waybill()
    big = _largest_text(layouts.build(wb, layout, 203))
    assert big.text == wb.sorting_code and big.bold
    assert big.size_pt >= 24


@pytest.mark.parametrize("layout", ["76x130", "100x150"])
def test_sf_destination_route_label_is_large_and_bold(layout):
    """Only the inbound mapping code (codingMapping) may be as large, as on SF's own label."""
    page = layouts.build(sample_sf_waybill(), layout, 203)
    texts = [i for i in page.items if isinstance(i, TextLine)]
    route = next(t for t in texts if t.text == "571WA-Z069-006")
    assert route.bold and route.size_pt >= 24
    assert all(t.size_pt <= route.size_pt for t in texts if t.text != "H7")


def test_carrier_label_shows_sort_codes_package_centre_and_masked_parties():
    text = "".join(pdf_text(_pdf(sample_carrier_waybill(), "76x130")).split())
    for expected in ("571-W12-03", "杭州西湖", "集包地", "杭州转运中心", "571W", "中通快递"):
        assert expected in text
    assert "陈**138****5678" in text
    assert "陈小明" not in text and "13812345678" not in text
    assert "保价" not in text, "not insured: no insured value"


def test_insured_value_is_printed_with_its_amount():
    wb = replace(sample_carrier_waybill(), insured_value=Decimal("1234.5"))
    assert "保价￥1,234.50" in "".join(pdf_text(_pdf(wb, "76x130")).split())


@pytest.mark.parametrize("template", TEMPLATES)
def test_cold_chain_is_marked_exactly_once(template):
    wb = replace(TEMPLATES[template](), cold_chain=True, service="冷链")
    text = "".join(pdf_text(_pdf(wb, "76x130")).split())
    assert text.count("冷链") == 1


def test_sf_label_carries_the_route_label_fields():
    text = "".join(pdf_text(_pdf(sample_sf_waybill(), "76x130")).split())
    for expected in ("T4", "顺丰标快", "571WA-Z069-006", "H7", "1A", "XB", "保价￥500.00"):
        assert expected in text
    assert "SF1023574470215" in text


def test_sf_privacy_label_masks_both_parties_by_default():
    text = "".join(pdf_text(_pdf(sample_sf_waybill(), "100x150")).split())
    assert "陈**138****5678" in text
    assert "小***021-****1234" in text
    assert "小王手作" not in text and "021-12341234" not in text


def test_sf_print_flag_shows_what_it_asks_for():
    """printFlag 110001000: sender name and phone shown, recipient name shown, the
    recipient's phone still masked."""
    wb = sample_sf_waybill()
    wb = replace(wb, sf_route=replace(wb.sf_route, print_flag="110001000"))
    text = "".join(pdf_text(_pdf(wb, "76x130")).split())
    assert "小王手作021-12341234" in text
    assert "陈小明138****5678" in text


def test_waybill_without_e_waybill_fields_keeps_the_general_layout():
    wb = sample_waybill()
    assert wb.template is Template.GENERAL
    with_print_info = replace(wb, print_info="opaque", qr_content="")
    assert layouts.build(with_print_info, "76x130").items == layouts.build(wb, "76x130").items
    assert replace(wb, sorting_code="571-W12-03").template is Template.CARRIER
    assert replace(wb, package_centre="杭州转运中心").template is Template.CARRIER
    assert replace(wb, sf_route=SfRouteLabel()).template is Template.SF_PRIVACY


def test_a_sort_code_too_long_to_read_is_refused_by_name():
    wb = replace(sample_carrier_waybill(), sorting_code="571-W12-03-" * 8)
    with pytest.raises(PrinterError) as err:
        open_printer("pdf:/x", layout="76x130").render(wb)
    assert err.value.code == "no_fit"
    assert "sort code" in str(err.value)


def test_route_label_from_sfs_documented_answer():
    """The routeLabelData of SF's create-order answer (fixture from SF's example)."""
    answer = json.loads((FIXTURES / "sf_create_order_route_label.json").read_text("utf-8"))
    data = answer["msgData"]["routeLabelInfo"][0]["routeLabelData"]
    route = SfRouteLabel.from_route_label_data(data)
    assert route.dest_route_label == "020W-Z069-006"
    assert route.coding_mapping == "H7"
    assert route.pro_code == "T 标快"
    assert route.two_dimension_code.startswith("MMM={'k1':'020W'")
    assert route.ab_flag == "" and route.xb_flag == "0"
    wb = replace(sample_sf_waybill(data["waybillNo"]), sf_route=route)
    codes = read_codes(pdf_image(_pdf(wb, "76x130"), 203))
    assert codes.get("QRCode") == {route.two_dimension_code}
    assert data["waybillNo"] in codes.get("Code128", set())


KEYS = st.sampled_from(
    ["destRouteLabel", "twoDimensionCode", "proCode", "codingMapping", "abFlag", "printFlag"]
)


@given(st.dictionaries(KEYS, st.none() | st.text(max_size=20) | st.integers()))
def test_route_label_takes_any_values_as_text(data):
    route = SfRouteLabel.from_route_label_data(data)
    value = data.get("destRouteLabel")
    assert route.dest_route_label == ("" if value is None else str(value).strip())
    for position in range(1, 10):
        assert route.shows(position) == (route.print_flag[position - 1 : position] == "1")


def _native(wb) -> bytes:
    return open_printer("escpos+serial:///dev/null", layout="76x130").render(wb).data


def test_native_escpos_prints_the_sort_codes_and_package_centre():
    data = _native(sample_carrier_waybill())
    for text in ("571-W12-03\n", "杭州西湖\n", "集包地 杭州转运中心 571W\n", "陈** 138****5678"):
        assert text.encode("gbk") in data
    assert b"\x1d(k" in data and b"73567696585919" in data


def test_native_escpos_prints_sfs_route_label_masked():
    wb = sample_sf_waybill()
    data = _native(wb)
    for text in ("T4 顺丰标快\n", "571WA-Z069-006\n", "H7 1A E XB\n", "寄 小*** 021-****1234"):
        assert text.encode("gbk") in data
    assert "小王手作".encode("gbk") not in data
    assert wb.sf_route.two_dimension_code.encode() in data, "the QR holds SF's code"


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", SIZES)
@pytest.mark.parametrize("kind", ["truetype", "tspl-203", "tspl-300"])
def test_everything_lies_inside_the_frame(template, layout, kind):
    """Text measured with the metrics it is drawn with (TrueType, or a TSPL printer's
    cells) stays inside the printed frame; codes too."""
    dpi = 300 if kind == "tspl-300" else 203
    metrics = tspl.metrics(dpi) if kind.startswith("tspl") else TrueTypeMetrics()
    page = layouts.build(TEMPLATES[template](), layout, dpi, metrics)
    frame = next(i for i in page.items if isinstance(i, Frame))
    left, top = frame.x - 1e-6, frame.y - 1e-6
    right, bottom = frame.x + frame.w + 1e-6, frame.y + frame.h + 1e-6
    for item in page.items:
        match item:
            case TextLine(x=x, y=y, text=text, size_pt=pt):
                box = (x, y, x + metrics.width_mm(text, pt), y + pt * PT_MM)
            case Badge(x=x, y=y, w=w, h=h):
                box = (x, y, x + w, y + h)
            case Barcode() | QrCode():
                size = item.width_mm if isinstance(item, Barcode) else item.size_mm
                height = item.height_mm if isinstance(item, Barcode) else item.size_mm
                box = (item.x, item.y, item.x + size, item.y + height)
            case _:
                continue
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom, item


@pytest.mark.parametrize("template", TEMPLATES)
def test_codes_scan_at_300_dpi(template):
    wb = TEMPLATES[template]()
    job = open_printer("escpos+tcp://127.0.0.1:9100?dpi=300", layout="100x150").render(wb)
    codes = read_codes(decode_raster(job.data))
    assert wb.tracking_number in codes.get("Code128", set())
    assert codes.get("QRCode") == {_expected_qr(wb)}


@pytest.mark.parametrize("template", TEMPLATES)
def test_child_parcel_of_a_multi_parcel_shipment_says_which_and_its_mother(template):
    wb = replace(
        TEMPLATES[template]("SF1023574470228"),
        parcel_number=2,
        parcel_count=3,
        parent_tracking="SF1023574470215",
    )
    data = _pdf(wb, "76x130")
    text = "".join(pdf_text(data).split())
    assert "SF10235744702282/3" in text
    assert "母单SF1023574470215" in text
    assert "SF1023574470228" in read_codes(pdf_image(data, 203)).get("Code128", set())
    native = _native(wb)
    assert b"SF10 2357 4470 228 2/3" in native
    assert "母单 SF1023574470215".encode("gbk") in native


@pytest.mark.parametrize("template", ["carrier", "sf"])
def test_print_test_prints_a_sample_of_each_template(template, tmp_path):
    url = f"pdf:{tmp_path}"
    assert main(["print", "test", "--printer", url, "--template", template]) == 0
    [pdf] = tmp_path.glob("waybill-*.pdf")
    text = "".join(pdf_text(pdf.read_bytes()).split())
    assert ("571-W12-03" if template == "carrier" else "571WA-Z069-006") in text

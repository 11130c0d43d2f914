from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from printers import PrinterError
from printers.fit import CellMetrics, TrueTypeMetrics, fit_text, printable
from printers.fonts import PT_MM, pillow_font

METRICS = TrueTypeMetrics()
ALPHABET = "浙江省杭州市西湖区文三路号华星时代广场座室前台代收，。（）、 ABCxyz0123456789-#"


def _squash(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@example(text="0、", width=5.0, height=13.0, max_pt=16.0)  # a glued mark alone too wide
@given(
    text=st.text(alphabet=ALPHABET, min_size=1, max_size=200),
    width=st.floats(5, 80),
    height=st.floats(2, 40),
    max_pt=st.sampled_from([8.0, 10.0, 12.0, 16.0]),
)
def test_text_fits_at_a_legible_size_or_is_refused_never_cut(text, width, height, max_pt):
    min_pt = 6.0
    try:
        fitted = fit_text(text, width, height, METRICS, max_pt, min_pt, "address")
    except PrinterError as exc:
        assert exc.code == "no_fit"
        assert "address" in exc.message
        return
    assert min_pt <= fitted.size_pt <= max_pt
    assert fitted.height_mm <= height + 1e-6
    for line in fitted.lines:
        assert METRICS.width_mm(line, fitted.size_pt) <= width + 1e-6
    assert _squash("".join(fitted.lines)) == _squash(printable(text, METRICS.supports))


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="浙江省杭州市西湖区文三路号", min_size=1, max_size=6))
def test_short_text_is_never_refused(text):
    fitted = fit_text(text, 40, 8, METRICS, 12, 7, "name")
    assert fitted.size_pt == 12
    assert fitted.lines == (text,)


def test_long_address_shrinks_before_wrapping_further():
    address = "浙江省杭州市西湖区文三路478号华星时代广场A座1203室（前台代收）" * 2
    big = fit_text(address, 60, 30, METRICS, 12, 7, "address")
    small = fit_text(address, 60, 12, METRICS, 12, 7, "address")
    assert small.size_pt < big.size_pt
    assert len(small.lines) * small.line_mm <= 12


def test_refuses_with_a_reason_when_too_long():
    with pytest.raises(PrinterError) as err:
        fit_text("很长的地址" * 100, 60, 10, METRICS, 12, 7, "recipient's address")
    assert err.value.code == "no_fit"
    assert "recipient's address" in str(err.value)
    assert "7 pt" in str(err.value)


def test_no_line_starts_with_closing_punctuation():
    text = "一二三四五六七八九十，一二三四五六七八九十。"
    for width in (10, 15, 20, 25, 30, 35):
        fitted = fit_text(text, width, 100, METRICS, 10, 10, "text")
        assert all(line[0] not in "，。" for line in fitted.lines)


def test_digit_runs_stay_together_when_they_fit():
    fitted = fit_text("文三路4781234号", 22, 100, METRICS, 10, 10, "text")
    assert any("4781234" in line for line in fitted.lines)


def test_measured_widths_match_the_font_pillow_draws():
    line = "浙江省杭州市西湖区文三路478号A座"
    for size_px in (24, 33, 48):
        size_pt = size_px * (25.4 / 203) / PT_MM
        drawn_mm = pillow_font(size_px).getlength(line) * 25.4 / 203
        assert drawn_mm == pytest.approx(METRICS.width_mm(line, size_pt), rel=0.02)


def test_characters_the_font_lacks_are_dropped_or_marked():
    assert printable("张三😀", METRICS.supports) == "张三"
    assert printable("a\n\tb", METRICS.supports) == "a b"
    gbk = CellMetrics([3.0])
    assert printable("你好€", gbk.supports) == "你好?"


def test_cell_metrics_count_full_and_half_width():
    cells = CellMetrics([3.0])
    size = 3.0 / PT_MM
    assert cells.width_mm("中文", size) == pytest.approx(6.0)
    assert cells.width_mm("ab", size) == pytest.approx(3.0)

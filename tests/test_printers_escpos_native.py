from __future__ import annotations

import datetime as dt

from printers import ContentLine, Party, Waybill, open_printer
from printers.escpos import EscposProfile, native_job

WAYBILL = Waybill(
    carrier="中通快递",
    tracking_number="73567696585919",
    recipient=Party("张三", "13812345678", "杭州市西湖区文三路1号"),
    station=Party("小王", "021-12341234", "上海市碧波路1号"),
    printed_at=dt.datetime(2025, 11, 21, 22, 40),
)


def g(text: str) -> bytes:
    return text.encode("gbk")


NORMAL = b"\x1d!\x00\x1bE\x00\x1ba\x00"  # GS ! 0 (1x1), ESC E 0 (bold off), ESC a 0 (left)
RULE = NORMAL + b"-" * 50 + b"\n"  # 608 dots / 12-dot half-width cells

EXPECTED = b"".join(
    [
        b"\x1b@\x1c&",  # ESC @ initialise, FS & Chinese (GBK) characters
        b"\x1d!\x11\x1bE\x01\x1ba\x00",  # 2x2, bold, left
        g("中通快递\n"),
        NORMAL,
        # Code 128: centre, height 96 dots (12 mm), module 4 dots, HRI font A, HRI off,
        # GS k 73 n=9 "{C" then one byte per digit pair 73 56 76 96 58 59 19
        b"\x1ba\x01\x1dh\x60\x1dw\x04\x1df\x00\x1dH\x00",
        b"\x1dkI\x09{C\x49\x38\x4c\x60\x3a\x3b\x13",
        b"\n",
        b"\x1d!\x11\x1bE\x01\x1ba\x01",
        b"7356 7696 5859 19\n",
        RULE,
        b"\x1d!\x11\x1bE\x01\x1ba\x00",
        g("收 张* 138****5678\n"),
        b"\x1d!\x00\x1bE\x01\x1ba\x00",
        g("杭州市西湖区文三路1号\n"),
        RULE,
        g("寄 小王 021-12341234\n"),
        g("上海市碧波路1号\n"),
        RULE,
        # native QR: model 2, module 6 dots, error correction M, store 14 bytes, print
        b"\x1ba\x01",
        b"\x1d(k\x04\x00\x31\x41\x32\x00",
        b"\x1d(k\x03\x00\x31\x43\x06",
        b"\x1d(k\x03\x00\x31\x45\x31",
        b"\x1d(k\x11\x00\x31\x50\x30" + b"73567696585919",
        b"\x1d(k\x03\x00\x31\x51\x30",
        b"\n",
        NORMAL,
        g("签收人/时间：\n"),
        g("打印 2025-11-21 22:40\n"),
        NORMAL,
        b"\x1bd\x06\x1dV\x00",  # feed 6 lines, full cut
    ]
)


def test_native_job_exact_bytes(capsys):
    assert native_job(WAYBILL, EscposProfile(203, 76)) == EXPECTED
    assert capsys.readouterr().out == ""  # python-escpos's barcode() chatter is swallowed


def test_serial_printers_default_to_native_mode():
    job = open_printer("escpos+serial:///dev/ttyUSB0?baud=19200").render(WAYBILL)
    assert job.data == EXPECTED
    assert len(job.data) < 1000


def test_long_address_wraps_to_the_paper_width_in_gbk():
    wb = Waybill(
        "中通快递",
        "73567696585919",
        Party(
            "张三", "13812345678", "浙江省杭州市西湖区文三路478号华星时代广场A座1203室（前台代收）"
        ),
        Party("小王", "021-12341234", "上海"),
        contents=(ContentLine("手工皂", 2),),
        printed_at=dt.datetime(2025, 11, 21, 22, 40),
    )
    data = native_job(wb, EscposProfile(203, 58))
    # 58 mm = 464 dots = 19 full-width cells of 24 dots: 18.5 cells on the first line.
    assert g("浙江省杭州市西湖区文三路478号华星时代\n广场A座1203室（前台代收）\n") in data
    assert g("内件：手工皂×2") in data


def test_slip_lists_items():
    wb = Waybill(
        "中通快递",
        "73567696585919",
        WAYBILL.recipient,
        WAYBILL.station,
        contents=(ContentLine("手工皂", 2, "SOAP"), ContentLine("洗发水", 1)),
        printed_at=dt.datetime(2025, 11, 21, 22, 40),
    )
    data = native_job(wb, EscposProfile(203, 80), slip=True)
    assert g("发货清单") in data
    assert g("手工皂 [SOAP] ×2\n") in data
    assert g("洗发水 ×1\n") in data
    assert g("共 3 件") in data

"""Logs: rotating files in logs/, no full phone number or address in them; crash report."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station import __version__
from station.core.masking import mask_personal
from station.crash import crash_report, save_crash_report
from station.logs import last_lines, log_file, setup_logging, stop_logging

PHONE = "13812345678"
ADDRESS = "广东省深圳市南山区科技园南区 8 栋 1 楼"


@pytest.fixture
def logging_to(data_dir: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    path = setup_logging(data_dir, console=False)
    yield path
    stop_logging()
    logging.getLogger().setLevel(level)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_a_record_with_phone_and_address_is_masked_in_the_file(logging_to: Path) -> None:
    log = logging.getLogger("station.bench")
    log.info("order %s to %s, phone %s", "WX202603020001", ADDRESS, PHONE)
    log.warning("buyer wrote: 请打 +86 139-8765-4321 或 0755-86001234，送到北京市朝阳区建国路88号")
    text = read(logging_to)
    assert logging_to == log_file(logging_to.parent.parent)
    assert "WX202603020001" in text
    assert "138****5678" in text and PHONE not in text
    assert "139****4321" in text and "87654321" not in text.replace("-", "")
    assert "0755-****1234" in text and "86001234" not in text
    assert "广东省深圳市***" in text and "科技园" not in text
    assert "北京市***" in text and "建国路" not in text
    assert "station.bench" in text


def test_tracebacks_are_masked_too(logging_to: Path) -> None:
    try:
        raise ValueError(f"bad phone {PHONE} at {ADDRESS}")
    except ValueError:
        logging.getLogger("station.import").exception("import failed")
    text = read(logging_to)
    assert "ValueError: bad phone 138****5678 at 广东省深圳市***" in text
    assert PHONE not in text and "科技园" not in text


def test_logs_rotate(data_dir: Path) -> None:
    path = setup_logging(data_dir, console=False, max_bytes=2000, backup_count=2)
    try:
        for i in range(200):
            logging.getLogger("station.test").info("line %d %s", i, "x" * 40)
    finally:
        stop_logging()
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["station.log", "station.log.1", "station.log.2"]
    assert all(p.stat().st_size <= 2100 for p in path.parent.iterdir())
    assert "line 199" in path.read_text(encoding="utf-8")


def test_setting_up_twice_does_not_double_lines(data_dir: Path, logging_to: Path) -> None:
    setup_logging(data_dir, console=False)
    logging.getLogger("station.test").info("once")
    assert read(logging_to).count("once") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "138****5678"),
        ("电话13812345678转1", "电话138****5678转1"),
        ("138 1234 5678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("WX2026030200012345", "WX2026030200012345"),
        ("SF1234567890123", "SF1234567890123"),
        ("weighed 523 g at 2026-03-02 09:30:01", "weighed 523 g at 2026-03-02 09:30:01"),
        ("北京时间 10 点", "北京时间 10 点"),
        ("广东发货", "广东发货"),
        ("浙江省杭州市西湖区文三路 90 号", "浙江省杭州市***"),
        ("新疆维吾尔自治区乌鲁木齐市天山区人民路 1 号", "新疆维吾尔自治区乌鲁木齐市***"),
        ("送到南山区科技园南区 8 栋 1 楼 谢谢", "[地址] 谢谢"),
    ],
)
def test_mask_personal(text: str, expected: str) -> None:
    assert mask_personal(text) == expected


_AROUND = st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=12)


@given(
    before=_AROUND,
    after=_AROUND,
    prefix=st.sampled_from(["13", "14", "15", "16", "17", "18", "19"]),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_no_mobile_number_survives(before: str, after: str, prefix: str, rest: str) -> None:
    phone = prefix + rest
    masked = mask_personal(f"{before}{phone}{after}")
    assert phone not in masked
    assert f"{phone[:3]}****{phone[-4:]}" in masked


@given(
    province=st.sampled_from(["广东省", "浙江省", "四川省", "上海市", "广西壮族自治区"]),
    city=st.sampled_from(["深圳市", "杭州市", "成都市", ""]),
    street=st.sampled_from(["科技园南区", "文三路", "人民路", "建设大道", "幸福里小区"]),
    number=st.integers(min_value=1, max_value=9999),
    unit=st.sampled_from(["号", "栋", "号楼", "室", "单元"]),
)
def test_no_street_address_survives(
    province: str, city: str, street: str, number: int, unit: str
) -> None:
    masked = mask_personal(f"ship to {province}{city}南山区{street}{number}{unit} ok")
    assert street not in masked and "南山区" not in masked
    assert masked.startswith(f"ship to {province}")


def test_crash_report_has_version_platform_traceback_and_masked_log_lines(
    logging_to: Path, data_dir: Path
) -> None:
    logging.getLogger("station.bench").info("scanned order WX1 for %s", PHONE)
    for handler in logging.getLogger().handlers:
        handler.flush()
    try:
        raise RuntimeError(f"printer exploded near {ADDRESS}")
    except RuntimeError:
        report = crash_report(sys.exc_info(), data_dir)
    assert f"Packing Station {__version__}" in report
    assert "System: " in report and "Python: " in report
    assert "RuntimeError: printer exploded near 广东省深圳市***" in report
    assert "in test_crash_report_has_version_platform_traceback_and_masked_log_lines" in report
    assert "scanned order WX1 for 138****5678" in report
    assert PHONE not in report and "科技园" not in report
    saved = save_crash_report(report, data_dir, now=datetime(2026, 3, 2, 9, 30))
    assert saved == data_dir / "logs" / "crash-20260302-093000.txt"
    assert saved.read_text(encoding="utf-8") == report


def test_crash_report_without_logs(data_dir: Path) -> None:
    try:
        raise KeyError("x")
    except KeyError:
        report = crash_report(sys.exc_info(), data_dir)
    assert "KeyError" in report
    assert last_lines(data_dir) == []


def test_no_demo_phone_or_street_reaches_the_file(demo_db, logging_to: Path) -> None:
    from station.store.orders import find_order

    numbers = [n for (n,) in demo_db.execute("SELECT order_no FROM orders")]
    recipients = [find_order(demo_db, n).recipient for n in numbers]
    log = logging.getLogger("station.demo")
    for person in recipients:
        log.info("to %s %s", person.phone, person.address)
    text = read(logging_to)
    assert len(recipients) == 60
    for person in recipients:
        assert person.phone not in text
        street = person.address.removeprefix(person.province).removeprefix(person.city)
        assert street not in text

"""Logging: named loggers, rotating files in `logs/`, and no personal data in them.

Every record that reaches the station's handlers passes `PersonalDataFilter`
first: mobile and landline numbers keep only their ends (138****5678) and
Chinese addresses keep only province and city (广东省深圳市***). Recipient
names cannot be recognised reliably, so code never logs them; log order
numbers instead.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FOLDER = "logs"
LOG_FILE = "station.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?\d{4}[-\s]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[-\s]\d{3,4}(\d{4})(?!\d)")

_PROVINCES = (
    "黑龙江|内蒙古|北京|天津|上海|重庆|河北|山西|辽宁|吉林|江苏|浙江|安徽|福建|江西|山东|"
    "河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_SUFFIX = "壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市"
_CHAR = r"[\u4e00-\u9fff0-9A-Za-z#\-－()（）]"
_TAIL = rf"(?:{_CHAR}|\s(?=[0-9\u4e00-\u9fff]))"
_DETAIL = r"[区县镇乡路街道巷弄号栋幢楼室村组]|单元|小区|大厦|公寓|花园"
_WITH_PROVINCE = re.compile(
    rf"(?P<keep>(?:{_PROVINCES})(?:{_PROVINCE_SUFFIX})?"
    rf"(?:[\u4e00-\u9fff]{{1,7}}?(?:自治州|地区|市|盟))?)(?P<rest>{_TAIL}+)"
)
_WITHOUT_PROVINCE = re.compile(
    rf"[\u4e00-\u9fff]{{1,12}}?(?:市|区|县|镇|乡|街道){_TAIL}*?\d+\s?"
    rf"(?:号|栋|幢|楼|室|单元|弄|巷)(?:\s?{_CHAR}*?\d+\s?(?:号|栋|幢|楼|层|室|单元))*"
)
_DETAIL_RE = re.compile(_DETAIL)
ADDRESS_HIDDEN = "[地址]"
_HANDLER_NAME = "station-log"


def mask_personal(text: str) -> str:
    """The text with phone numbers and addresses masked."""
    text = _MOBILE.sub(r"\1****\2", text)
    text = _LANDLINE.sub(r"\1-****\2", text)
    text = _WITH_PROVINCE.sub(_keep_province, text)
    return _WITHOUT_PROVINCE.sub(ADDRESS_HIDDEN, text)


def _keep_province(match: re.Match[str]) -> str:
    if not _DETAIL_RE.search(match["rest"]):
        return match[0]
    return f"{match['keep']}***"


class PersonalDataFilter(logging.Filter):
    """Masks the message, the traceback and the stack of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_personal(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal(record.stack_info)
        return True


def log_file(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_FOLDER / LOG_FILE


def setup_logging(
    data_dir: Path,
    level: int = logging.INFO,
    console: bool = True,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Send all logging to `logs/station.log` (rotating) and warnings to stderr.

    Calling it again replaces the handlers it installed before. Returns the file.
    """
    stop_logging()
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    ]
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(PersonalDataFilter())
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return path


def stop_logging() -> None:
    """Remove and close the handlers `setup_logging` installed."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
        handler.close()
    logging.captureWarnings(False)


def last_lines(data_dir: Path, count: int = 80) -> list[str]:
    """The last `count` lines of the current log file (for crash reports)."""
    path = log_file(data_dir)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace") as file:
        return [line.rstrip("\n") for line in deque(file, maxlen=count)]

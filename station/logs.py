"""Logging: named loggers, rotating files in `logs/`, and no personal data in them.

Every record that reaches the station's handlers passes `PersonalDataFilter`
first (its rules are station.core.masking's, the label's too): mobile and landline
numbers keep only their ends (138****5678), any other run of 7 to 12 digits its last
four, and Chinese addresses keep only province and city (广东省深圳市***). Recipient
names cannot be recognised reliably, so code never logs them; log order
numbers instead.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

from station.core.masking import mask_personal

LOG_FOLDER = "logs"
LOG_FILE = "station.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_HANDLER_NAME = "station-log"


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

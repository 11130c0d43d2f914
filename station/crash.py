"""The crash report: what a technician needs to understand an unexpected error.

Qt-free; the crash dialog shows the text and offers to copy or save it. The
traceback and log lines are masked like the logs, so a report can be sent on.
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from station import __version__
from station.core.masking import mask_personal
from station.logs import LOG_FOLDER, last_lines

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def crash_report(exc_info: ExcInfo, data_dir: Path, log_lines: int = 80) -> str:
    """Version, platform, the traceback and the last log lines, as plain text."""
    lines = [
        f"Packing Station {__version__}{' (installed build)' if _frozen() else ''}",
        f"Time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"System: {platform.platform()} ({platform.machine()})",
        f"Python: {platform.python_version()} {platform.python_implementation()}",
        f"Qt: {_qt_version()}",
        f"Data folder: {data_dir}",
        "",
        "Traceback:",
        mask_personal("".join(traceback.format_exception(*exc_info))).rstrip(),
        "",
        f"Last log lines ({Path(data_dir) / LOG_FOLDER}):",
        *(mask_personal(line) for line in last_lines(data_dir, log_lines)),
    ]
    return "\n".join(lines) + "\n"


def save_crash_report(text: str, data_dir: Path, now: datetime | None = None) -> Path:
    """Keep the report beside the logs, so it survives the dialog being closed."""
    moment = now or datetime.now()
    path = Path(data_dir) / LOG_FOLDER / f"crash-{moment.strftime('%Y%m%d-%H%M%S')}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _qt_version() -> str:
    """Qt's version if the app loaded it; never imports Qt itself."""
    core = sys.modules.get("PySide6.QtCore")
    if core is None:
        return "not loaded"
    return f"{core.qVersion()} (PySide6 {core.__version__})"

"""Bugs are logged and shown once; Qt's own warnings go into Python logging."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from station.crash import ExcInfo, crash_report, save_crash_report

log = logging.getLogger("station.crash")
qt_log = logging.getLogger("station.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def route_qt_messages() -> None:
    qInstallMessageHandler(_qt_message)


class CrashHandler:
    """`sys.excepthook` for the app: log every unexpected error, show a dialog for the first."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.shown = False
        self.count = 0
        self.dialog: QMessageBox | None = None

    def install(self) -> None:
        sys.excepthook = self

    def __call__(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        self.count += 1
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if self.shown or QApplication.instance() is None:
            return
        self.shown = True
        self.show_dialog(self._details((kind, error, trace)))

    def _details(self, exc_info: ExcInfo) -> str:
        """The crash report (saved beside the logs), or the bare traceback without a folder."""
        if self.data_dir is None:
            return "".join(traceback.format_exception(*exc_info))
        report = crash_report(exc_info, self.data_dir)
        try:
            path = save_crash_report(report, self.data_dir)
        except OSError:
            log.exception("could not save the crash report")
            return report
        return f"{path}\n\n{report}"

    def show_dialog(self, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("Crash", "Error"), "")
        box.setText(
            QApplication.translate(
                "Crash",
                "Something unexpected went wrong. The bench keeps running, but send the "
                "details below to the technician (they are also saved in the logs folder).",
            )
        )
        box.setDetailedText(details)
        box.setObjectName("crashDialog")
        box.open()
        self.dialog = box

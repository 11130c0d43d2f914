"""Interface translations: loading them, and keeping the zh_CN file up to date.

    python -m station.ui.translations update    # refresh the .ts from the sources
    python -m station.ui.translations compile   # .ts -> .qm with PySide6's lrelease

`update` runs PySide6's lupdate over station/ui/*.py plus a generated source
holding every core message text of `station.core.messages.TEXTS` (context
"messages"), every import problem, flag and alert text of
`station.core.problem_texts.TEXTS` with the list separator (context "problems")
and every import field's label of `station.importers.mapping.FIELDS` (context
"fields"), so the one .ts file covers them all; lupdate keeps the translations
already in it. Translators then edit the .ts (Qt Linguist, or any editor).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station.core import problem_texts
from station.core.messages import TEXTS
from station.importers.mapping import FIELDS
from station.paths import resource

log = logging.getLogger("station.ui.translations")

LANGUAGE = "zh_CN"
TS_FILE = resource("translations", f"station_{LANGUAGE}.ts")
QM_FILE = TS_FILE.with_suffix(".qm")
UI_DIR = Path(__file__).resolve().parent

_installed: list[QTranslator] = []


def wants_chinese(language: str) -> bool:
    """The `station.language` setting; empty means the system's language."""
    chosen = language or QLocale.system().name()
    return chosen.lower().startswith("zh")


def install_translators(app: QCoreApplication, language: str) -> bool:
    """Load the station's and Qt's own zh_CN translations when Chinese is wanted."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if not wants_chinese(language):
        return False
    station = QTranslator(app)
    if not station.load(str(QM_FILE)):
        log.warning("cannot load %s", QM_FILE)
        return False
    qt_own = QTranslator(app)
    if qt_own.load(
        f"qtbase_{LANGUAGE}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    app.installTranslator(station)
    _installed.append(station)
    return True


def qt_tool(name: str) -> Path:
    """A Qt tool (lupdate, lrelease) shipped inside the installed PySide6 package."""
    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "bin" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name} not found in {folder}")


def messages_source() -> str:
    """Python source lupdate can read, naming every core message text, every problem
    text (with the separator of their lists) and every import field's label."""
    problems = [*problem_texts.TEXTS.values(), problem_texts.LIST_SEPARATOR]
    labels = dict.fromkeys(f.label for fields in FIELDS.values() for f in fields)
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    lines += [f"QT_TRANSLATE_NOOP({'messages'!r}, {text!r})" for text in TEXTS.values()]
    lines += [f"QT_TRANSLATE_NOOP({'problems'!r}, {text!r})" for text in problems]
    lines += [f"QT_TRANSLATE_NOOP({'fields'!r}, {label!r})" for label in labels]
    return "\n".join(lines) + "\n"


def update() -> None:
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    with tempfile.TemporaryDirectory() as folder:
        core = Path(folder) / "core_messages.py"
        core.write_text(messages_source(), encoding="utf-8")
        subprocess.run(
            [
                str(qt_tool("lupdate")),
                "-no-obsolete",
                "-locations",
                "none",
                *sources,
                str(core),
                "-ts",
                str(TS_FILE),
            ],
            check=True,
        )


def compile_qm() -> None:
    subprocess.run(
        [str(qt_tool("lrelease")), str(TS_FILE), "-qm", str(QM_FILE)],
        check=True,
    )


def main(argv: list[str]) -> int:
    commands = {"update": update, "compile": compile_qm}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m station.ui.translations update|compile")
        return 2
    commands[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

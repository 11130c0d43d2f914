from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "printers"


QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}


def _imports(package: Path) -> list[tuple[str, str]]:
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                found.append((path.name, node.module or ""))
    return found


def test_printers_imports_no_qt_and_of_the_station_only_its_pure_core():
    """The masking rules are station.core's: printers may use core, nothing else."""
    offenders = [
        f"{name}: {module}"
        for name, module in _imports(PACKAGE)
        if module.split(".")[0] in QT
        or (module.split(".")[0] == "station" and not module.startswith("station.core"))
    ]
    assert offenders == []


def test_station_core_imports_neither_printers_nor_qt_nor_other_station_packages():
    core = PACKAGE.parent / "station" / "core"
    offenders = [
        f"{name}: {module}"
        for name, module in _imports(core)
        if module.split(".")[0] in QT | {"printers", "sqlite_utils", "sqlite3"}
        or (module.split(".")[0] == "station" and not module.startswith("station.core"))
    ]
    assert offenders == []

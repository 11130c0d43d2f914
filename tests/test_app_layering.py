"""The application layer stays Qt-free, and no window imports the store: the UI
goes through station/app (counted by tools/import_graph.py, the figure in
ARCHITECTURE)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_graph():
    spec = importlib.util.spec_from_file_location(
        "import_graph", ROOT / "tools" / "import_graph.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_application_layer_imports_no_qt_and_no_ui() -> None:
    for path in (ROOT / "station" / "app").glob("*.py"):
        names = imported(path)
        assert not {n for n in names if n.startswith(("PySide6", "station.ui"))}, path


ALLOWED_STORE_IMPORTS: dict[str, set[str]] = {}
"""UI modules that may still import the store, each with the store modules it may
import and why. None: every window goes through station/app."""


def test_no_window_imports_the_store() -> None:
    graph = import_graph().edges(ROOT / "station" / "ui")
    assert len(graph) > 30  # the windows were found
    found = {name: used for name, used in graph.items() if used}
    assert found == ALLOWED_STORE_IMPORTS


def test_the_counter_counts_every_kind_of_store_import(tmp_path: Path) -> None:
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "a.py").write_text(
        "from station.store import orders, shipments\n"
        "def f():\n    from station.store.users import User\n",
        encoding="utf-8",
    )
    (ui / "b.py").write_text("import station.store.db\nfrom station.app import x\n", "utf-8")
    (ui / "c.py").write_text("from station.app.search import Search\n", encoding="utf-8")
    graph = import_graph().edges(ui)
    assert graph == {
        "a": {"station.store.orders", "station.store.shipments", "station.store.users"},
        "b": {"station.store.db"},
        "c": set(),
    }

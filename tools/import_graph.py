"""Count the UI's direct imports of the store: how many `station/ui` modules import
`station.store` and how many (UI module, store module) edges there are.

    python tools/import_graph.py [--list]

Imports inside functions count too: a lazy import is still a dependency. The
application layer (`station/app`) is where the UI should go instead.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = "station.store"


def store_modules(tree: ast.AST) -> set[str]:
    """The `station.store` modules one parsed module imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if _in_store(a.name))
        elif isinstance(node, ast.ImportFrom) and node.module and _in_store(node.module):
            if node.module == STORE:
                found.update(f"{STORE}.{a.name}" for a in node.names)
            else:
                found.add(node.module)
    return found


def _in_store(name: str) -> bool:
    return name == STORE or name.startswith(STORE + ".")


def edges(package: Path) -> dict[str, set[str]]:
    """Each module of `package` with the store modules it imports (empty when none)."""
    return {
        path.stem: store_modules(ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(package.glob("*.py"))
        if path.stem != "__init__"
    }


def main(argv: list[str]) -> int:
    graph = edges(ROOT / "station" / "ui")
    importers = {name: used for name, used in graph.items() if used}
    if "--list" in argv:
        for name, used in importers.items():
            print(f"station.ui.{name}: {', '.join(sorted(used))}")
    print(
        f"{len(importers)} of {len(graph)} UI modules import the store directly "
        f"({sum(len(used) for used in importers.values())} module edges)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

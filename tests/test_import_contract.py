"""The layering contract: desktop.core is pure Python and never reaches into the builder or Qt."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def _is_qt(name: str) -> bool:
    return name.split(".")[0] in {"PySide6", "shiboken6"}


def test_core_never_imports_qt_or_the_builder() -> None:
    offenders = {
        module: sorted(n for n in names if n.split(".")[0] in {"PySide6", "index_build", "shiboken6"})
        for module, names in _imports(ROOT / "desktop" / "core").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_builder_never_imports_qt_or_the_shell() -> None:
    offenders = {
        module: sorted(n for n in names if _is_qt(n) or (n.startswith("desktop.") and not n.startswith("desktop.core")))
        for module, names in _imports(ROOT / "index_build").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_contract_check_sees_real_imports() -> None:
    # Guards the check itself: it must find the imports we know are there.
    names = _imports(ROOT / "index_build")
    assert "desktop.core.records" in names[str(Path("index_build") / "writer.py")]

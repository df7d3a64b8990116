"""The layering contracts in pyproject.toml hold, catch indirect violations, and cover every shell module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the tree at tree (its pyproject.toml, its packages), without a cache."""
    return subprocess.run(
        [sys.executable, "-c", _LINT, "--no-cache", "--no-logo"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("desktop", "index_build"):
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _contract(ident: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, Any] = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == ident)
    return found


def _shell_layer() -> set[str]:
    return {name.strip() for name in _contract("layers")["layers"][0].split(":")}


def test_contracts_hold_on_the_tree() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_an_indirect_qt_import_in_core_breaks_the_contracts(tmp_path: Path) -> None:
    # desktop.theme imports PySide6: reaching it from core loads Qt without core naming PySide6 anywhere.
    tree = _copy_tree(tmp_path)
    codes = tree / "desktop" / "core" / "codes.py"
    codes.write_text(codes.read_text(encoding="utf-8") + "\nfrom desktop.theme import ThemeManager  # noqa\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    out = result.stdout
    assert "desktop.core is pure Python: no Qt, no builder, no shell BROKEN" in out
    assert "shell > builder > core BROKEN" in out
    assert "desktop.core.codes -> desktop.theme" in out
    # The Qt chain is reported through the shell module, not only the direct import.
    assert "desktop.theme -> PySide6" in out


def test_a_builder_importing_qt_breaks_the_contracts(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    (tree / "index_build" / "gui_helper.py").write_text('"""Deliberate violation."""\n\nimport PySide6.QtCore\n')
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "index_build runs without Qt BROKEN" in result.stdout
    assert "index_build.gui_helper -> PySide6" in result.stdout


def test_a_builder_importing_the_shell_breaks_the_layers(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    writer = tree / "index_build" / "writer.py"
    writer.write_text(writer.read_text(encoding="utf-8") + "\nimport desktop.search.results_model  # noqa\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "shell > builder > core BROKEN" in result.stdout
    assert "index_build.writer -> desktop.search.results_model" in result.stdout


def test_a_cycle_between_shell_modules_breaks_the_contracts(tmp_path: Path) -> None:
    # app imports smoke for --smoke-test; smoke once imported open_engine from app, a cycle.
    tree = _copy_tree(tmp_path)
    smoke = tree / "desktop" / "smoke.py"
    smoke.write_text(smoke.read_text(encoding="utf-8") + "\nfrom desktop.app import Shell  # noqa\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "no import cycles between the shell's modules BROKEN" in result.stdout
    assert ".smoke -> .app" in result.stdout


def test_the_shell_layer_names_every_shell_module() -> None:
    # A shell module missing from the layer would be checked by nothing: add it to pyproject.toml.
    on_disk = {
        f"desktop.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "desktop").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    } - {"desktop.core"}
    assert on_disk == _shell_layer()


def test_a_renderer_importing_qt_breaks_the_contracts(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    html = tree / "desktop" / "detail" / "html.py"
    html.write_text(html.read_text(encoding="utf-8") + "\nfrom PySide6.QtGui import QColor  # noqa\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "the detail renderers (records -> HTML) run without Qt BROKEN" in result.stdout
    assert "desktop.detail.html -> PySide6" in result.stdout


def test_the_renderer_contract_names_every_detail_module_but_the_widget() -> None:
    on_disk = {f"desktop.detail.{path.stem}" for path in (ROOT / "desktop" / "detail").glob("*.py")}
    expected = on_disk - {"desktop.detail.__init__", "desktop.detail.view"} | {"desktop.colours"}
    assert set(_contract("renderers-headless")["source_modules"]) == expected

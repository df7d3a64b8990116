"""docs/DESIGN.md maps the tree: every module of the core, the search engine, the builder and the shell is named."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The folders whose every module the layer map and the search map name (sources/* are listed as packages).
MAPPED = ("desktop", "desktop/core", "desktop/core/search", "desktop/dialogs", "index_build")


def _modules(folder: Path) -> set[str]:
    names = {path.name for path in folder.glob("*.py") if path.name != "__init__.py"}
    names |= {f"{path.name}/" for path in folder.iterdir() if (path / "__init__.py").is_file()}
    return names


def test_design_names_every_module() -> None:
    design = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    missing = {
        f"{folder}/{name}" for folder in MAPPED for name in _modules(ROOT / folder) if name.rstrip("/") not in design
    }
    assert missing == set(), "add these to docs/DESIGN.md (the layer map or the search engine map)"


def test_design_names_no_module_that_is_gone() -> None:
    design = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    for gone in (
        "search_controller.py",
        "search_cache.py",
        "search_cache_build",
        "BuildWorker",
        "_UpdateThread",
        "_ImportThread",
    ):
        assert gone not in design

"""Core, builder and detail renderers work without PySide6: import all, build an index, search, render a tab."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# Run in a fresh interpreter: this session has loaded PySide6 already (pytest-qt, the desktop tests).
_SCRIPT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    from importlib.abc import MetaPathFinder
    from pathlib import Path

    class NoQt(MetaPathFinder):
        # Any attempt to load Qt fails as it would where PySide6 is not installed.
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"PySide6", "shiboken6"}:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked for this test)", name=name)
            return None

    sys.meta_path.insert(0, NoQt())
    try:
        import PySide6  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("the blocker let PySide6 through")

    import desktop.core, desktop.detail, index_build
    imported = ["desktop.colours"]
    importlib.import_module("desktop.colours")
    for package in (desktop.core, index_build, desktop.detail):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith(("__main__", "detail.view")):  # view is the Qt widget
                importlib.import_module(info.name)
                imported.append(info.name)

    from desktop.core.engine import open_engine
    from index_build.build import build_index

    fixtures, out = Path(sys.argv[1]), Path(sys.argv[2])
    manifest = build_index(out, [fixtures / "icd10cm", fixtures / "icd10pcs", fixtures / "hcpcs"], lambda line: None)
    engine = open_engine(out, cpt_folder=out.parent / "no-cpt")
    try:
        found = {q: [h.code for h in engine.search(q).hits[:3]] for q in ("E11.9", "diabetes", "0DTJ4ZZ")}
        detail = engine.index.detail("ICD-10-CM", "E11.9")
        from desktop.colours import LIGHT
        from desktop.detail.descriptor import descriptor_html
        page = descriptor_html(engine.index, detail, LIGHT)
    finally:
        engine.close()
    print(json.dumps({
        "imported": imported,
        "code_sets": sorted(c["code_set"] for c in manifest.code_sets),
        "found": found,
        "title": detail.record.title if detail else None,
        "problem": engine.problem,
        "page": page,
        "qt_loaded": sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"}),
    }))
    """
)


def test_core_and_builder_run_without_pyside6(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(FIXTURES), str(tmp_path / "index")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "", "CODEATLAS_DATA_DIR": str(tmp_path / "userdata")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["qt_loaded"] == []
    # Every module of both packages imported, not just the few the build touches.
    assert {"desktop.core.search.engine", "desktop.core.paths", "index_build.update", "index_build.cpt_import"} <= set(
        report["imported"]
    )
    assert report["code_sets"] == ["HCPCS", "ICD-10-CM", "ICD-10-PCS"]
    assert report["found"]["E11.9"][0] == "E11.9"
    assert "E11.9" in report["found"]["diabetes"]
    assert report["found"]["0DTJ4ZZ"] == ["0DTJ4ZZ"]
    assert report["title"] == "Type 2 diabetes mellitus without complications"
    assert report["problem"] == ""
    # The Descriptor tab's HTML, rendered with Qt absent.
    assert "Type 2 diabetes mellitus without complications" in report["page"] and "E11.9" in report["page"]
    assert "desktop.detail.descriptor" in report["imported"]

"""What the spec bundles and trims: Qt module excludes, resources, plugin filter, library pruning."""

from __future__ import annotations

import pytest


def test_qt_modules_used_reads_both_import_styles(load, tmp_path):
    support = load("spec_support")
    (tmp_path / "a.py").write_text("from PySide6.QtSvg import QSvgRenderer\nimport PySide6.QtPrintSupport\n")
    (tmp_path / "b.py").write_text("from PySide6 import (QtCore,\n    QtNetwork)\n")
    (tmp_path / "c.txt").write_text("from PySide6.QtWebEngineCore import X\n")  # not Python: ignored
    used = support.qt_modules_used([tmp_path])
    assert used == {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport", "QtNetwork"}


def test_qt_excludes_everything_installed_but_unused(load, tmp_path):
    support = load("spec_support")
    for name in (
        "QtCore.abi3.so",
        "QtGui.abi3.so",
        "QtQml.abi3.so",
        "QtWebEngineCore.pyd",
        "QtQml.pyi",
        "libpyside6.abi3.so.6.12",
    ):
        (tmp_path / name).write_text("")
    installed = support.installed_qt_modules(tmp_path)
    assert installed == {"QtCore", "QtGui", "QtQml", "QtWebEngineCore"}
    assert support.qt_excludes(installed, {"QtCore", "QtGui"}) == ["PySide6.QtQml", "PySide6.QtWebEngineCore"]


def test_the_real_app_keeps_the_widgets_and_drops_web_engine(load, packaging_dir):
    support = load("spec_support")
    used = support.qt_modules_used([packaging_dir.parent / "main.py", packaging_dir.parent / "desktop"])
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    assert not used & {"QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick"}


def test_resource_datas_ships_the_index_but_not_staging_folders(load, tmp_path):
    support = load("spec_support")
    resources = tmp_path / "resources"
    for relative in (
        "index/manifest.json",
        "index/MAIN_WRITELOCK",
        "index/_MAIN_1.toc",
        "index.new/x.seg",
        "index.old/y.seg",
        "icons/codeatlas.png",
        "icons/__pycache__/z.pyc",
        "styles/.hidden",
    ):
        (resources / relative).parent.mkdir(parents=True, exist_ok=True)
        (resources / relative).write_text("x")
    pairs = support.resource_datas(resources)
    shipped = sorted((dest, source.split("resources", 1)[1].lstrip("/\\")) for source, dest in pairs)
    assert shipped == [
        ("resources/icons", "icons/codeatlas.png"),
        ("resources/index", "index/MAIN_WRITELOCK"),
        ("resources/index", "index/_MAIN_1.toc"),
        ("resources/index", "index/manifest.json"),
    ]


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("resources/index/manifest.json", True),
    ],
)
def test_keep_qt_file(load, dest, kept):
    assert load("spec_support").keep_qt_file(dest) is kept


def test_prune_unreached_keeps_only_what_roots_link_to(load):
    support = load("spec_support")
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0", "BINARY"),
        ("libcairo.so.2", "/src/libcairo.so.2", "BINARY"),  # only the dropped GTK theme needed it
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    links = {
        "/src/QtWidgets.abi3.so": ["libQt6Widgets.so.6", "libc.so.6"],
        "/src/libQt6Widgets.so.6": ["libQt6Core.so.6"],
        "/src/libqxcb.so": ["libxcb-cursor.so.0", "libQt6Core.so.6"],
    }
    kept = support.prune_unreached(binaries, lambda source: links.get(source, []))
    assert [entry[0] for entry in kept] == [entry[0] for entry in binaries if entry[0] != "libcairo.so.2"]


def test_dangling_symlinks_are_dropped(load):
    support = load("spec_support")
    entries = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("resources/VERSION", "/b/VERSION", "DATA"),
    ]
    kept = support.drop_dangling_symlinks(entries, {"PySide6/Qt/lib/libQt6Core.so.6"})
    assert [entry[0] for entry in kept] == ["libQt6Core.so.6", "resources/VERSION"]


def test_check_index_stops_a_build_without_an_index(load, tmp_path):
    support = load("spec_support")
    with pytest.raises(SystemExit, match="No built index"):
        support.check_index(tmp_path / "index")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "manifest.json").write_text("{}")
    support.check_index(tmp_path / "index")


def test_bundle_sources_copies_the_files_the_index_was_built_from(load, tmp_path):
    sources = tmp_path / "sources"
    (sources / "hcpcs").mkdir(parents=True)
    (sources / "hcpcs" / "release.zip").write_bytes(b"zip")
    (sources / "pcs.xml").write_text("<x/>")
    (sources / "MANIFEST.md").write_text("notes")
    target = tmp_path / "resources" / "sources"
    (target / "stale").mkdir(parents=True)
    manifest = {
        "files": [
            {"name": "release.zip!proc_notes.txt"},
            {"name": "pcs.xml"},
            {"name": "icd10c-tabular-April-1-2026.xml"},
        ]
    }
    copied = load("spec_support").bundle_sources(manifest, sources, target)
    assert sorted(p.relative_to(target).as_posix() for p in copied) == ["hcpcs/release.zip", "pcs.xml.zip"]
    assert (target / "hcpcs" / "release.zip").read_bytes() == b"zip"  # an official zip is copied as it is
    import zipfile

    with zipfile.ZipFile(target / "pcs.xml.zip") as archive:
        assert archive.namelist() == ["pcs.xml"] and archive.read("pcs.xml") == b"<x/>"
    assert not (target / "stale").exists() and not (target / "MANIFEST.md").exists()


def test_the_frozen_start_runs_without_garbage_collection_until_the_gui_collector(packaging_dir):
    """The spec names packaging/rthook_startup.py as its runtime hook (PyInstaller runs custom hooks before
    its own), and the hook leaves cyclic collection off; main.py does the same when run as the program,
    not when a spawned process imports it as __mp_main__."""
    import ast
    import subprocess
    import sys

    spec = ast.parse((packaging_dir / "codeatlas.spec").read_text(encoding="utf-8"))
    analysis = next(
        node for node in ast.walk(spec) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Analysis"
    )
    hooks = next(keyword.value for keyword in analysis.keywords if keyword.arg == "runtime_hooks")
    assert "rthook_startup.py" in ast.unparse(hooks)
    check = "import gc, runpy, sys; runpy.run_path(sys.argv[1], run_name=sys.argv[2]); print(gc.isenabled())"
    hook = str(packaging_dir / "rthook_startup.py")
    ran = subprocess.run([sys.executable, "-c", check, hook, "hook"], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["False"]
    main = str(packaging_dir.parent / "main.py")
    prelude = "import sys; sys.path.insert(0, sys.argv[3]); "
    spawned = subprocess.run(
        [sys.executable, "-c", prelude + check, main, "__mp_main__", str(packaging_dir.parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert spawned.stdout.split() == ["True"]
    as_program = (
        "import gc, runpy, sys; sys.path.insert(0, sys.argv[2]); sys.argv = [sys.argv[1], '--help']\n"
        "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(gc.isenabled())"
    )
    helped = subprocess.run(
        [sys.executable, "-c", as_program, main, str(packaging_dir.parent)], capture_output=True, text=True, check=True
    )
    assert helped.stdout.split()[-1] == "False" and "--smoke-test" in helped.stdout

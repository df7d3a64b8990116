"""What codeatlas.spec bundles and trims, kept apart so tests can check it without PyInstaller."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (name in bundle, source path, typecode)
ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "CodeAtlas"
BUNDLE_ID = "org.codeatlas.CodeAtlas"
EXE_NAME = {"win32": "CodeAtlas", "darwin": "CodeAtlas"}  # Linux: lower case, as commands are there

# The shell's widgets need these whatever the imports say (QtGui and QtWidgets load QtCore).
QT_ALWAYS = frozenset({"QtCore", "QtGui", "QtWidgets"})
_QT_IMPORT = re.compile(r"\bPySide6\.(Qt\w+)|\bfrom\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")

# Modules that tests, the index build or dev tools import but the program never needs.
NEVER_BUNDLED = (
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "fpdf",
    "mypy",
    "ruff",
    "IPython",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "pip",
    "PIL",  # pypdf and openpyxl want Pillow only for images; the index builder reads text
    # OpenSSL (libcrypto + libssl, 5.4 MB): nothing talks to a network, and hashlib falls back to
    # Python's own sha256 (the manifest checksums) when _hashlib is absent.
    "ssl",
    "_ssl",
    "_hashlib",
    # Nothing starts processes (Whoosh's multi-process writer and ProcessPoolExecutor are never used);
    # bundled, PyInstaller's multiprocessing runtime hook imports it at every start (~13 ms).
    "multiprocessing",
)

# Qt plugin folders and files worth shipping; everything else the hooks collect is dropped.
# platforms: xcb/wayland for desktops, offscreen for --smoke-test, cocoa/windows for the other OSes.
_KEEP_PLUGIN_DIRS = frozenset(
    {
        "platforms",
        "platformthemes",
        "platforminputcontexts",
        "imageformats",
        "iconengines",
        "styles",
        "xcbglintegrations",
        "wayland-decoration-client",
        "wayland-graphics-integration-client",
        "wayland-shell-integration",
    }
)
_DROP_PLATFORMS = ("vnc", "linuxfb", "eglfs", "minimalegl", "vkkhrdisplay", "direct2d")
# The GTK3 theme drags GTK's own stack (cairo, pango, atk...) into the bundle, where it can clash with the
# desktop's newer GTK; the XDG portal theme still gives native file dialogs.
_DROP_THEMES = ("gtk3",)
_KEEP_IMAGE_FORMATS = ("svg", "ico", "icns", "jpeg", "gif")


def qt_modules_used(folders: Iterable[Path]) -> set[str]:
    """Names of the PySide6 modules that the .py files under folders import, plus QT_ALWAYS."""
    used = set(QT_ALWAYS)
    for folder in folders:
        files = [folder] if folder.is_file() else folder.rglob("*.py")
        for path in files:
            for dotted, listed in _QT_IMPORT.findall(path.read_text(encoding="utf-8")):
                used.update(name for name in [dotted, *re.split(r"[\s,]+", listed)] if name.startswith("Qt"))
    return used


def installed_qt_modules(pyside_dir: Path) -> set[str]:
    """The Qt* binding modules of an installed PySide6 (QtCore.abi3.so, QtCore.pyd, ...)."""
    return {
        path.name.split(".")[0]
        for path in pyside_dir.iterdir()
        if path.name.startswith("Qt") and path.suffix in (".so", ".pyd")
    }


def qt_excludes(installed: Iterable[str], used: set[str]) -> list[str]:
    """PySide6 modules to exclude from the analysis: every installed one the program does not import."""
    return sorted(f"PySide6.{name}" for name in installed if name not in used)


def resource_datas(resources: Path) -> list[tuple[str, str]]:
    """(source file, bundle folder) pairs for resources/, skipping the builder's staging folders."""
    pairs = []
    for path in sorted(resources.rglob("*")):
        relative = path.relative_to(resources)
        top = relative.parts[0]
        if not path.is_file() or "__pycache__" in relative.parts or path.name.startswith("."):
            continue
        if top != "index" and top.startswith("index."):  # index.new / index.old from an atomic swap
            continue
        pairs.append((str(path), str(PurePosixPath("resources", *relative.parent.parts))))
    return pairs


def keep_qt_file(dest: str) -> bool:
    """False for a collected Qt plugin or translation that the program never loads."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "translations" in parts and parts[-1].endswith(".qm"):
        return False  # the interface is English only; Qt falls back to its built-in English strings
    if "plugins" not in parts:
        return True
    where = parts.index("plugins")
    if where + 2 >= len(parts):
        return True
    kind, name = parts[where + 1], parts[-1].lower()
    if kind not in _KEEP_PLUGIN_DIRS:
        return False
    if kind == "platforms":
        return not any(drop in name for drop in _DROP_PLATFORMS)
    if kind == "platformthemes":
        return not any(drop in name for drop in _DROP_THEMES)
    if kind == "imageformats":
        return any(keep in name for keep in _KEEP_IMAGE_FORMATS)
    return True


def prune_unreached(binaries: list[Entry], imports_of: Callable[[str], Iterable[str]]) -> list[Entry]:
    """Drop shared libraries that nothing kept still links to (Linux: those of the dropped plugins).

    binaries holds PyInstaller (dest, source, typecode) entries; imports_of(source) gives the file
    names a binary links against. Roots are Python extensions, Qt plugins and libpython.
    """
    libraries = [entry for entry in binaries if entry[2] == "BINARY"]
    by_name = {_name(entry[0]): entry for entry in libraries}
    stack = [entry for entry in binaries if entry[2] not in ("BINARY", "SYMLINK")]
    stack += [
        entry for entry in libraries if "/plugins/" in _posix(entry[0]) or _name(entry[0]).startswith("libpython")
    ]
    reached: set[str] = set()
    while stack:
        entry = stack.pop()
        if entry[0] in reached:
            continue
        reached.add(entry[0])
        stack.extend(by_name[name] for name in imports_of(entry[1]) if name in by_name)
    return [entry for entry in binaries if entry[2] == "SYMLINK" or entry[0] in reached]


def drop_dangling_symlinks(entries: list[Entry], present: set[str]) -> list[Entry]:
    """Remove SYMLINK entries (dest, target, 'SYMLINK') whose target is no longer bundled."""
    return [entry for entry in entries if entry[2] != "SYMLINK" or _posix(entry[1]) in present]


def _posix(dest: str) -> str:
    return dest.replace("\\", "/")


def _name(dest: str) -> str:
    return PurePosixPath(_posix(dest)).name


def check_index(index: Path) -> None:
    """Stop the build early when there is no built index to ship (an installer without one is useless)."""
    if not (index / "manifest.json").is_file():
        raise SystemExit(
            f"No built index at {index}: run packaging/build.py (or python -m index_build "
            f"--out {index} --sources DIR) first."
        )


_ZIPPED_SUFFIXES = (".xml", ".txt", ".json")  # plain text official files; PDFs, zips and workbooks are packed already


def bundle_sources(manifest: dict[str, Any], sources: Path | None, target: Path) -> list[Path]:
    """Copy the official files the index was built from into resources/sources (public domain).

    "Add or update code sets" in the installed app rebuilds from these plus the user's new files, so
    adding a HCPCS quarter does not drop ICD-10-PCS. Zip members are bundled as their zip; plain text
    files (XML, TXT, JSON) each go into a zip of their own name plus .zip.
    """
    if target.exists():
        shutil.rmtree(target)
    if sources is None:
        return []
    wanted = {str(entry["name"]).split("!")[0] for entry in manifest.get("files", [])}
    copied = []
    for path in sorted(p for p in sources.rglob("*") if p.is_file() and p.name in wanted):
        destination = target / path.relative_to(sources)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() in _ZIPPED_SUFFIXES:
            # The builder reads zip members like files (by content), and the XML shrinks ~10x: 8 MB less installed.
            destination = destination.with_name(path.name + ".zip")
            with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
                archive.write(path, path.name)
        else:
            shutil.copy2(path, destination)
        copied.append(destination)
    return copied

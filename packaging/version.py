"""The program version, read from pyproject.toml; `python packaging/version.py` prints it."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
# Inno Setup's VersionInfoVersion, CFBundleVersion and Debian all want plain dotted numbers, so a
# version like "0.1.0rc1" must fail here rather than produce an installer that Windows rejects.
_PLAIN = re.compile(r"^\d+(\.\d+){1,3}$")
VERSION_FILE_NAME = "VERSION"


def read_version(pyproject: Path = PYPROJECT) -> str:
    """The [project] version of pyproject.toml, checked to be plain dotted numbers (e.g. 0.1.0)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    version = str(data["project"]["version"])
    if not _PLAIN.match(version):
        raise ValueError(f"{pyproject}: version {version!r} is not plain dotted numbers like 0.1.0")
    return version


def windows_version(version: str) -> str:
    """Four-part form for Windows version resources: 0.1.0 -> 0.1.0.0."""
    parts = version.split(".")
    return ".".join(parts + ["0"] * (4 - len(parts)))


def write_version_file(folder: Path, version: str | None = None) -> Path:
    """Write VERSION (one line) into folder; the spec bundles it as resources/VERSION for the About box."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / VERSION_FILE_NAME
    target.write_text((version or read_version()) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(read_version(Path(sys.argv[1]) if len(sys.argv) > 1 else PYPROJECT))

"""The version helper agrees with pyproject.toml and refuses versions installers cannot carry."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[project]", 1)[1]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match
    return match.group(1)


def test_read_version_matches_pyproject(load):
    assert load("version").read_version() == _pyproject_version()


def test_command_line_prints_the_version(packaging_dir):
    out = subprocess.run(
        [sys.executable, str(packaging_dir / "version.py")], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == _pyproject_version()


@pytest.mark.parametrize("bad", ["0.1.0rc1", "1", "v1.2.3", "1.2.3.4.5", "1.2.dev0"])
def test_rejects_versions_windows_and_macos_cannot_carry(load, tmp_path, bad):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\nversion = "{bad}"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="plain dotted numbers"):
        load("version").read_version(pyproject)


def test_windows_version_has_four_parts(load):
    helper = load("version")
    assert helper.windows_version("0.1.0") == "0.1.0.0"
    assert helper.windows_version("2.5") == "2.5.0.0"
    assert helper.windows_version("1.2.3.4") == "1.2.3.4"


def test_version_file_for_the_about_box(load, tmp_path):
    helper = load("version")
    written = helper.write_version_file(tmp_path / "out", "3.4.5")
    assert written == tmp_path / "out" / "VERSION"
    assert written.read_text(encoding="utf-8") == "3.4.5\n"

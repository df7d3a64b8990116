"""The spec, the Inno Setup script and the CI workflow say what the packaging promises (static checks)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def _keyword(call: ast.Call, name: str) -> ast.expr:
    return next(k.value for k in call.keywords if k.arg == name)


def test_spec_is_onedir_with_a_macos_bundle():
    tree = ast.parse((ROOT / "packaging" / "codeatlas.spec").read_text(encoding="utf-8"))
    (exe,) = _calls(tree, "EXE")
    assert ast.literal_eval(_keyword(exe, "exclude_binaries")) is True  # onedir: binaries go to COLLECT
    assert len(_calls(tree, "COLLECT")) == 1
    (bundle,) = _calls(tree, "BUNDLE")
    plist = _keyword(bundle, "info_plist")
    assert isinstance(plist, ast.Dict)
    keys = {ast.literal_eval(key) for key in plist.keys if key is not None}
    assert {"CFBundleShortVersionString", "CFBundleVersion", "NSHighResolutionCapable"} <= keys
    assert ast.unparse(_keyword(bundle, "bundle_identifier")) == "support.BUNDLE_ID"
    assert ast.unparse(_keyword(bundle, "version")) == "VERSION"


def test_spec_opens_whoosh_and_ships_resources_and_the_version():
    text = (ROOT / "packaging" / "codeatlas.spec").read_text(encoding="utf-8")
    assert 'collect_submodules("whoosh")' in text
    assert 'support.resource_datas(ROOT / "resources")' in text
    assert "write_version_file" in text and '(str(version_file), "resources")' in text
    assert "support.check_index" in text


def test_inno_setup_script_is_per_user_and_takes_the_version_from_a_define():
    text = (ROOT / "packaging" / "windows" / "codeatlas.iss").read_text(encoding="utf-8")
    setup = dict(re.findall(r"^(\w+)=(.*)$", text.split("[Setup]", 1)[1].split("\n[", 1)[0], re.MULTILINE))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert re.match(r"^\{\{[0-9A-F-]{36}\}$", setup["AppId"])
    assert "#error" in text.split("[Setup]")[0]  # compiling without /DAppVersion fails loudly
    assert '"{autoprograms}\\{#AppName}"' in text  # the Start-menu entry
    assert 'Source: "{#DistDir}\\*"' in text and "recursesubdirs" in text


def test_build_script_passes_the_defines_the_iss_expects(load):
    text = (ROOT / "packaging" / "installers.py").read_text(encoding="utf-8")
    iss = (ROOT / "packaging" / "windows" / "codeatlas.iss").read_text(encoding="utf-8")
    for define in re.findall(r'f"/D(\w+)=', text):
        assert f"#ifndef {define}" in iss
    assert {"AppVersion", "DistDir", "IconFile"} <= set(re.findall(r'f"/D(\w+)=', text))


def test_workflow_builds_on_three_oses_and_uploads():
    text = (ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    assert "os: [ubuntu-latest, windows-latest, macos-latest]" in text
    assert re.search(r'uses: actions/setup-python@v\d+\n\s+with:\n\s+python-version: "3.11"', text)
    assert "python packaging/build.py" in text
    assert "actions/upload-artifact@v" in text
    assert "\t" not in text


def test_build_script_help_runs(packaging_dir):
    result = subprocess.run(
        [sys.executable, str(packaging_dir / "build.py"), "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--sources", "--skip-tests", "--skip-index", "--skip-installed-check"):
        assert option in result.stdout

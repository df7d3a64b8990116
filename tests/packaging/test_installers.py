"""Linux installers built from a tiny fake program: names, layout, control fields, desktop entry."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

# The Linux installers are built on Linux only; creating the fixture's symlink needs privileges on Windows.
posix_only = pytest.mark.skipif(os.name != "posix", reason="Linux installers are built on POSIX systems")


@pytest.fixture()
def fake_app(tmp_path: Path) -> Path:
    app = tmp_path / "dist" / "CodeAtlas"
    (app / "_internal" / "resources" / "index").mkdir(parents=True)
    (app / "codeatlas").write_text("#!/bin/sh\necho fake\n")
    (app / "codeatlas").chmod(0o755)
    (app / "_internal" / "resources" / "index" / "manifest.json").write_text("{}")
    os.symlink("resources/index/manifest.json", app / "_internal" / "link.json")
    return app


def test_desktop_entry_categories_and_command(load):
    entry = load("installers").DESKTOP_ENTRY
    assert entry.startswith("[Desktop Entry]\n")
    fields = dict(line.split("=", 1) for line in entry.splitlines()[1:] if "=" in line)
    assert fields["Categories"] == "Office;MedicalSoftware;"
    assert fields["Exec"].split()[0] == "codeatlas" and fields["Icon"] == "codeatlas"
    assert fields["Type"] == "Application" and fields["Terminal"] == "false"


def test_deb_control_fields(load):
    installers = load("installers")
    control = installers.deb_control("0.1.0", 12345)
    fields = dict(line.split(": ", 1) for line in control.splitlines() if not line.startswith(" "))
    assert fields["Package"] == "codeatlas" and fields["Version"] == "0.1.0"
    assert fields["Installed-Size"] == "12345"
    assert fields["Architecture"] == installers.deb_arch()
    assert "libxcb-icccm4" in fields["Depends"]
    assert control.endswith("\n") and all(line.startswith(" ") for line in control.splitlines()[9:])


@posix_only
def test_tarball_name_layout_and_symlinks(load, fake_app, tmp_path):
    installers = load("installers")
    target = installers.linux_tarball(fake_app, "9.8.7", tmp_path)
    assert target.name == f"CodeAtlas-9.8.7-linux-{installers.machine()}.tar.gz"
    with tarfile.open(target) as archive:
        members = {member.name: member for member in archive.getmembers()}
    assert members["CodeAtlas-9.8.7/codeatlas"].mode & 0o111
    assert members["CodeAtlas-9.8.7/_internal/link.json"].issym()
    assert "CodeAtlas-9.8.7/_internal/resources/index/manifest.json" in members
    assert "CodeAtlas-9.8.7/codeatlas.png" in members


@posix_only
@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_deb_layout(load, fake_app, tmp_path):
    installers = load("installers")
    deb = installers.linux_deb(fake_app, "9.8.7", tmp_path, tmp_path / "work")
    assert deb.name == f"codeatlas_9.8.7_{installers.deb_arch()}.deb"
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    lines = {
        line.split()[-1] if " -> " not in line else " ".join(line.split()[-3:]): line.split()[1]
        for line in listing.splitlines()
    }
    assert lines["./opt/codeatlas/codeatlas"] == "root/root"
    assert "./usr/bin/codeatlas -> ../../opt/codeatlas/codeatlas" in lines
    assert "./usr/share/applications/codeatlas.desktop" in lines
    assert "./usr/share/icons/hicolor/256x256/apps/codeatlas.png" in lines
    assert "./opt/codeatlas/_internal/resources/index/manifest.json" in lines
    version = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Version"], capture_output=True, text=True, check=True
    ).stdout
    assert version.strip() == "9.8.7"

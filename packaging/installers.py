"""Per-OS installer builders: Linux .deb and .tar.gz, Windows Inno Setup .exe, macOS .dmg."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
PACKAGE = "codeatlas"
LINUX_PREFIX = "/opt/codeatlas"
# System libraries the frozen Linux build links to but does not carry (PyInstaller leaves out the graphics
# stack and libc; xcb-icccm/keysyms/wayland were simply absent on the build machine): found with readelf
# on the bundle, see RESULTS.md.
DEB_DEPENDS = (
    "libc6",
    "libegl1",
    "libgl1",
    "libxcb1",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
)
DEB_COMPRESSION = ("-Zxz", "-z9")
DESCRIPTION = "Offline code reference for medical coders"
LONG_DESCRIPTION = (
    "CodeAtlas looks up ICD-10-CM, ICD-10-PCS and HCPCS Level II codes without a network\n"
    "connection: titles, notes, index terms, modifiers and guidelines. The code index\n"
    "is included."
)
DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Name=CodeAtlas
GenericName=Medical code reference
Comment={DESCRIPTION}
Exec={PACKAGE}
Icon={PACKAGE}
Terminal=false
Categories=Office;MedicalSoftware;
Keywords=ICD-10;ICD-10-CM;ICD-10-PCS;HCPCS;coding;medical;
"""


def machine() -> str:
    """x86_64 / arm64 style name of this machine's architecture."""
    name = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(name, name)


def deb_arch() -> str:
    return {"x86_64": "amd64", "arm64": "arm64"}.get(machine(), machine())


def tree_size(path: Path) -> int:
    """Bytes of all files under path (symlinks counted as links, not followed)."""
    if path.is_file():
        return path.stat().st_size
    return sum(entry.lstat().st_size for entry in path.rglob("*") if entry.is_file() or entry.is_symlink())


def linux_tarball(app_dir: Path, version: str, out_dir: Path) -> Path:
    """CodeAtlas-X.Y.Z-linux-<arch>.tar.gz: the onedir program (run CodeAtlas-X.Y.Z/codeatlas) and its icon."""
    top = f"CodeAtlas-{version}"
    target = out_dir / f"{top}-linux-{machine()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(app_dir, arcname=top)  # symlinks stay symlinks (dereference=False)
        archive.add(ICONS / "codeatlas.png", arcname=f"{top}/{PACKAGE}.png")
    return target


def deb_control(version: str, installed_kib: int) -> str:
    """The DEBIAN/control text (long description lines start with a space, as policy wants)."""
    long_lines = "\n".join(f" {line}" for line in LONG_DESCRIPTION.splitlines())
    return (
        f"Package: {PACKAGE}\nVersion: {version}\nSection: misc\nPriority: optional\n"
        f"Architecture: {deb_arch()}\nMaintainer: CodeAtlas maintainers <codeatlas@example.org>\n"
        f"Installed-Size: {installed_kib}\nDepends: {', '.join(DEB_DEPENDS)}\n"
        f"Description: {DESCRIPTION}\n{long_lines}\n"
    )


def linux_deb(app_dir: Path, version: str, out_dir: Path, work: Path) -> Path:
    """codeatlas_X.Y.Z_<arch>.deb: /opt/codeatlas, /usr/bin/codeatlas, menu entry and icon."""
    staging = work / "deb"
    if staging.exists():
        shutil.rmtree(staging)
    opt = staging / LINUX_PREFIX.lstrip("/")
    shutil.copytree(app_dir, opt, symlinks=True)
    (staging / "usr/bin").mkdir(parents=True)
    # A relative symlink: the PyInstaller bootloader resolves /proc/self/exe, so it finds _internal.
    os.symlink(f"../..{LINUX_PREFIX}/{PACKAGE}", staging / "usr/bin" / PACKAGE)
    applications = staging / "usr/share/applications"
    applications.mkdir(parents=True)
    (applications / f"{PACKAGE}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icon_dir = staging / "usr/share/icons/hicolor/256x256/apps"
    icon_dir.mkdir(parents=True)
    shutil.copyfile(ICONS / "codeatlas.png", icon_dir / f"{PACKAGE}.png")
    for folder in [staging, *staging.rglob("*")]:
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)  # dpkg refuses odd modes; umask on CI machines varies
    debian = staging / "DEBIAN"
    debian.mkdir(mode=0o755)
    installed_kib = (tree_size(staging) + 1023) // 1024
    (debian / "control").write_text(deb_control(version, installed_kib), encoding="utf-8")
    target = out_dir / f"{PACKAGE}_{version}_{deb_arch()}.deb"
    # No maintainer scripts: dpkg triggers of desktop-file-utils and the hicolor theme refresh the menu.
    # xz -9 (dpkg-deb's default is -6): measured only 0.1 MiB smaller on 2026-12-02 (the index, most of
    # the package, is compressed by Whoosh already) but never larger; unpacking needs ~65 MiB of memory.
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", *DEB_COMPRESSION, "--build", str(staging), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


def find_iscc() -> Path | None:
    """ISCC.exe: $ISCC, on PATH, or in the usual Inno Setup folders."""
    candidates = [os.environ.get("ISCC"), shutil.which("iscc")]
    for base in (
        os.environ.get("PROGRAMFILES(X86)"),
        os.environ.get("PROGRAMFILES"),
        os.environ.get("LOCALAPPDATA") and str(Path(os.environ["LOCALAPPDATA"]) / "Programs"),
    ):
        if base:
            candidates += [str(p) for p in sorted(Path(base).glob("Inno Setup */ISCC.exe"), reverse=True)]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def windows_setup(app_dir: Path, version: str, out_dir: Path) -> Path:
    """CodeAtlas-X.Y.Z-windows-x64-setup.exe compiled by Inno Setup from packaging/windows/codeatlas.iss."""
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit(
            "Inno Setup's ISCC.exe was not found: install Inno Setup 6 (choco install innosetup) "
            "or set ISCC to its path."
        )
    name = f"CodeAtlas-{version}-windows-x64-setup"
    subprocess.run(
        [
            str(iscc),
            "/Q",
            f"/DAppVersion={version}",
            f"/DDistDir={app_dir}",
            f"/DIconFile={ICONS / 'codeatlas.ico'}",
            f"/O{out_dir}",
            f"/F{name}",
            str(ROOT / "packaging" / "windows" / "codeatlas.iss"),
        ],
        check=True,
    )
    return out_dir / f"{name}.exe"


def macos_dmg(app_bundle: Path, version: str, out_dir: Path, work: Path) -> Path:
    """CodeAtlas-X.Y.Z-macos-<arch>.dmg: the .app beside an Applications link, compressed (UDZO)."""
    staging = work / "dmg"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    subprocess.run(["ditto", str(app_bundle), str(staging / app_bundle.name)], check=True)
    os.symlink("/Applications", staging / "Applications")
    target = out_dir / f"CodeAtlas-{version}-macos-{machine()}.dmg"
    command = [
        "hdiutil",
        "create",
        "-volname",
        f"CodeAtlas {version}",
        "-srcfolder",
        str(staging),
        "-ov",
        "-format",
        "UDZO",
        str(target),
    ]
    for attempt in range(3):  # hdiutil on CI runners sometimes fails with "Resource busy"; retrying helps
        if subprocess.run(command).returncode == 0:
            return target
        time.sleep(5 * (attempt + 1))
    raise SystemExit("hdiutil create failed three times")

"""Run the smoke test on the frozen program and on a really installed copy, per OS."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from installers import DEB_DEPENDS, LINUX_PREFIX, PACKAGE, tree_size

SMOKE_TIMEOUT = 180


def smoke_env(data_dir: Path) -> dict[str, str]:
    """No display, a fresh user-data folder and no index override: the bundled index is what gets opened."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CODEATLAS_DATA_DIR=str(data_dir))
    env.pop("CODEATLAS_INDEX", None)
    return env


def smoke(exe: Path, label: str) -> float:
    """Run `exe --smoke-test`; raise SystemExit on failure; return the wall-clock seconds."""
    print(f"--- smoke test ({label}): {exe} --smoke-test", flush=True)
    with tempfile.TemporaryDirectory(prefix="codeatlas-smoke-") as data_dir:
        started = time.perf_counter()
        result = subprocess.run(
            [str(exe), "--smoke-test"], env=smoke_env(Path(data_dir)), timeout=SMOKE_TIMEOUT, check=False
        )
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"smoke test ({label}) failed with exit code {result.returncode}")
    print(f"--- smoke test ({label}) passed in {seconds:.2f} s", flush=True)
    return seconds


def _root_command(command: list[str]) -> list[str]:
    """Prefix sudo -n when not root (CI runners), so dpkg can install."""
    if hasattr(os, "geteuid") and os.geteuid() != 0 and shutil.which("sudo"):
        return ["sudo", "-n", *command]
    return command


def check_deb(deb: Path) -> int:
    """dpkg -i the package, smoke-test /usr/bin/codeatlas, dpkg -r it and check nothing is left behind.

    Returns the installed size in bytes (of /opt/codeatlas).
    """
    if shutil.which("dpkg") is None:
        raise SystemExit("dpkg is not available here: run with --skip-installed-check")
    opt = Path(LINUX_PREFIX)
    if opt.exists():
        raise SystemExit(f"{opt} exists before installing: remove the old package first (dpkg -r {PACKAGE})")
    result = subprocess.run(_root_command(["dpkg", "-i", str(deb)]), check=False)
    if result.returncode != 0:
        subprocess.run(_root_command(["dpkg", "-r", PACKAGE]), check=False)
        raise SystemExit(
            f"dpkg -i failed (missing dependencies? install them with apt-get install {' '.join(DEB_DEPENDS)})"
        )
    try:
        installed_size = tree_size(opt)
        smoke(Path("/usr/bin") / PACKAGE, "installed .deb")
    finally:
        subprocess.run(_root_command(["dpkg", "-r", PACKAGE]), check=True)
    leftovers = [
        str(p)
        for p in (
            opt,
            Path("/usr/bin") / PACKAGE,
            Path("/usr/share/applications") / f"{PACKAGE}.desktop",
            Path("/usr/share/icons/hicolor/256x256/apps") / f"{PACKAGE}.png",
        )
        if p.exists() or p.is_symlink()
    ]
    if leftovers:
        raise SystemExit(f"dpkg -r left files behind: {', '.join(leftovers)}")
    print(f"--- dpkg -r removed {PACKAGE} cleanly (nothing left under {opt})", flush=True)
    return installed_size


def check_windows_setup(setup: Path) -> int:
    """Silent per-user install into a temporary folder, smoke test, silent uninstall; returns installed bytes."""
    target = Path(tempfile.mkdtemp(prefix="codeatlas-install-")) / "CodeAtlas"
    subprocess.run(
        [str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/SP-", f"/DIR={target}"],
        check=True,
        timeout=600,
    )
    try:
        installed_size = tree_size(target)
        smoke(target / "CodeAtlas.exe", "installed by the setup program")
    finally:
        uninstaller = target / "unins000.exe"
        if uninstaller.exists():
            subprocess.run([str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"], check=False)
    return installed_size


def check_dmg(dmg: Path) -> int:
    """Mount the .dmg, copy the .app out as a user would, smoke-test the copy; returns installed bytes."""
    work = Path(tempfile.mkdtemp(prefix="codeatlas-dmg-"))
    mount = work / "mnt"
    mount.mkdir()
    subprocess.run(["hdiutil", "attach", "-nobrowse", "-readonly", "-mountpoint", str(mount), str(dmg)], check=True)
    try:
        (work / "Applications").mkdir()
        subprocess.run(
            ["ditto", str(mount / "CodeAtlas.app"), str(work / "Applications" / "CodeAtlas.app")], check=True
        )
    finally:
        subprocess.run(["hdiutil", "detach", str(mount)], check=False)
    app = work / "Applications" / "CodeAtlas.app"
    smoke(app / "Contents" / "MacOS" / "CodeAtlas", "copied out of the .dmg")
    size = tree_size(app)
    shutil.rmtree(work, ignore_errors=True)
    return size

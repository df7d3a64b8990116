"""Build the CodeAtlas installers for this OS: index, tests, freeze, smoke test, installer, installed check.

    python packaging/build.py [--sources DIR] [--skip-tests] [--skip-index] [--skip-installed-check]
                               [--dist DIR] [--work DIR]

Runs with the Python it is started with (the project's .venv or CI's setup-python) on Windows, macOS
and Linux. Outputs go to dist/ (program, installers, build-figures.json); work files to build/.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import installed
import installers
import spec_support
from version import read_version

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "codeatlas.spec"
INDEX = ROOT / "resources" / "index"
MB = 1024 * 1024


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run(*command: str, env: dict[str, str] | None = None) -> None:
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def extra_requirements(*extras: str) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted: list[str] = []
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return wanted


def install_dependencies() -> None:
    """pyproject's dependencies plus the test and build extras, into this interpreter (CI)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + extra_requirements("test", "build")
    run(sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *wanted)


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        step("Installing PyInstaller (pyproject's build extra)")
        run(sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *extra_requirements("build"))


def frozen_paths(dist: Path) -> tuple[Path, Path]:
    """(the onedir folder or .app to package, the executable inside it) for this OS."""
    if sys.platform == "darwin":
        app = dist / "CodeAtlas.app"
        return app, app / "Contents" / "MacOS" / "CodeAtlas"
    folder = dist / "CodeAtlas"
    return folder, folder / ("CodeAtlas.exe" if sys.platform == "win32" else "codeatlas")


def build_installers(app: Path, version: str, dist: Path, work: Path) -> list[Path]:
    if sys.platform.startswith("linux"):
        return [installers.linux_deb(app, version, dist, work), installers.linux_tarball(app, version, dist)]
    if sys.platform == "win32":
        return [installers.windows_setup(app, version, dist)]
    if sys.platform == "darwin":
        return [installers.macos_dmg(app, version, dist, work)]
    raise SystemExit(f"no installer format for {sys.platform}")


def check_installed(made: list[Path]) -> int | None:
    """Install the first installer for real where the OS allows, smoke-test it; installed bytes."""
    first = made[0]
    if first.suffix == ".deb":
        return installed.check_deb(first)
    if first.suffix == ".exe":
        return installed.check_windows_setup(first)
    if first.suffix == ".dmg":
        return installed.check_dmg(first)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sources",
        default=os.environ.get("CODEATLAS_SOURCES"),
        help="folder of official files (default: $CODEATLAS_SOURCES)",
    )
    parser.add_argument("--skip-index", action="store_true", help="reuse resources/index if it is there")
    parser.add_argument("--skip-tests", action="store_true", help="do not run the test suite")
    parser.add_argument(
        "--skip-installed-check",
        action="store_true",
        help="do not install the installer to smoke-test the installed copy",
    )
    parser.add_argument(
        "--install-deps",
        action="store_true",
        help="pip install pyproject's dependencies and test/build extras first (CI)",
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder (default: build/)")
    args = parser.parse_args(argv)
    version = read_version()
    dist, work = args.dist.resolve(), args.work.resolve()
    figures: dict[str, object] = {"version": version, "platform": sys.platform, "machine": installers.machine()}
    started = time.perf_counter()

    if args.install_deps:
        step("Installing dependencies")
        install_dependencies()
    ensure_pyinstaller()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if args.sources:
        env["CODEATLAS_SOURCES"] = str(Path(args.sources).resolve())
    if args.skip_index and (INDEX / "manifest.json").is_file():
        step(f"Reusing the index in {INDEX}")
    else:
        step("Building the index")
        if not args.sources:
            print(
                "warning: no sources given (--sources or CODEATLAS_SOURCES): only the packaged ICD-10-CM "
                "tabular goes into the index",
                flush=True,
            )
        t0 = time.perf_counter()
        command = ["-m", "index_build", "--out", str(INDEX)]
        run(sys.executable, *command, *(["--sources", env["CODEATLAS_SOURCES"]] if args.sources else []), env=env)
        figures["index_build_s"] = round(time.perf_counter() - t0, 1)
    manifest = json.loads((INDEX / "manifest.json").read_text(encoding="utf-8"))
    figures["index_mb"] = round(installers.tree_size(INDEX) / MB, 1)
    figures["index_code_sets"] = [f"{entry['code_set']} {entry['release']}" for entry in manifest["code_sets"]]
    figures["index_documents"] = manifest.get("documents")
    step("Bundling the official files the index was built from (for updates inside the app)")
    bundled = spec_support.bundle_sources(
        manifest, Path(args.sources).resolve() if args.sources else None, ROOT / "resources" / "sources"
    )
    print(f"{len(bundled)} files in resources/sources", flush=True)

    if not args.skip_tests:
        step("Running the tests")
        run(sys.executable, "-m", "pytest", "-q", env=env)

    step("Freezing with PyInstaller")
    t0 = time.perf_counter()
    dist.mkdir(parents=True, exist_ok=True)
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work / "pyinstaller"),
        str(SPEC),
    )
    figures["freeze_s"] = round(time.perf_counter() - t0, 1)
    app, exe = frozen_paths(dist)
    figures["frozen_mb"] = round(installers.tree_size(app) / MB, 1)
    figures["frozen_smoke_s"] = round(installed.smoke(exe, "frozen program"), 2)

    step("Building the installer")
    t0 = time.perf_counter()
    made = build_installers(app, version, dist, work)
    figures["installer_s"] = round(time.perf_counter() - t0, 1)
    figures["installers"] = {path.name: round(path.stat().st_size / MB, 1) for path in made}

    if args.skip_installed_check:
        print("\n(skipping the installed-copy check)")
    else:
        step("Installing and smoke-testing the installed copy")
        size = check_installed(made)
        if size is not None:
            figures["installed_mb"] = round(size / MB, 1)

    figures["total_s"] = round(time.perf_counter() - started, 1)
    (dist / "build-figures.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    step("Figures")
    for key, value in figures.items():
        print(f"  {key:<16} {value}")
    for path in made:
        print(f"  -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

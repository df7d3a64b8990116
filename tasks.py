"""Set-up and everyday tasks on any OS: python tasks.py run | test | build-index | bench | package.

Needs only Python 3.11+. Creates .venv beside this file, installs what pyproject.toml lists
(only when it changed), then does the task inside that environment.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements(extras: list[str]) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return wanted


def ensure_env(extras: list[str]) -> Path:
    """Create .venv and install the requirements when pyproject.toml or the extras changed."""
    python = venv_python()
    if not python.exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = requirements(extras)
    stamp = VENV / ".codeatlas-requirements"
    digest = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("Installing: " + ", ".join(wanted), flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *wanted], check=True)
        stamp.write_text(digest)
    return python


def run_in_env(python: Path, *args: str) -> int:
    return subprocess.call([str(python), *args], cwd=ROOT)


def index_ready(folder: Path) -> bool:
    return (folder / "manifest.json").is_file()


def build_index(python: Path, out: Path, sources: str | None) -> int:
    command = ["-m", "index_build", "--out", str(out)]
    if sources:
        command += ["--sources", sources]
    return run_in_env(python, *command)


# Run before pytest by the test task; the first that fails stops it (ruff, mypy, import-linter are in the test extra).
LINT_STEPS = [
    ("ruff check", ["-m", "ruff", "check", "."]),
    ("ruff format", ["-m", "ruff", "format", "--check", "."]),
    ("mypy", ["-m", "mypy", "desktop", "index_build", "main.py", "tasks.py"]),
    ("import contracts", ["-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]),
]


def lint(python: Path) -> int:
    """ruff, mypy and the import-linter layering contracts (pyproject.toml); non-zero when any fails."""
    for name, args in LINT_STEPS:
        print(f"-- {name}", flush=True)
        code = run_in_env(python, *args)
        if code != 0:
            print(f"{name} failed: fix the above before the tests run", file=sys.stderr, flush=True)
            return code
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    run = sub.add_parser("run", help="install, build the index if there is none, open CodeAtlas")
    run.add_argument(
        "--sources",
        default=os.environ.get("CODEATLAS_SOURCES"),
        help="folder of official files (default: $CODEATLAS_SOURCES)",
    )
    test = sub.add_parser("test", help="install with test tools and run the whole test suite")
    test.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    build = sub.add_parser("build-index", help="(re)build resources/index from the sources")
    build.add_argument("--sources", default=os.environ.get("CODEATLAS_SOURCES"))
    build.add_argument("--out", default=str(ROOT / "resources" / "index"))
    package = sub.add_parser("package", help="build and smoke-test the installers for this OS")
    package.add_argument("build_args", nargs="*", help="e.g. --skip-tests --sources DIR")
    bench = sub.add_parser("bench", help="run the search benchmarks (needs a full index)")
    bench.add_argument("bench_args", nargs="*")
    args = parser.parse_args()

    if args.task == "run":
        python = ensure_env([])
        index = Path(os.environ.get("CODEATLAS_INDEX") or ROOT / "resources" / "index")
        if not index_ready(index):
            print(f"No index yet: building {index} from what is available", flush=True)
            if build_index(python, index, args.sources) != 0:
                return 1
        return run_in_env(python, "main.py")
    if args.task == "test":
        python = ensure_env(["test"])
        return lint(python) or run_in_env(python, "-m", "pytest", *args.pytest_args)
    if args.task == "build-index":
        python = ensure_env([])
        return build_index(python, Path(args.out), args.sources)
    if args.task == "package":
        python = ensure_env(["test", "build"])
        return run_in_env(python, "packaging/build.py", *args.build_args)
    if args.task == "bench":
        python = ensure_env(["test"])
        code = run_in_env(python, "bench/search_bench.py", *args.bench_args)
        return code or run_in_env(python, "bench/relevance.py", *args.bench_args)
    return 2


if __name__ == "__main__":
    sys.exit(main())

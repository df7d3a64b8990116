"""Set-up and everyday tasks on any OS: python tasks.py run | test | lookup | smoke | build-index | bench | package.

Needs only Python 3.11+. Creates .venv beside this file, installs what pyproject.toml lists (only
what is not installed yet), then does the task inside that environment. Arguments the task does not
know go to the tool it runs: python tasks.py test -x -q, python tasks.py lookup j9035 --json,
python tasks.py bench --cold-runs 3.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path
from typing import TextIO

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


def package_name(requirement: str) -> str:
    """'PySide6-Essentials==6.11.3' -> 'pyside6-essentials' (pip's normalised name)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]).lower()


def installed_stamp() -> Path:
    return VENV / ".codeatlas-installed.json"


def read_installed() -> dict[str, str]:
    """Package name -> the requirement line it was installed for (what earlier runs put in .venv)."""
    try:
        data = json.loads(installed_stamp().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def ensure_env(extras: list[str]) -> Path:
    """Create .venv and install the requirements not installed yet.

    Tracked per requirement line, so run (no extras) after test (test extras) installs nothing: the
    environment holds the union of every task's requirements; a changed pin installs again.
    """
    python = venv_python()
    if not python.exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    installed = read_installed()
    wanted = requirements(extras)
    missing = [line for line in wanted if installed.get(package_name(line)) != line]
    if missing:
        print("Installing: " + ", ".join(missing), flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *missing], check=True)
        installed.update({package_name(line): line for line in missing})
        installed_stamp().write_text(json.dumps(installed, indent=1, sort_keys=True), encoding="utf-8")
    return python


def run_in_env(python: Path, *args: str, stdout: TextIO | None = None) -> int:
    return subprocess.call([str(python), *args], cwd=ROOT, stdout=stdout)


def index_ready(folder: Path) -> bool:
    return (folder / "manifest.json").is_file()


def default_index() -> Path:
    return Path(os.environ.get("CODEATLAS_INDEX") or ROOT / "resources" / "index")


def build_index(python: Path, out: Path, sources: str | None, log: TextIO | None = None) -> int:
    command = ["-m", "index_build", "--out", str(out)]
    if sources:
        command += ["--sources", sources]
    return run_in_env(python, *command, stdout=log) if log else run_in_env(python, *command)


def stale_reasons(python: Path, index: Path, sources: str, log: TextIO) -> list[str]:
    """What the sources hold that the index lacks (or holds in an older release), by the builder's detection."""
    print(f"Checking what {sources} holds against the index in {index}", file=log, flush=True)
    done = subprocess.run(
        [str(python), "-m", "index_build.holdings", "--index", str(index), sources],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = {"error": (done.stderr.strip().splitlines() or ["no answer"])[-1]}
    if "error" in report:
        print(f"Could not read the sources ({report['error']}); keeping the index as it is.", file=log, flush=True)
        return []
    reasons = [f"{name} {release} (the index has no {name})" for name, release in report["lacking"].items()]
    reasons += [f"{name} {release} (newer than the index's)" for name, release in report["newer"].items()]
    return reasons


def wants_rebuild(reasons: list[str], ask: bool, log: TextIO) -> bool:
    """Say why the index is stale; ask when someone is at the terminal, else rebuild."""
    print("The sources hold " + "; ".join(reasons) + ".", file=log, flush=True)
    if not ask:
        print("Rebuilding the index (the current one stays in place until it is complete).", file=log, flush=True)
        return True
    answer = input("Rebuild the index now? It takes a few minutes; the current one stays until then. [Y/n] ")
    return answer.strip().lower() in ("", "y", "yes")


def prepare_index(python: Path, sources: str | None, keep: bool, log: TextIO | None = None) -> int:
    """Build the index if there is none; when the sources hold code sets it lacks, say so and rebuild.

    log: where the progress goes (lookup sends it to stderr, so that --json output stays clean).
    """
    out = log or sys.stdout
    index = default_index()
    if not index_ready(index):
        print(f"No index yet: building {index} from what is available", file=out, flush=True)
        return build_index(python, index, sources, log)
    if sources and not keep:
        reasons = stale_reasons(python, index, sources, out)
        if reasons and wants_rebuild(reasons, sys.stdin.isatty(), out) and build_index(python, index, sources, log):
            print(f"The rebuild failed; {index} is unchanged.", file=sys.stderr, flush=True)
    return 0


# Run before pytest by the test task; the first that fails stops it (ruff, mypy, import-linter are in the test extra).
LINT_STEPS = [
    ("ruff check", ["-m", "ruff", "check", "."]),
    ("ruff format", ["-m", "ruff", "format", "--check", "."]),
    ("mypy", ["-m", "mypy", "desktop", "index_build", "main.py", "tasks.py"]),
    ("import contracts", ["-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]),
]


def lint(python: Path) -> int:
    """ruff, mypy and the import-linter layering contracts (pyproject.toml); non-zero when any fails."""
    return run_steps(python, LINT_STEPS)


def test_steps(pytest_args: list[str]) -> list[tuple[str, list[str]]]:
    """What `tasks.py test` runs, in order, each step a (name, python arguments) pair: lint, then pytest."""
    return [*LINT_STEPS, ("pytest", ["-m", "pytest", *pytest_args])]


def run_steps(python: Path, steps: list[tuple[str, list[str]]]) -> int:
    """Run the steps in order; the first that fails stops the rest."""
    for name, args in steps:
        print(f"-- {name}", flush=True)
        code = run_in_env(python, *args)
        if code != 0:
            print(f"{name} failed: fix the above before the next step runs", file=sys.stderr, flush=True)
            return code
    return 0


# Tasks whose unknown arguments go to the tool they run; the others refuse unknown arguments.
PASSES_ARGUMENTS = {"test": "pytest", "lookup": "python -m desktop.core", "bench": "bench/measured_run.py"}
PASSES_ARGUMENTS["package"] = "packaging/build.py"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    sub = top.add_subparsers(dest="task", required=True)

    def task(name: str, text: str) -> argparse.ArgumentParser:
        tool = PASSES_ARGUMENTS.get(name)
        epilog = f"Any other argument goes to {tool}." if tool else None
        return sub.add_parser(name, help=text, description=text, epilog=epilog, allow_abbrev=False)

    def index_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--sources",
            default=os.environ.get("CODEATLAS_SOURCES"),
            help="folder of official files (default: $CODEATLAS_SOURCES); an index lacking code sets "
            "they hold is rebuilt",
        )
        command.add_argument("--keep-index", action="store_true", help="never rebuild an existing index")

    index_options(task("run", "install, build the index if there is none or it is stale, open CodeAtlas"))
    task("test", "install with test tools, lint, run the whole test suite (e.g. test -x -q tests/core)")
    index_options(task("lookup", "search from the command line (e.g. lookup j9035 --json)"))
    index_options(task("smoke", "open the window offscreen, find a known code per code set, check the tabs"))
    build = task("build-index", "(re)build the index from the sources")
    build.add_argument("--sources", default=os.environ.get("CODEATLAS_SOURCES"))
    build.add_argument("--out", default=str(default_index()))
    task("package", "build and smoke-test the installers for this OS (e.g. package --skip-tests)")
    task("bench", "a whole measured run recorded in bench/results/ (e.g. bench --cold-runs 3)")
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, extra = top.parse_known_args(argv)
    if extra and args.task not in PASSES_ARGUMENTS:
        top.error(f"unrecognized arguments for {args.task}: {' '.join(extra)}")

    if args.task in ("run", "lookup", "smoke"):
        python = ensure_env([])
        named = args.task == "lookup" and any(item.startswith("--index") for item in extra)
        log = sys.stderr if args.task == "lookup" else None
        if not named and prepare_index(python, args.sources, args.keep_index, log) != 0:
            return 1
        if args.task == "lookup":
            return run_in_env(python, "-m", "desktop.core", *extra)
        return run_in_env(python, "main.py", *(["--smoke-test"] if args.task == "smoke" else []))
    if args.task == "test":
        return run_steps(ensure_env(["test"]), test_steps(extra))
    if args.task == "build-index":
        return build_index(ensure_env([]), Path(args.out), args.sources)
    if args.task == "package":
        return run_in_env(ensure_env(["test", "build"]), "packaging/build.py", *extra)
    if args.task == "bench":
        return run_in_env(ensure_env([]), "bench/measured_run.py", *extra)
    return 2


if __name__ == "__main__":
    sys.exit(main())

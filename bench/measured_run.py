"""A whole measured run recorded with the machine it ran on: builds, search latency, relevance, cold start.

python bench/measured_run.py [--sources DIR] [--cold-runs N] [--index DIR --skip-builds] [--out FILE]

Builds the full index (from --sources or $CODEATLAS_SOURCES) and the ICD-10-CM-only index (no
sources) into a scratch folder, runs bench/search_bench.py (latency and cold start) and
bench/relevance.py on the full index, and writes everything with the CPU, cores, memory, load
average and date into bench/results/<date>-<host>.json (commit it: the README's figures come from it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Step:
    """One measured command: its name in the record and the python arguments it runs with."""

    name: str
    args: list[str]
    env: dict[str, str]
    json_output: bool  # the command prints one JSON document


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        return _command("sysctl", "-n", "machdep.cpu.brand_string")
    return platform.processor() or platform.machine()


def memory_bytes() -> int | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    if sys.platform == "darwin":
        found = _command("sysctl", "-n", "hw.memsize")
        return int(found) if found.isdigit() else None
    return None


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):  # Windows has none
        return None


def machine() -> dict[str, Any]:
    """The machine a figure was measured on: what a reader needs to compare it with theirs."""
    memory = memory_bytes()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1) if memory else None,
        "load_average_1_5_15": load_average(),
        "commit": _command("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
    }


def plan(args: argparse.Namespace, scratch: Path) -> tuple[Path, list[Step]]:
    """The index the benchmarks read and the commands in order; each tool gets only its own options."""
    env = {key: value for key, value in os.environ.items() if key not in ("CODEATLAS_SOURCES", "CODEATLAS_INDEX")}
    env["PYTHONPATH"] = str(ROOT)
    full = args.index or scratch / "full"
    steps: list[Step] = []
    if not args.skip_builds:
        sources = args.sources or os.environ.get("CODEATLAS_SOURCES")
        if not sources:
            raise SystemExit("measured_run: the full build needs --sources DIR or CODEATLAS_SOURCES")
        steps.append(Step("build_full", ["-m", "index_build", "--out", str(full), "--sources", sources], env, False))
        steps.append(Step("build_icd10cm_only", ["-m", "index_build", "--out", str(scratch / "cm")], env, False))
    cold = ["--cold-runs", str(args.cold_runs)]
    steps.append(Step("search", ["bench/search_bench.py", "--index", str(full), *cold], env, True))
    steps.append(Step("relevance", ["bench/relevance.py", "--index", str(full)], env, True))
    return full, steps


def _build_figures(folder: Path, output: str) -> dict[str, Any]:
    """The builder's own figures from the manifest, next to its printed last line."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    cache = folder / "search.cache"
    done = [line for line in output.splitlines() if line.startswith("Done:")]
    keys = ("documents", "index_bytes", "parse_seconds", "write_seconds")
    figures = {key: manifest[key] for key in keys if key in manifest}
    figures["search_cache_bytes"] = cache.stat().st_size if cache.is_file() else None
    figures["code_sets"] = [f"{e.get('code_set')} {e.get('release')}" for e in manifest.get("code_sets", [])]
    figures["counts"] = manifest.get("counts", {})  # the README's data table reads these
    figures["done_line"] = done[-1] if done else ""
    return figures


def run_step(step: Step, index_for_build: Path | None) -> dict[str, Any]:
    print(f"-- {step.name}: python {' '.join(step.args)}", file=sys.stderr, flush=True)
    load = load_average()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *step.args], cwd=ROOT, env=step.env, capture_output=True, text=True)
    record: dict[str, Any] = {
        "command": "python " + " ".join(step.args),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "load_average_before": load,
        "exit_code": done.returncode,
    }
    if step.json_output:
        with contextlib.suppress(ValueError):  # relevance reports missing codes as JSON with exit 1
            record["result"] = json.loads(done.stdout)
    if done.returncode != 0 and "result" not in record:
        record["error"] = (done.stderr or done.stdout).strip()[-2000:]
    elif done.returncode == 0 and index_for_build is not None:
        record.update(_build_figures(index_for_build, done.stdout))
    return record


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", help="official files for the full build (default: $CODEATLAS_SOURCES)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts to take the median of")
    parser.add_argument("--index", type=Path, help="benchmark this index (with --skip-builds)")
    parser.add_argument("--skip-builds", action="store_true", help="no builds: benchmark --index only")
    parser.add_argument("--out", type=Path, help="record file (default: bench/results/<date>-<host>.json)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = arguments()
    args = parser.parse_args(argv)
    if args.skip_builds and args.index is None:
        parser.error("--skip-builds needs --index DIR")

    scratch = Path(tempfile.mkdtemp(prefix="codeatlas-bench-"))
    try:
        full, steps = plan(args, scratch)
        record: dict[str, Any] = {"machine": machine(), "steps": {}}
        for step in steps:
            built = {"build_full": full, "build_icd10cm_only": scratch / "cm"}.get(step.name)
            record["steps"][step.name] = run_step(step, built)
        record["machine"]["load_average_after"] = load_average()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stamp = record["machine"]["date"][:16].replace(":", "")
    out = args.out or RESULTS / f"{stamp}-{record['machine']['host']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=1, ensure_ascii=False))
    print(f"Recorded in {out}", file=sys.stderr)
    failed = [name for name, step in record["steps"].items() if step["exit_code"] != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Search latency on the full index, per kind of query, next to a SQLite FTS5 baseline; prints JSON.

python bench/search_bench.py [--index DIR] [--cold-runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fts_baseline import Baseline, build  # noqa: E402
from queries import by_kind  # noqa: E402

from desktop.core import paths  # noqa: E402
from desktop.core.search.engine import SearchEngine  # noqa: E402

COLD_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from desktop.core.search.engine import SearchEngine
imported = time.perf_counter()
engine = SearchEngine(__import__("pathlib").Path(sys.argv[1]))
opened = time.perf_counter()
result = engine.search(sys.argv[2])
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "open_ms": (opened - imported) * 1000,
                  "first_query_ms": (done - opened) * 1000, "total_ms": (done - started) * 1000,
                  "hits": len(result.hits)}))
"""

COLD_BASELINE = """
import json, sqlite3, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[3])
from fts_baseline import Baseline
imported = time.perf_counter()
baseline = Baseline(sqlite3.connect(sys.argv[1]))
opened = time.perf_counter()
hits = baseline.search(sys.argv[2])
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "open_ms": (opened - imported) * 1000,
                  "first_query_ms": (done - opened) * 1000, "total_ms": (done - started) * 1000,
                  "hits": len(hits)}))
"""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50": round(at(0.50), 2),
        "p95": round(at(0.95), 2),
        "p99": round(at(0.99), 2),
        "max": round(ordered[-1], 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


def timed(search: Callable[[str], object], queries: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    slowest: list[tuple[float, str]] = []
    for kind, texts in queries.items():
        samples = []
        for text in texts:
            started = time.perf_counter()
            search(text)
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            slowest.append((elapsed, text))
        figures[kind] = percentiles(samples)
        everything += samples
    figures["all"] = percentiles(everything)
    figures["slowest"] = {text: round(ms, 1) for ms, text in sorted(slowest, reverse=True)[:8]}  # type: ignore[dict-item]
    return figures


def cold_start(script: str, args: list[str], runs: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True, cwd=str(ROOT)
        ).stdout
        wall = (time.perf_counter() - started) * 1000
        samples.append(dict(json.loads(out.strip().splitlines()[-1]), process_wall_ms=wall))
    return {key: round(statistics.median(s[key] for s in samples), 1) for key in samples[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: the app's index)")
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    folder = args.index or paths.index_dir()

    engine = SearchEngine(folder)
    engine.wait_ready(600)  # first run on an index: builds the search cache once
    engine.search("warm up")
    queries = by_kind()
    ours = timed(engine.search, queries)
    engine.close()

    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "baseline.sqlite"
        db, build_seconds = build(folder, database)
        baseline = Baseline(db)
        baseline.search("warm up")
        theirs = timed(baseline.search, queries)
        db.close()
        cold_fts = cold_start(COLD_BASELINE, [str(database), "heart attack", str(ROOT / "bench")], args.cold_runs)

    cold = cold_start(COLD_SCRIPT, [str(folder), "heart attack"], args.cold_runs)
    ratio = {
        kind: {
            stat: round(ours[kind][stat] / theirs[kind][stat], 2) if theirs[kind][stat] else None
            for stat in ("p50", "p95", "p99", "max")
        }
        for kind in ours
        if kind != "slowest"
    }
    report = {
        "index": str(folder),
        "queries": {kind: len(texts) for kind, texts in queries.items()},
        "codeatlas_ms": ours,
        "fts5_ms": theirs,
        "ratio_codeatlas_over_fts5": ratio,
        "cold_start_ms": {"codeatlas": cold, "fts5": cold_fts},
        "fts5_build_seconds": round(build_seconds, 1),
        "targets": {"p95_ms": 16, "max_ms": 50, "cold_start_ms": 300},
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

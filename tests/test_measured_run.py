"""bench/measured_run.py: each tool gets only its own options, and the record names the machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import measured_run  # noqa: E402
import readme_figures  # noqa: E402

from tests.cm_only import write_cm_only_index  # noqa: E402


def _args(*argv: str) -> object:
    return measured_run.arguments().parse_args(list(argv))


def test_the_plan_builds_both_indexes_then_benchmarks_the_full_one(tmp_path: Path) -> None:
    full, steps = measured_run.plan(_args("--sources", "/data/sources", "--cold-runs", "3"), tmp_path)
    commands = {step.name: step.args for step in steps}
    assert list(commands) == ["build_full", "build_icd10cm_only", "search", "relevance"]
    assert commands["build_full"] == ["-m", "index_build", "--out", str(full), "--sources", "/data/sources"]
    assert commands["build_icd10cm_only"] == ["-m", "index_build", "--out", str(tmp_path / "cm")]
    assert commands["search"] == ["bench/search_bench.py", "--index", str(full), "--cold-runs", "3"]
    assert commands["relevance"] == ["bench/relevance.py", "--index", str(full)]  # no --cold-runs: not its option
    assert all("CODEATLAS_SOURCES" not in step.env for step in steps)  # the CM-only build must see no sources


def test_the_full_build_needs_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODEATLAS_SOURCES", raising=False)
    with pytest.raises(SystemExit, match="needs --sources"):
        measured_run.plan(_args(), tmp_path)


def test_machine_names_cpu_cores_memory_load_and_date() -> None:
    found = measured_run.machine()
    assert found["cores"] and found["cpu"] and found["date"].endswith("+00:00")
    if sys.platform.startswith("linux"):
        assert found["memory_gib"] > 0 and len(found["load_average_1_5_15"]) == 3


def test_a_run_on_an_index_is_recorded_with_its_figures(tmp_path: Path) -> None:
    index = write_cm_only_index(tmp_path / "index")
    out = tmp_path / "record.json"
    command = ["bench/measured_run.py", "--skip-builds", "--index", str(index), "--cold-runs", "1", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["machine"]["cores"] and record["machine"]["cpu"]
    search = record["steps"]["search"]
    assert search["exit_code"] == 0 and search["command"].endswith("--cold-runs 1")
    assert search["result"]["codeatlas_ms"]["all"]["n"] > 1000
    assert "codeatlas" in search["result"]["cold_start_ms"]
    # The small index lacks the labelled codes: relevance says which, and the run says it failed.
    assert record["steps"]["relevance"]["result"]["error"] == "expected codes missing from the index"
    assert done.returncode == 1
    # The README's tables come from the record, not from memory.
    tables = readme_figures.figures(record, "record.json")
    assert tables.startswith("Run `record.json` (") and f"{record['machine']['cores']} cores" in tables
    assert "| ICD-10-CM only (no sources) | not measured | |" in tables
    all_row = search["result"]["codeatlas_ms"]["all"]
    assert f"| **all** | {all_row['n']:,} | {all_row['p50']} | {all_row['p95']} |" in tables
    assert f"**{search['result']['cold_start_ms']['codeatlas']['total_ms']:.0f} ms**" in tables


def test_latency_table_without_tantivy_installed() -> None:
    """The bench extra is optional: search_bench then records a reason, and the table leaves those cells empty."""
    stats = {"n": 3, "p50": 1.0, "p95": 2.0, "p99": 2.5, "max": 3.0}
    search = {
        "codeatlas_ms": {"word": stats, "all": stats},
        "fts5_ms": {"word": stats, "all": stats},
        "queries": {"word": 3},
        "tantivy_ms": "not installed (pip install '.[bench]')",
    }
    lines = readme_figures.latency_table(search)
    assert lines[2] == "| word | 3 | 1.0 | 2.0 | 2.5 | 3.0 | 2.0 | 3.0 | - | - |"
    with_tantivy = readme_figures.latency_table({**search, "tantivy_ms": {"word": stats}})
    assert with_tantivy[2].endswith("| 2.0 | 3.0 |")


def test_the_search_bench_collects_garbage_between_queries_as_the_app_does() -> None:
    import gc

    import search_bench

    states: list[bool] = []
    queries = {"word": ["a", "b"], "code": ["c"]}
    figures = search_bench.side_by_side({"ours": lambda text: states.append(gc.isenabled())}, queries)
    assert states == [False, False, False] and gc.isenabled()
    assert figures["ours"]["all"]["n"] == 3 and figures["ours"]["word"]["n"] == 2
    states.clear()
    search_bench.side_by_side({"ours": lambda text: states.append(gc.isenabled())}, queries, collect_between=False)
    assert states == [True, True, True] and gc.isenabled()

"""The command line: python -m desktop.core "words" [--json] [--limit N] [--index DIR]."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "desktop.core", *args],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=environment,
        timeout=60,
    )


def test_json_lists_hits_with_code_code_set_and_title(small_index: Path) -> None:
    done = run("heart attack", "--json", "--limit", "10", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert isinstance(hits, list) and 1 <= len(hits) <= 10
    assert hits[0]["code"] == "I21.9" and hits[0]["code_set"] == "ICD-10-CM"
    assert hits[0]["title"] == "Acute myocardial infarction, unspecified"
    assert hits[0]["matched_field"] == "index" and hits[0]["matched_text"] == "Attack, heart"


def test_limit_and_filters(small_index: Path) -> None:
    done = run("J9600", "--json", "--limit", "1", "--index", str(small_index), "--code-set", "ICD-10-CM")
    assert [hit["code"] for hit in json.loads(done.stdout)] == ["J96.00"]


def test_table_is_readable(small_index: Path) -> None:
    done = run("e11", "--index", str(small_index))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("4 match(es) for 'e11'")
    assert lines[1].split()[:2] == ["E11", "ICD-10-CM"]


def test_index_from_the_environment(small_index: Path) -> None:
    done = run("avastin", "--json", env={"CODEATLAS_INDEX": str(small_index)})
    assert json.loads(done.stdout)[0]["code"] == "J9035"


def test_a_missing_index_is_reported_not_raised(tmp_path: Path) -> None:
    done = run("heart attack", "--index", str(tmp_path / "nothing"))
    assert done.returncode == 2
    assert "No CodeAtlas index was found" in done.stderr and "Traceback" not in done.stderr

"""End to end on the real official files: one full build, then counts, detail, search and the smoke test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet, NoteKind, SearchFilters

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def full_index(real_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole index, built once per test run by the real command line (a few minutes)."""
    out = tmp_path_factory.mktemp("full") / "index"
    done = subprocess.run(
        [sys.executable, "-m", "index_build", "--out", str(out), "--sources", str(real_sources), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_manifest_counts(full_index: Path) -> None:
    manifest = json.loads((full_index / "manifest.json").read_text())
    releases = {c["code_set"]: c for c in manifest["code_sets"]}
    # ICD-9-CM is the retired code set the 2018 GEMs bring (a crosswalk, not a release of its own)
    assert set(releases) == {"ICD-10-CM", "ICD-10-PCS", "HCPCS", "ICD-9-CM"}
    assert releases["HCPCS"]["release"] == "July 2026"
    assert manifest["counts"]["ICD-10-CM"]["billable codes"] == 74_719
    assert manifest["counts"]["ICD-10-PCS"]["codes"] == 79_115
    assert manifest["counts"]["HCPCS"]["codes"] == 8_725
    assert manifest["counts"]["HCPCS"]["codes not terminated"] == 7_418
    assert manifest["counts"]["HCPCS"]["modifiers"] == 384
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


def test_detail_of_one_code_per_code_set(full_index: Path) -> None:
    index = CodeIndex(full_index)
    e119 = index.detail(CodeSet.ICD10CM, "E11.9")
    assert e119 is not None and e119.record.billable
    levels = {(n.source_code, n.kind) for a in e119.ancestors for n in a.notes}
    assert ("E11", NoteKind.INCLUDES) in levels or ("E11", NoteKind.USE_ADDITIONAL_CODE) in levels
    assert any(code == "4" for code, _ in levels)  # chapter 4's notes are inherited
    pcs = index.detail(CodeSet.ICD10PCS, "0DTJ4ZZ")
    assert pcs is not None
    assert [a.label for a in pcs.record.axes] == [
        "Medical and Surgical",
        "Gastrointestinal System",
        "Resection",
        "Appendix",
        "Percutaneous Endoscopic",
        "No Device",
        "No Qualifier",
    ]
    j9035 = index.detail(CodeSet.HCPCS, "J9035")
    assert j9035 is not None and "bevacizumab" in j9035.record.title.lower()
    assert dict(j9035.record.attributes).get("Added")


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("E11.9", ("ICD-10-CM", "E11.9"), 1),
        ("e119", ("ICD-10-CM", "E11.9"), 1),
        ("s72001a", ("ICD-10-CM", "S72.001A"), 1),
        ("0dtj4zz", ("ICD-10-PCS", "0DTJ4ZZ"), 1),
        ("j9035", ("HCPCS", "J9035"), 1),
        ("lt", ("HCPCS", "LT"), 1),
        ("appendectomy", ("ICD-10-PCS", "0DTJ"), 5),
        ("aspirin", ("ICD-10-CM", "T39.011"), 10),
        ("bevacizumab", ("HCPCS", "J9035"), 5),
        ("heart attack", ("ICD-10-CM", "I21.9"), 5),
    ],
)
def test_search_on_the_real_index(full_index: Path, query: str, expected: tuple[str, str], within: int) -> None:
    from desktop.core.search.engine import SearchEngine

    engine = SearchEngine(full_index)
    try:
        hits = engine.search(query, SearchFilters(), limit=20).hits
    finally:
        engine.close()
    found = [(str(h.code_set), h.code) for h in hits[:within]]
    assert expected in found, f"{query!r}: {found}"


def test_cli_lookup_prints_json(full_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.core", "E11.9", "--json", "--limit", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CODEATLAS_INDEX": str(full_index)},
    )
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits[0]["code"] == "E11.9" and hits[0]["code_set"] == "ICD-10-CM" and hits[0]["title"]


def test_smoke_test_passes_on_the_full_index(full_index: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "--smoke-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "CODEATLAS_INDEX": str(full_index),
            "CODEATLAS_DATA_DIR": str(tmp_path),
            "QT_QPA_PLATFORM": "offscreen",
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for code in ("E11.9", "0DTJ4ZZ", "J9035"):
        assert code in done.stdout
    # issue 15: one guideline section (on a code's tab and as a hit of its own) and one GEM mapping
    for line in (
        "ok   guidelines: E11.9 shows section I.C.4.a",
        "ok   guidelines: 'I.C.4.a' finds and opens the section",
        "ok   GEMs: ICD-9-CM 250.00 finds ICD-10-CM E11.9",
    ):
        assert line in done.stdout, done.stdout

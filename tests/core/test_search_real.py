"""Issue 11 on the real index: the defects as a coder met them, and the labelled sets pointing at real codes.

Runs when CODEATLAS_INDEX names a full index built from the official files, or, when only
CODEATLAS_SOURCES is set, on an index built from those files once for this module (a few minutes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.records import CodeSet
from desktop.core.search.engine import SearchEngine
from desktop.core.search.equivalents import Equivalents
from desktop.core.search.query import stem
from tests.core.search_fixture import codes, ready_engine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from relevance import SETS, load, pcs_table_labels  # noqa: E402


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("CODEATLAS_INDEX", "")
    if given and (Path(given) / "manifest.json").is_file():
        manifest = json.loads((Path(given) / "manifest.json").read_text())
        if {c["code_set"] for c in manifest.get("code_sets", [])} >= {"ICD-10-CM", "ICD-10-PCS", "HCPCS"}:
            return Path(given)
    sources = os.environ.get("CODEATLAS_SOURCES", "")
    if not sources or not Path(sources).is_dir():
        pytest.skip("neither CODEATLAS_INDEX (a full index) nor CODEATLAS_SOURCES is set")
    out = tmp_path_factory.mktemp("real") / "index"
    done = subprocess.run(
        [sys.executable, "-m", "index_build", "--out", str(out), "--sources", sources, "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def engine(real_index: Path) -> Iterator[SearchEngine]:
    with ready_engine(real_index, timeout=600) as found:
        yield found


def test_left_femoral_neck_fracture_ranks_a_left_initial_s72_0_code_first(engine: SearchEngine) -> None:
    first = engine.search("fracture of left femoral neck, initial encounter").hits[0]
    assert first.code.startswith("S72.0") and first.code.endswith("A") and "left" in first.title.lower()
    right = engine.search("fracture of right femoral neck, subsequent encounter").hits[0]
    assert right.code.startswith("S72.0") and right.code.endswith("D") and "right" in right.title.lower()


def test_every_anatomy_noun_is_an_indexed_word(engine: SearchEngine) -> None:
    lists = engine._cache.fields["title"]  # type: ignore[union-attr]
    text = (ROOT / "resources" / "anatomy.tsv").read_text(encoding="utf-8")
    nouns = [line.split("\t")[1] for line in text.splitlines() if line and not line.startswith("#")]
    assert [noun for noun in nouns if lists.frequency(stem(noun)) == 0] == []
    assert len(Equivalents.load()) > 150


def test_billable_only_keeps_the_table_of_drugs_codes(engine: SearchEngine, real_index: Path) -> None:
    found = codes(engine, "acetaminophen overdose", billable_only=True)
    assert "T39.1X1A" in found and "T39.1X2A" in found
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.core",
            "acetaminophen overdose",
            "--billable",
            "--json",
            "--index",
            str(real_index),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {"T39.1X1A", "T39.1X2A"} <= {hit["code"] for hit in json.loads(done.stdout)}


def test_59_points_to_the_x_modifiers_and_terminated_codes_are_found(engine: SearchEngine) -> None:
    assert set(codes(engine, "59")[:4]) == {"XE", "XP", "XS", "XU"}
    hit = engine.search("G0202").hits[0]
    assert (hit.code, hit.terminated) == ("G0202", True)


def test_heart_attack_keeps_hcpcs_rows_below_the_diagnoses(engine: SearchEngine) -> None:
    sets = [h.code_set for h in engine.search("heart attack").hits]
    assert sets[0] is CodeSet.ICD10CM
    assert sets == sorted(sets, key=lambda s: s is not CodeSet.ICD10CM)  # one CM block, then the rest
    for text in ("heart attack", "diabetes", "knee replacement", "left", "injection"):
        first = engine.search(text, limit=50)
        more = engine.search(text, limit=100)
        assert more.hits[:50] == first.hits and len(more.hits) > 50 and more.total >= 100, text


def test_hits_name_their_parent(engine: SearchEngine) -> None:
    hits = {h.code: h for h in engine.search("fracture of neck of left femur").hits}
    assert hits and all(h.parent for h in hits.values())
    assert [h.parent for h in engine.search("S72.002A").hits[:1]] == ["S72.002"]


@pytest.mark.parametrize("name", SETS)
def test_every_labelled_code_and_table_exists(engine: SearchEngine, name: str) -> None:
    rows = load(name)
    missing = sorted(
        {
            code
            for _query, expected in rows
            for code in expected
            if not any(engine.index.record(cs, code) for cs in ("ICD-10-CM", "ICD-10-PCS", "HCPCS"))
        }
    )
    assert missing == []
    tables = sorted({t for t in pcs_table_labels(name) if not engine.index.record("ICD-10-PCS", t)})
    assert tables == []


def test_every_procedure_title_word_is_an_icd10pcs_word(engine: SearchEngine) -> None:
    from desktop.core.search.equivalents import PROCEDURE_FILE, parse_procedure_words

    lists = engine._cache.fields["title"]  # type: ignore[union-attr]
    text = (ROOT / "resources" / PROCEDURE_FILE).read_text(encoding="utf-8").splitlines()
    rows = [row for row in parse_procedure_words(text) if row.kind != "suffix"]
    words = {word for row in rows for words in row.title_words for word in words.split()}  # 'kidney pelvis
    words |= {row.typed for row in parse_procedure_words(text) if row.kind == "operation"}
    assert sorted(w for w in words if lists.frequency(stem(w)) == 0) == []


def test_procedure_wording_reaches_the_pcs_codes(engine: SearchEngine) -> None:
    expected = {
        "laparoscopic appendectomy": {"0DTJ4ZZ"},
        "total abdominal hysterectomy": {"0UT90ZZ"},
        "insertion of coronary artery stent": {"02703DZ", "027034Z"},
        "hemodialysis": {"5A1D70Z", "5A1D80Z", "5A1D90Z"},
        "cesarean section": {"10D00Z0", "10D00Z1", "10D00Z2"},
    }
    for text, acceptable in expected.items():
        found = codes(engine, text, limit=10)
        assert acceptable & set(found) and engine.search(text).hits[0].code_set is CodeSet.ICD10PCS, (text, found)


def test_guideline_sections_are_hits_of_their_own(engine: SearchEngine) -> None:
    """Issue 15: a section found by number or by words, below the code hits, opening the section itself."""
    hits = engine.search("sequencing of diabetes").hits
    sections = [h.code for h in hits if h.kind == "guideline"]
    assert sections[:3] == ["I.C.4", "I.C.4.a.6.b", "I.C.4.a"]
    assert all(h.kind != "guideline" for h in hits[: len(hits) - len(sections)])  # below every code hit
    diabetes = engine.search("diabetes").hits
    assert diabetes[0].code.startswith("E1") and "I.C.4.a" in [h.code for h in diabetes if h.kind == "guideline"]
    by_number = [h.code for h in engine.search("I.C.4.a").hits]
    assert by_number[:3] == ["I.C.4.a", "I.C.4.a.1", "I.C.4.a.1.a"] and "I.C.4.a.6.b.ii" in by_number
    first = engine.search("admission from observation unit").hits[0]
    assert (first.code, first.title) == ("II.I", "Admission from Observation Unit")
    detail = engine.index.detail(first.code_set, first.code)
    assert detail is not None and [c.code for c in detail.children] == ["II.I.1", "II.I.2"]
    assert "observation unit" in " ".join(note.text for note in detail.record.notes)  # its subsections
    general = {
        h.code for text in ("locating a code", "laterality", "borderline diagnosis") for h in engine.search(text).hits
    }
    assert {"I.B.1", "I.B.13", "I.B.17"} <= general  # the general sections, unreachable through a chapter

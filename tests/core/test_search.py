"""SearchEngine on small indexes: code lookups, ranking order, words, synonyms, typos, filters, threads."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, IndexTerm, Kind, SearchFilters
from desktop.core.search.engine import SearchEngine

CM, PCS, HCPCS = CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS


@pytest.fixture(scope="module")
def engine(small_index: Path) -> Iterator[SearchEngine]:
    found = SearchEngine(small_index, vocabulary_delay=0.0)
    found.strict = True
    assert found.wait_ready(30)
    yield found
    found.close()


def codes(engine: SearchEngine, text: str, **filters: object) -> list[str]:
    return [hit.code for hit in engine.search(text, SearchFilters(**filters)).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["E11.9", "e119", "E11 9", " e11.9", "E11.9 "])
def test_a_code_typed_any_way_comes_first(engine: SearchEngine, typed: str) -> None:
    first = engine.search(typed).hits[0]
    assert (first.code, first.code_set, first.matched_field) == ("E11.9", CM, "code")


@pytest.mark.parametrize(
    ("typed", "code", "code_set"),
    [
        ("s72001a", "S72.001A", CM),
        ("0dtj4zz", "0DTJ4ZZ", PCS),
        ("J9035", "J9035", HCPCS),
        ("lt", "LT", HCPCS),
        ("E08-E13", "E08-E13", CM),
        ("4", "4", CM),
    ],
)
def test_codes_of_every_code_set(engine: SearchEngine, typed: str, code: str, code_set: CodeSet) -> None:
    first = engine.search(typed).hits[0]
    assert (first.code, first.code_set) == (code, code_set)


def test_a_prefix_lists_the_code_and_what_is_under_it_in_code_order(engine: SearchEngine) -> None:
    assert codes(engine, "E11") == ["E11", "E11.6", "E11.65", "E11.9"]
    assert codes(engine, "0DT") == ["0DT", "0DTJ", "0DTJ0ZZ", "0DTJ4ZZ"]
    assert codes(engine, "S72.0") == ["S72.001", "S72.001A", "S72.001D", "S72.001S"]
    assert engine.search("E11").total == 4


def test_chapters_and_sections_do_not_swamp_prefix_lists(engine: SearchEngine) -> None:
    assert "E08-E13" not in codes(engine, "E")
    assert "E08-E13" not in codes(engine, "E0")
    assert codes(engine, "E")[:2] == ["E11", "E11.6"]
    assert "4" not in codes(engine, "E")


def test_a_key_shared_by_two_code_sets_shows_both_labelled(engine: SearchEngine) -> None:
    hits = engine.search("J9600").hits
    assert {(h.code, h.code_set) for h in hits[:2]} == {("J9600", HCPCS), ("J96.00", CM)}
    assert hits[0].code_set is HCPCS  # written like a HCPCS code
    assert engine.search("J96.00").hits[0].code_set is CM  # written like an ICD-10-CM code
    assert codes(engine, "J9600", code_sets=frozenset({CM})) == ["J96.00"]


def test_a_letter_shared_by_code_sets_lists_both(engine: SearchEngine) -> None:
    found = {(h.code_set, h.code) for h in engine.search("J").hits}
    assert (HCPCS, "J9035") in found and (CM, "J96.00") in found
    assert {h.code_set for h in engine.search("J", SearchFilters(frozenset({HCPCS}))).hits} == {HCPCS}


def test_words_stem_and_the_last_word_completes(engine: SearchEngine) -> None:
    assert set(codes(engine, "diab")) >= {"E11", "E11.9", "E11.65"}
    assert "E11.65" in codes(engine, "diabetic hyperglycemia")
    assert codes(engine, "hyperglyc")[0] == "E11.65"


def test_more_general_before_more_specific(engine: SearchEngine) -> None:
    found = codes(engine, "femur fracture")
    assert found[:2] == ["S72", "S72.001A"]  # a heading, then the code a coder takes under it
    assert found.index("S72.001") < found.index("S72.001D")
    found = codes(engine, "type 2 diabetes")
    assert set(found[:2]) == {"E11", "E11.9"}  # title says just that ('without complications' adds nothing)
    assert found.index("E11") < found.index("E11.6")


def test_index_term_hit_above_title_only_hit(engine: SearchEngine) -> None:
    hits = engine.search("aspirin").hits
    assert [h.code for h in hits] == ["T39.011", "T39.011A"]
    assert hits[0].matched_field == "index" and hits[0].matched_text.startswith("Aspirin")
    assert hits[1].matched_field == "title" and hits[1].highlights == ((13, 20),)


def test_heart_attack_reaches_its_code_through_the_index(engine: SearchEngine) -> None:
    first = engine.search("heart attack").hits[0]
    assert (first.code, first.matched_field, first.matched_text) == ("I21.9", "index", "Attack, heart")
    assert [first.matched_text[a:b] for a, b in first.highlights] == ["Attack", "heart"]


def test_pcs_index_drug_names_and_modifiers(engine: SearchEngine) -> None:
    assert codes(engine, "appendectomy")[0] == "0DTJ"
    assert engine.search("avastin").hits[0].code == "J9035"
    assert codes(engine, "bevacizumab")[0] == "J9035"
    assert codes(engine, "vermiform appendix")[0] == "0DTJ"
    assert codes(engine, "left side")[0] == "LT"


def test_words_split_between_a_heading_and_a_code_under_it(engine: SearchEngine) -> None:
    # The PCS index says Appendectomy at 0DTJ; the approach is only in the codes' titles.
    hit = engine.search("open appendectomy").hits[0]
    assert (hit.code, hit.matched_field, hit.matched_text) == ("0DTJ0ZZ", "index", "Appendectomy")
    assert codes(engine, "appendectomy percutaneous endoscopic")[0] == "0DTJ4ZZ"


def test_synonyms_reach_codes_and_say_so(engine: SearchEngine) -> None:
    hit = engine.search("chf").hits[0]
    assert hit.code == "I50.9" and hit.matched_field == "synonym"
    assert hit.matched_text == "chf → congestive heart failure"
    assert [hit.matched_text[a:b] for a, b in hit.highlights] == ["congestive", "heart", "failure"]
    assert codes(engine, "high blood pressure") == []  # no hypertension code in this small index
    assert engine.search("sugar diabetes").hits[0].code.startswith("E")


def test_typos_are_corrected_and_noted(engine: SearchEngine) -> None:
    result = engine.search("pnuemonia")
    assert [h.code for h in result.hits] == ["J18.9"]
    assert result.note == "Showing results for pneumonia"
    fixed = engine.search("diabetis type 2")
    assert fixed.note == "Showing results for diabetes type 2" and fixed.corrected_query == "diabetes type 2"
    assert [h.code for h in fixed.hits] == codes(engine, "diabetes type 2 ")  # searched as the words typed right
    assert engine.search("pneumonia").note == ""


def test_partial_matches_follow_full_matches(engine: SearchEngine) -> None:
    found = codes(engine, "pneumonia hyperglycemia")
    assert set(found) == {"J18.9", "E11.65"}


def test_only_codes_and_guideline_sections_are_hits(engine: SearchEngine) -> None:
    for text in ("resection", "percutaneous endoscopic", "infarction myocardium", "diabetes"):
        kinds = [h.kind for h in engine.search(text).hits]
        assert not set(kinds) & {Kind.DEFINITION, Kind.XREF}, text
        # a guideline section is a hit of its own, always below the code hits of a one-word search
        sections = [n for n, kind in enumerate(kinds) if kind is Kind.GUIDELINE]
        assert sections == list(range(len(kinds) - len(sections), len(kinds))), text
    assert codes(engine, "resection")[0] == "0DT" or "0DTJ" in codes(engine, "resection")


def test_filters(engine: SearchEngine) -> None:
    assert all(h.billable for h in engine.search("diabetes", SearchFilters(billable_only=True)).hits)
    assert "E11" not in codes(engine, "E11", billable_only=True)
    assert codes(engine, "injection", code_sets=frozenset({CM})) == []
    assert "J0001" not in codes(engine, "J00") and "J0001" not in codes(engine, "injection")
    assert codes(engine, "J0001", include_terminated=True) == ["J0001"]
    assert "J0001" in codes(engine, "terminated injection", include_terminated=True)


def test_results_carry_totals_limits_and_timings(engine: SearchEngine) -> None:
    result = engine.search("E", limit=2)
    assert len(result.hits) == 2 and result.total >= 4 and result.elapsed_ms >= 0
    assert engine.search("zzzz qqqq").hits == ()
    assert engine.search("").hits == () and engine.search("   ").total == 0


def test_search_and_detail_from_two_threads(engine: SearchEngine) -> None:
    failures: list[BaseException] = []

    def searching() -> None:
        try:
            for _ in range(40):
                assert engine.search("diabetes").hits[0].code_set is CM
        except BaseException as exc:
            failures.append(exc)

    worker = threading.Thread(target=searching)
    worker.start()
    for _ in range(40):
        detail = engine.index.detail(CM, "E11.9")
        assert detail is not None and detail.record.title.startswith("Type 2")
    worker.join()
    assert failures == []


def test_without_a_cache_the_whoosh_path_answers_the_same(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: SearchEngine
) -> None:
    folder = tmp_path / "index"
    shutil.copytree(small_index, folder, ignore=shutil.ignore_patterns("search.cache"))
    monkeypatch.setenv("CODEATLAS_DATA_DIR", str(tmp_path / "data"))
    plain = SearchEngine(folder, warm_up=False)
    plain.strict = True
    try:
        for text in ("diab", "heart attack", "aspirin", "type 2 diabetes", "E11", "chf", "left side"):
            assert codes(plain, text) == codes(engine, text), text
        assert plain.search("pnuemonia").note == "Showing results for pneumonia"
    finally:
        plain.close()


def _tie_index(folder: Path) -> Path:
    from index_build.manifest import make_manifest
    from index_build.sources.base import Parsed
    from index_build.writer import write_index

    rows = [
        CodeRecord(CM, "X10", "Pneumonia, unspecified organism", Kind.CATEGORY),
        CodeRecord(CM, "X10.9", "Pneumonia, unspecified organism", Kind.CODE, parent="X10", billable=True),
        CodeRecord(CM, "X11", "Lobar pneumonia", Kind.CATEGORY),
        CodeRecord(
            CM,
            "X11.0",
            "Lobar pneumonia, right lung with a long and specific title",
            Kind.CODE,
            parent="X11",
            billable=True,
        ),
    ]
    parsed = Parsed()
    parsed.records = [replace(r, order=n) for n, r in enumerate(rows)]
    parsed.index_terms = [IndexTerm(CM, "alphabetic", ("Pneumonia", "lobar"), "X11")]
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    return folder


def test_billable_before_header_when_otherwise_equal(tmp_path: Path) -> None:
    engine = SearchEngine(_tie_index(tmp_path / "ties"), vocabulary_delay=0.0)
    engine.strict = True
    try:
        engine.wait_ready(30)
        assert codes(engine, "pneumonia unspecified organism")[:2] == ["X10.9", "X10"]
        assert codes(engine, "lobar pneumonia")[0] == "X11"  # index term and title say just that
    finally:
        engine.close()


def test_the_search_cache_is_kept_and_reused(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.search import cache as search_cache

    folder = tmp_path / "index"
    shutil.copytree(small_index, folder, ignore=shutil.ignore_patterns("search.cache"))
    monkeypatch.setenv("CODEATLAS_DATA_DIR", str(tmp_path / "data"))
    first = SearchEngine(folder, vocabulary_delay=0.0)
    assert first.wait_ready(30)
    first.close()
    assert (folder / search_cache.FILE_NAME).is_file()
    again = SearchEngine(folder, warm_up=False)
    try:
        assert again._cache is not None  # loaded at once, not rebuilt
        assert codes(again, "aspirin")[0] == "T39.011"
    finally:
        again.close()
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text().replace("{", '{"rebuilt": 1, ', 1))
    stale = SearchEngine(folder, warm_up=False)
    try:
        assert stale._cache is None  # another build of the index: the old cache does not apply
    finally:
        stale.close()


def test_a_read_only_index_keeps_its_cache_in_the_user_folder(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.search import cache as search_cache

    folder = tmp_path / "index"
    shutil.copytree(small_index, folder, ignore=shutil.ignore_patterns("search.cache"))
    monkeypatch.setenv("CODEATLAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(search_cache, "FILE_NAME", "no-such-dir/search.cache")  # unwritable beside the index
    (folder / "no-such-dir").write_text("a file, so nothing can be created under it")
    engine = SearchEngine(folder, vocabulary_delay=0.0)
    try:
        assert engine.wait_ready(30)
        assert list((tmp_path / "data" / search_cache.USER_FOLDER).glob("*.cache"))
        assert codes(engine, "heart attack")[0] == "I21.9"
    finally:
        engine.close()

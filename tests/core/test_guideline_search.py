"""Guideline sections in the search: their titles reach the chapter whose Guidelines tab holds them, and
each section is a hit of its own (by number or by words), below the code hits, opening the section itself."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.colours import LIGHT
from desktop.core.records import CodeRecord, CodeSet, GuidelineSection, Kind, SearchFilters, SourceRelease
from desktop.core.search.engine import SearchEngine
from desktop.detail.guideline_page import section_html
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.sources.icd10cm.supplements import guideline_search_terms
from index_build.writer import write_index

CM = CodeSet.ICD10CM
SECTIONS = [
    GuidelineSection(CM, "I.B", "General Coding Guidelines", "", "Section I.B", ("all",)),
    GuidelineSection(CM, "I.B.1", "Locating a code in the ICD-10-CM", "Look up the term in the Index.", "Section I.B"),
    GuidelineSection(CM, "I.C.4", "Chapter 4: Endocrine, Nutritional, and Metabolic Diseases", "", "Chapter 4"),
    GuidelineSection(
        CM, "I.C.4.a", "Diabetes mellitus", "The diabetes mellitus codes are combination codes.", "Chapter 4"
    ),
    GuidelineSection(
        CM,
        "I.C.4.a.6.b",
        "Assigning and sequencing secondary diabetes codes",
        "Codes under categories E08 and E09 are sequenced first, followed by the other codes.",
        "Chapter 4",
        ("chapter:4", "code:E08"),
    ),
    GuidelineSection(CM, "II", "Selection of Principal Diagnosis", "The circumstances of inpatient admission.", "II"),
    GuidelineSection(
        CM,
        "II.I",
        "Admission from Observation Unit",
        "When a patient is admitted to an observation unit for a medical condition ...",
        "II",
        ("all",),
    ),
    GuidelineSection(CM, "II.I.1", "Admission Following Medical Observation", "When a patient is admitted ...", "II"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    records = guideline_search_terms(
        [
            CodeRecord(CM, "4", "Endocrine, nutritional and metabolic diseases (E00-E89)", Kind.CHAPTER, order=1),
            CodeRecord(CM, "E11", "Type 2 diabetes mellitus", Kind.CATEGORY, parent="4", order=2),
            CodeRecord(CM, "E11.9", "Type 2 diabetes mellitus without complications", Kind.CODE, "E11", billable=True),
            CodeRecord(CM, "R69", "Illness, unspecified", Kind.CODE, billable=True, search_terms=("observation",)),
        ],
        SECTIONS,
    )
    parsed = Parsed(records=records, guidelines=SECTIONS, releases=[SourceRelease(CM, "FY2026", "2025-10-01")])
    folder: Path = tmp_path_factory.mktemp("guideline-search") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    found = SearchEngine(folder, warm_up=False)
    found.strict = True
    return found


def test_the_warm_up_waits_for_the_first_search_and_a_pause(engine: SearchEngine) -> None:
    """Read at start-up, the sections and the vocabulary doubled the time to the first result: they wait
    for the first search and a pause in typing. A section number is read at once; a word search answered
    without the sections is not kept, so asking again lists them."""
    warm = SearchEngine(engine.folder, vocabulary_delay=30.0)
    warm.strict = True
    try:
        time.sleep(0.5)
        assert warm._sections_read is None and warm._vocabulary is None  # nobody searched yet
        early = [(hit.code, hit.kind) for hit in warm.search("diabetes mellitus").hits]
        assert ("I.C.4.a", Kind.GUIDELINE) not in early and warm._sections_read is None
        assert warm.wait_ready(10)  # once typing paused: the sections, then the vocabulary
        assert warm._vocabulary is not None
        later = [(hit.code, hit.kind) for hit in warm.search("diabetes mellitus").hits]
        assert ("I.C.4.a", Kind.GUIDELINE) in later
    finally:
        warm.close()
    numbered = SearchEngine(engine.folder, vocabulary_delay=30.0)
    try:
        assert numbered.search("I.C.4.a").hits[0].code == "I.C.4.a"  # read for the number typed
        assert numbered.search("E11.9").hits[0].code == "E11.9"  # a code: never taken for a section
    finally:
        numbered.close()


def test_chapter_carries_its_section_titles() -> None:
    chapter = guideline_search_terms([CodeRecord(CM, "4", "Endocrine", Kind.CHAPTER)], SECTIONS)[0]
    assert chapter.search_terms[-1] == "Guideline I.C.4.a.6.b: Assigning and sequencing secondary diabetes codes"
    assert len(chapter.search_terms) == 3  # I.C.4, I.C.4.a, I.C.4.a.6.b: the sections of chapter 4 only


def test_sequencing_of_diabetes_reaches_chapter_4(engine: SearchEngine) -> None:
    first = engine.search("sequencing of diabetes").hits[0]
    assert (first.code, first.kind) == ("4", Kind.CHAPTER)
    assert "I.C.4.a.6.b" in first.matched_text


def _rows(engine: SearchEngine, text: str) -> list[tuple[str, Kind]]:
    return [(hit.code, hit.kind) for hit in engine.search(text).hits]


def test_words_of_a_section_make_it_a_hit_below_the_codes(engine: SearchEngine) -> None:
    rows = _rows(engine, "sequencing of diabetes")
    sections = [code for code, kind in rows if kind is Kind.GUIDELINE]
    # the chapter first, then the section whose title holds both words, then the one whose text does
    assert sections == ["I.C.4", "I.C.4.a.6.b"]
    assert rows[: len(rows) - len(sections)] == [("4", Kind.CHAPTER), ("E11", Kind.CATEGORY), ("E11.9", Kind.CODE)]
    hit = engine.search("sequencing of diabetes").hits[-1]
    assert (hit.title, hit.matched_field) == ("Assigning and sequencing secondary diabetes codes", "title")
    assert [hit.title[a:b] for a, b in hit.highlights] == ["sequencing", "diabetes"]


def test_a_code_search_still_shows_the_codes_first(engine: SearchEngine) -> None:
    rows = _rows(engine, "diabetes")
    assert set(rows[:2]) == {("E11", Kind.CATEGORY), ("E11.9", Kind.CODE)}
    assert [code for code, kind in rows if kind is Kind.GUIDELINE] == ["I.C.4", "I.C.4.a", "I.C.4.a.6.b"]
    assert all(kind is not Kind.GUIDELINE for _, kind in rows[:3])
    assert [c for c, k in _rows(engine, "diabet") if k is Kind.GUIDELINE][:2] == ["I.C.4", "I.C.4.a"]  # typing


def test_a_general_section_title_leads_when_no_code_holds_every_word(engine: SearchEngine) -> None:
    rows = _rows(engine, "admission from observation unit")
    assert rows[0] == ("II.I", Kind.GUIDELINE)
    one_word = _rows(engine, "observation")  # one word: the code first, the sections holding it below
    assert one_word[0] == ("R69", Kind.CODE) and ("II.I", Kind.GUIDELINE) in one_word[1:]


def test_a_section_number_finds_the_section_and_its_subsections(engine: SearchEngine) -> None:
    assert _rows(engine, "I.C.4.a") == [("I.C.4.a", Kind.GUIDELINE), ("I.C.4.a.6.b", Kind.GUIDELINE)]
    assert [code for code, _ in _rows(engine, "ii.i")] == ["II.I", "II.I.1"]
    assert [code for code, _ in _rows(engine, "I.B.")] == ["I.B", "I.B.1"]
    assert _rows(engine, "E11.9") == [("E11.9", Kind.CODE)]


def test_filters_keep_sections_to_their_code_set(engine: SearchEngine) -> None:
    only_pcs = SearchFilters(code_sets=frozenset({CodeSet.ICD10PCS}))
    assert engine.search("I.C.4.a", only_pcs).hits == ()
    assert all(h.kind is not Kind.GUIDELINE for h in engine.search("diabetes", SearchFilters(billable_only=True)).hits)


def test_a_section_hit_opens_the_section_itself(engine: SearchEngine) -> None:
    hit = next(h for h in engine.search("sequencing of diabetes").hits if h.code == "I.C.4.a.6.b")
    detail = engine.index.detail(hit.code_set, hit.code)
    assert detail is not None and detail.record.kind is Kind.GUIDELINE
    assert detail.record.title == "Assigning and sequencing secondary diabetes codes"
    assert detail.record.notes[0].text.startswith("Codes under categories E08 and E09 are sequenced first")
    assert [a.code for a in detail.ancestors] == ["I.C.4", "I.C.4.a"]
    assert dict(detail.record.attributes)["Applies to"] == "chapter:4, code:E08"
    assert [c.code for c in engine.index.detail(CM, "II").children] == ["II.I"]
    page = section_html(detail, LIGHT)
    assert "Codes under categories E08 and E09 are sequenced first" in page and 'codeatlas://ICD-10-CM/E08"' in page
    assert "Chapter 4" in page and "I.C.4.a" in page

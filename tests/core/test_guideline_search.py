"""Words of a guideline section's title reach the chapter whose Guidelines tab holds the section."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, GuidelineSection, Kind, SourceRelease
from desktop.core.search.engine import SearchEngine
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.sources.icd10cm.supplements import guideline_search_terms
from index_build.writer import write_index

CM = CodeSet.ICD10CM
SECTIONS = [
    GuidelineSection(CM, "I.C.4.a.6.b", "Assigning and sequencing secondary diabetes codes", "", "Chapter 4"),
    GuidelineSection(CM, "I.B.1", "Locating a code in the ICD-10-CM", "", "Section I.B", ("all",)),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    records = guideline_search_terms(
        [
            CodeRecord(CM, "4", "Endocrine, nutritional and metabolic diseases (E00-E89)", Kind.CHAPTER, order=1),
            CodeRecord(CM, "E11.9", "Type 2 diabetes mellitus without complications", Kind.CODE, billable=True),
        ],
        SECTIONS,
    )
    parsed = Parsed(records=records, guidelines=SECTIONS, releases=[SourceRelease(CM, "FY2026", "2025-10-01")])
    folder: Path = tmp_path_factory.mktemp("guideline-search") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    found = SearchEngine(folder, warm_up=False)
    found.strict = True
    return found


def test_chapter_carries_its_section_titles() -> None:
    chapter = guideline_search_terms([CodeRecord(CM, "4", "Endocrine", Kind.CHAPTER)], SECTIONS)[0]
    assert chapter.search_terms == ("Guideline I.C.4.a.6.b: Assigning and sequencing secondary diabetes codes",)


def test_sequencing_of_diabetes_reaches_chapter_4(engine: SearchEngine) -> None:
    first = engine.search("sequencing of diabetes").hits[0]
    assert (first.code, first.kind) == ("4", Kind.CHAPTER)
    assert "I.C.4.a.6.b" in first.matched_text

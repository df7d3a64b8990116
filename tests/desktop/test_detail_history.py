"""The Descriptor's code history and GEM sections, and the Guidelines tab reaching cited categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.colours import LIGHT
from desktop.core.index import CodeIndex
from desktop.core.records import (
    CodeRecord,
    CodeRef,
    CodeSet,
    CrosswalkEntry,
    GuidelineSection,
    HistoryEvent,
    Kind,
    Note,
    NoteKind,
    SourceRelease,
)
from desktop.detail.descriptor import descriptor_html
from desktop.detail.guidelines import guidelines_html
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.writer import write_index

CM, ICD9 = CodeSet.ICD10CM, CodeSet.ICD9CM
CKD_NOTE = Note(
    NoteKind.USE_ADDITIONAL_CODE,
    "Use additional code to identify stage of chronic kidney disease (N18.1-N18.6)",
    "E11.22",
    Kind.CODE,
    (CodeRef("N18.1-N18.6", "N18.1", "N18.6"),),
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CodeIndex:
    records = [
        CodeRecord(CM, "4", "Endocrine diseases", Kind.CHAPTER, order=1),
        CodeRecord(CM, "E11", "Type 2 diabetes mellitus", Kind.CATEGORY, "4", order=2),
        CodeRecord(
            CM,
            "E11.22",
            "Type 2 diabetes mellitus with diabetic chronic kidney disease",
            Kind.CODE,
            "E11",
            True,
            short_title="Type 2 diabetes mellitus w diabetic chronic kidney disease",
            notes=(CKD_NOTE,),
            history=(HistoryEvent("added", "FY2017", "2016-10-01", ("E11.29",)),),
            crosswalk=(CrosswalkEntry("250.40", approximate=True, combination=True, scenario=1, choice=1),),
            order=3,
        ),
        CodeRecord(
            CM,
            "E11.8",
            "Type 2 diabetes <with> unspecified complications",
            Kind.CODE,
            terminated=True,
            history=(HistoryEvent("deleted", "FY2026", "2025-10-01", ("E11.22",)),),
        ),
        CodeRecord(
            ICD9,
            "250.40",
            "Retired ICD-9-CM code; maps to E11.22",
            Kind.CODE,
            terminated=True,
            crosswalk=(CrosswalkEntry("E11.22", approximate=True), CrosswalkEntry("", no_map=True)),
            history=(HistoryEvent("deleted", "FY2016", "2015-10-01", ("E11.22",)),),
        ),
    ]
    guidelines = [
        GuidelineSection(CM, "I.C.4.a", "Diabetes mellitus", "Text.", "Chapter 4", ("chapter:4", "code:E11")),
        GuidelineSection(
            CM, "I.C.14.a.1", "Stages of chronic kidney disease (CKD)", "N18.", "Chapter 14", ("chapter:14", "code:N18")
        ),
        GuidelineSection(CM, "I.C.19.a", "Application of 7th Characters", "Text.", "Chapter 19", ("chapter:19",)),
    ]
    parsed = Parsed(
        records=records,
        guidelines=guidelines,
        releases=[SourceRelease(CM, "FY2026", "2025-10-01"), SourceRelease(ICD9, "2018 GEMs", "2017-10-01")],
    )
    folder: Path = tmp_path_factory.mktemp("history") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    return CodeIndex(folder)


def _descriptor(index: CodeIndex, code_set: CodeSet, code: str) -> str:
    detail = index.detail(code_set, code)
    assert detail is not None
    return descriptor_html(index, detail, LIGHT)


def test_history_and_icd9_sources_on_an_icd10_code(index: CodeIndex) -> None:
    html = _descriptor(index, CM, "E11.22")
    assert "New in FY2017 (effective 2016-10-01), replaced" in html and "E11.29</a>" in html
    assert "Effective" in html
    assert "ICD-9-CM codes that map to E11.22" in html
    assert "250.40</a>" in html and "combination: scenario 1, choice list 1" in html
    assert "ICD-9-CM (retired)" in html


def test_deleted_code_says_when_and_what_replaces_it_escaped(index: CodeIndex) -> None:
    html = _descriptor(index, CM, "E11.8")
    assert "Use instead:" in html and "Deleted in FY2026 (effective 2025-10-01); replaced by" in html
    assert "&lt;with&gt;" in html and "<with>" not in html


def test_icd9_code_lists_its_targets_and_is_called_retired(index: CodeIndex) -> None:
    html = _descriptor(index, ICD9, "250.40")
    assert "ICD-9-CM (retired)" in html and "Retired in FY2016" in html
    assert "Maps to ICD-10-CM" in html and "E11.22</a>" in html
    assert "Type 2 diabetes mellitus with diabetic chronic kidney disease" in html  # the target's title
    assert "no map: no ICD-10-CM equivalent" in html


def test_guidelines_reach_sections_citing_the_codes_notes(index: CodeIndex) -> None:
    detail = index.detail(CM, "E11.22")
    assert detail is not None
    html = guidelines_html(index, detail, LIGHT)
    assert "I.C.4.a" in html and "I.C.14.a.1" in html  # via its category and its 'use additional code N18'
    chapter, cited = html.split("Other sections that name this code")
    assert "I.C.4.a" in chapter and "I.C.14.a.1" in cited  # the chapter's own sections first
    assert "I.C.19.a" not in html

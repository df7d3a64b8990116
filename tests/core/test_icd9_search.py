"""Typing a retired ICD-9-CM code: the code, labelled retired, and the ICD-10-CM codes the GEMs map it to."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import (
    CodeRecord,
    CodeSet,
    CrosswalkEntry,
    HistoryEvent,
    Kind,
    SearchFilters,
    SourceRelease,
)
from desktop.core.search.engine import SearchEngine
from desktop.core.search.icd9 import looks_like_icd9
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.writer import write_index

CM, ICD9 = CodeSet.ICD10CM, CodeSet.ICD9CM
NO_FILTERS = SearchFilters()


def _records() -> list[CodeRecord]:
    return [
        CodeRecord(CM, "E11", "Type 2 diabetes mellitus", Kind.CATEGORY, order=1),
        CodeRecord(CM, "E11.9", "Type 2 diabetes mellitus without complications", Kind.CODE, "E11", True, order=2),
        CodeRecord(CM, "I50.9", "Heart failure, unspecified", Kind.CODE, billable=True, order=3),
        CodeRecord(CM, "I50.814", "Right heart failure due to left heart failure", Kind.CODE, billable=True, order=4),
        CodeRecord(
            ICD9,
            "250.00",
            "Retired ICD-9-CM code; maps to E11.9",
            Kind.CODE,
            terminated=True,
            crosswalk=(CrosswalkEntry("E11.9", approximate=True),),
            history=(HistoryEvent("deleted", "FY2016", "2015-10-01", ("E11.9",)),),
            order=1,
        ),
        CodeRecord(
            ICD9,
            "428.0",
            "Retired ICD-9-CM code; maps to I50.814, I50.9",
            Kind.CODE,
            terminated=True,
            crosswalk=(CrosswalkEntry("I50.814", approximate=True), CrosswalkEntry("I50.9", approximate=True)),
            order=2,
        ),
        # a CPT-shaped number of a user's import (synthetic descriptor): never confused with ICD-9 250.00
        CodeRecord(CodeSet.CPT, "25000", "Synthetic CPT procedure for tests", Kind.CODE, billable=True, order=1),
    ]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    parsed = Parsed(
        records=_records(),
        releases=[SourceRelease(CM, "FY2026", "2025-10-01"), SourceRelease(ICD9, "2018 GEMs", "2017-10-01")],
    )
    folder: Path = tmp_path_factory.mktemp("icd9") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    found = SearchEngine(folder, warm_up=False)
    found.strict = True
    return found


def _shown(engine: SearchEngine, text: str, filters: SearchFilters = NO_FILTERS) -> list[tuple[str, str, str]]:
    return [(str(h.code_set), h.code, h.matched_field) for h in engine.search(text, filters).hits]


def test_dotted_icd9_code_shows_it_then_its_icd10_targets(engine: SearchEngine) -> None:
    assert _shown(engine, "250.00")[:2] == [("ICD-9-CM", "250.00", "code"), ("ICD-10-CM", "E11.9", "crosswalk")]
    hits = engine.search("428.0").hits
    assert [h.code for h in hits[:3]] == ["428.0", "I50.814", "I50.9"]
    assert hits[1].matched_text == "ICD-9-CM 428.0 maps here (approximate)"
    assert hits[0].terminated  # retired: the list marks it so


def test_undotted_form_keeps_the_cpt_code_first_and_labels_both(engine: SearchEngine) -> None:
    shown = _shown(engine, "25000")
    assert shown[0] == ("CPT", "25000", "code")
    assert ("ICD-9-CM", "250.00", "code") in shown and ("ICD-10-CM", "E11.9", "crosswalk") in shown


def test_icd10_input_is_not_taken_for_icd9(engine: SearchEngine) -> None:
    assert _shown(engine, "E11.9")[0] == ("ICD-10-CM", "E11.9", "code")
    assert all(code_set != "ICD-9-CM" for code_set, _, _ in _shown(engine, "E11.9"))
    assert not looks_like_icd9("E11.9") and looks_like_icd9("E849.0") and looks_like_icd9("V58.89")


def test_code_set_filter_is_respected(engine: SearchEngine) -> None:
    only_cm = SearchFilters(code_sets=frozenset({CM}))
    assert _shown(engine, "250.00", only_cm)[0] == ("ICD-10-CM", "E11.9", "crosswalk")

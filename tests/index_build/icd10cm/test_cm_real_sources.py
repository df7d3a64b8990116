"""The parsers on the real files: the packaged April 1, 2026 tabular and the official index files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.core.codes import code_key
from desktop.core.records import CodeRecord, IndexTerm, Kind, NoteKind
from index_build.sources import icd10cm
from index_build.sources.base import Parsed
from index_build.sources.icd10cm.index_xml import parse_index

from .conftest import detect_file

CDC_BILLABLE_FY2026 = 74_719


@pytest.fixture(scope="module")
def packaged() -> tuple[Parsed, float]:
    """Build once from the tabular shipped in simple-icd-10-cm (always installed), timed."""
    started = time.perf_counter()
    parsed = icd10cm.build([icd10cm.packaged_tabular()], lambda line: None)
    return parsed, time.perf_counter() - started


@pytest.fixture(scope="module")
def by_code(packaged: tuple[Parsed, float]) -> dict[str, CodeRecord]:
    return {record.code: record for record in packaged[0].records}


@pytest.fixture(scope="module")
def index_terms(real_sources: Path) -> list[IndexTerm]:
    """The index terms of every ICD-10-CM index-family file in the sources folder."""
    files = sorted((real_sources / "icd10cm").rglob("*.xml"))
    assert len(files) >= 3
    return [term for path in files for term in parse_index(detect_file(path)).terms]


def _code_list_leaves() -> set[str]:
    """Billable codes of simple-icd-10-cm's independent code list: entries nothing else extends."""
    text = (icd10cm.packaged_tabular().path.parent / "code-list-April-2026.txt").read_text()
    entries = [line.strip() for line in text.splitlines() if line.strip()]
    codes = [e for e in entries if not e.isdigit() and "-" not in e]  # chapters are numbers, blocks ranges
    return {code for code, following in zip(codes, [*codes[1:], ""], strict=True) if not following.startswith(code)}


def test_packaged_tabular_is_the_april_2026_release() -> None:
    source = icd10cm.packaged_tabular()
    assert source.path.name == "icd10c-tabular-April-1-2026.xml"
    assert (source.release, source.effective) == ("FY2026 (April 1, 2026 update)", "2026-04-01")


def test_billable_count_matches_cdc(packaged: tuple[Parsed, float]) -> None:
    parsed, _ = packaged
    assert parsed.counts["billable codes"] == CDC_BILLABLE_FY2026
    assert sum(record.billable for record in parsed.records) == CDC_BILLABLE_FY2026
    assert (parsed.counts["chapters"], parsed.counts["sections"]) == (22, 297)


def test_billable_codes_match_the_independent_code_list(packaged: tuple[Parsed, float]) -> None:
    ours = {code_key(record.code) for record in packaged[0].records if record.billable}
    theirs = _code_list_leaves()
    assert sorted(ours - theirs) == []
    assert sorted(theirs - ours) == []


def test_e11_9_with_inherited_notes(by_code: dict[str, CodeRecord]) -> None:
    code = by_code["E11.9"]
    assert (code.billable, code.title) == (True, "Type 2 diabetes mellitus without complications")
    chain = []
    record: CodeRecord | None = code
    while record is not None:
        chain.append(record.code)
        record = by_code.get(record.parent) if record.parent else None
    assert chain == ["E11.9", "E11", "E08-E13", "4"]
    notes = [note for level in chain for note in by_code[level].notes]
    kinds = {(note.source_code, note.source_kind, note.kind) for note in notes}
    assert ("E11.9", Kind.CODE, NoteKind.EXCLUDES1) in kinds
    assert ("E11", Kind.CATEGORY, NoteKind.INCLUDES) in kinds
    assert ("E11", Kind.CATEGORY, NoteKind.EXCLUDES1) in kinds
    assert ("E11", Kind.CATEGORY, NoteKind.USE_ADDITIONAL_CODE) in kinds
    assert ("4", Kind.CHAPTER, NoteKind.NOTES) in kinds
    type1 = next(n for n in by_code["E11"].notes if n.text.startswith("type 1 diabetes mellitus"))
    assert [(ref.text, ref.start) for ref in type1.refs] == [("E10.-", "E10")]


def test_seventh_character_codes(by_code: dict[str, CodeRecord]) -> None:
    assert by_code["S72.001A"].billable
    assert by_code["S72.001A"].parent == "S72.001"
    assert by_code["S72.001A"].title == (
        "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"
    )
    base = by_code["S72.001"]
    assert (base.billable, base.kind) == (False, Kind.SUBCATEGORY)
    assert len(base.seventh_chars) == 16
    assert by_code["S06.0X0A"].parent == "S06.0X0"
    assert by_code["W08.XXXA"].parent == "W08"
    assert "S06.0X8D" not in by_code and "S06.1X8A" in by_code  # the stated S06 exception


def test_aspirin_leads_to_t39_01(index_terms: list[IndexTerm], by_code: dict[str, CodeRecord]) -> None:
    codes = {
        term.code
        for term in index_terms
        if term.source == "drug" and term.path[0].startswith("Aspirin") and len(term.path) == 1
    }
    assert codes == {"T39.011", "T39.012", "T39.013", "T39.014", "T39.015", "T39.016"}
    assert all(code in by_code for code in codes)
    assert by_code["T39.011A"].title == "Poisoning by aspirin, accidental (unintentional), initial encounter"


def test_neoplasm_of_lung_leads_to_its_codes(index_terms: list[IndexTerm], by_code: dict[str, CodeRecord]) -> None:
    lung = {
        term.column: term.code
        for term in index_terms
        if term.source == "neoplasm" and term.path == ("Neoplasm, neoplastic", "lung")
    }
    assert lung == {
        "Malignant Primary": "C34.9-",
        "Malignant Secondary": "C78.0-",
        "Ca in situ": "D02.2-",
        "Benign": "D14.3-",
        "Uncertain Behavior": "D38.1",
        "Unspecified Behavior": "D49.1",
    }
    for code in lung.values():
        assert code.rstrip("-") in by_code


def test_every_index_code_is_in_the_tabular(index_terms: list[IndexTerm], by_code: dict[str, CodeRecord]) -> None:
    keys = {code_key(code) for code in by_code}
    missing = {term.code for term in index_terms if term.code and code_key(term.code) not in keys}
    assert missing == set()
    assert {term.source for term in index_terms} == {"drug", "neoplasm", "external"}

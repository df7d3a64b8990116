"""The alphabetic index parser and the check of its stubs against the tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import CodeSet, IndexTerm
from index_build.sources.base import Parsed, SourceError, SourceFile
from index_build.sources.icd10pcs.alpha_index import parse_index
from index_build.sources.icd10pcs.stubs import check_stubs


def _source(path: Path) -> SourceFile:
    return SourceFile(path, "icd10pcs-index", CodeSet.ICD10PCS, "FY2025", "2024-10-01")


@pytest.fixture(scope="module")
def terms(pcs_fixtures: Path) -> list[IndexTerm]:
    return parse_index(_source(pcs_fixtures / "icd10pcs_index_2025.xml")).terms


def _by_path(terms: list[IndexTerm], *path: str) -> list[tuple[str, str]]:
    return [(term.code, term.see) for term in terms if term.path == path]


def test_see_with_codes_leads_to_the_codes(terms: list[IndexTerm]) -> None:
    assert _by_path(terms, "Appendectomy") == [("0DBJ", "Excision, Appendix"), ("0DTJ", "Resection, Appendix")]
    assert all(term.code_set is CodeSet.ICD10PCS and term.source == "pcs" for term in terms)


def test_codes_stubs_and_tables_with_their_paths(terms: list[IndexTerm]) -> None:
    assert _by_path(terms, "Drainage", "Appendix") == [("0D9J", "")]
    assert _by_path(terms, "Drainage", "Appendix", "Diagnostic") == [("0D9J0ZX", "")]
    assert _by_path(terms, "Drainage", "Kidney", "Right") == [("0T9000Z", "")]
    assert _by_path(terms, "Drainage", "Kidney") == []  # a heading only
    assert _by_path(terms, "Fluoroscopy", "Esophagus") == [("BD1", "")]
    assert terms[0].text == "Ablation"


def test_cross_references_and_use_terms_have_no_code(terms: list[IndexTerm]) -> None:
    assert _by_path(terms, "Ablation") == [("", "Destruction")]
    assert _by_path(terms, "Appendiceal orifice") == [("", "Use: Appendix")]
    assert _by_path(terms, "Drain tube") == [("", "Use: Drainage Device in 0D9")]


def test_stub_check_reports_missing_and_partial_stubs(terms: list[IndexTerm]) -> None:
    codes = {"0D9J0ZX", "0D9600Z", "0DTJ4ZZ", "0T9000Z", "BD110ZZ"}
    report = check_stubs(terms, codes, {"0D9J", "0DTJ", "0D96", "0T90", "BD11"})
    assert report.unresolved == {"0DBJ": 1, "0DTQ": 1}
    assert report.partial == {"0D960"}
    lines = report.warnings("FY2025", "FY2026")
    assert lines[0].startswith("the ICD-10-PCS index is FY2025 but the tables are FY2026")
    assert lines[1] == "2 of 8 distinct index code references (2 index terms) are not in the FY2026 tables"
    assert lines[2] == "index references missing from the tables: 0DBJ, 0DTQ"
    assert "0D960" in lines[3]


def test_fixture_build_reports_unresolved_stubs(fixture_build: tuple[Parsed, list[str]]) -> None:
    parsed, _ = fixture_build
    assert parsed.counts["index terms"] == 11
    assert parsed.counts["unresolved index stubs"] == 2
    assert "index references missing from the tables: 0DBJ, 0DTQ" in parsed.warnings
    body_parts = {record.code for record in parsed.records if len(record.code) == 4}
    stubs = {term.code for term in parsed.index_terms if len(term.code) == 4}
    assert stubs - body_parts == {"0DBJ", "0DTQ"}  # every other 4-character stub has its record


def test_malformed_index(tmp_path: Path) -> None:
    path = tmp_path / "icd10pcs_index_2025.xml"
    path.write_text(
        "<ICD10PCS.index>\n<letter><mainTerm><title>X</title><codes>0D T</codes></mainTerm></letter>\n</ICD10PCS.index>"
    )
    with pytest.raises(SourceError) as caught:
        parse_index(_source(path))
    assert caught.value.element == "codes" and "index term 'X'" in str(caught.value)
    path.write_text("<ICD10PCS.index>\n<letter><mainTerm><code>0DTJ4ZZ</code></mainTerm></letter>\n</ICD10PCS.index>")
    with pytest.raises(SourceError, match="<mainTerm> without a <title>"):
        parse_index(_source(path))
    path.write_text("<ICD10PCS.index>\n<letter>\n</ICD10PCS.index>")
    with pytest.raises(SourceError) as caught:
        parse_index(_source(path))
    assert caught.value.line == 3

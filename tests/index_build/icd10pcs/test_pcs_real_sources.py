"""The ICD-10-PCS build on the official files (CODEATLAS_SOURCES): counts and known content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, Kind, PcsAxis
from index_build.sources import icd10pcs
from index_build.sources.base import Parsed, SourceFile


@pytest.fixture(scope="module")
def real_build(real_sources: Path, pcs_detect: Callable[[Path], list[SourceFile]]) -> Parsed:
    return icd10pcs.build(pcs_detect(real_sources), lambda line: None)


@pytest.fixture(scope="module")
def records(real_build: Parsed) -> dict[str, CodeRecord]:
    return {record.code: record for record in real_build.records}


def test_fy2026_tables_give_every_valid_code(real_build: Parsed) -> None:
    assert real_build.counts["codes"] == 79_115
    assert real_build.counts["tables"] == 914
    valid = [record for record in real_build.records if record.kind is Kind.CODE and not record.terminated]
    assert len(valid) == 79_115
    # the 39 codes of the FY2025 tables gone from FY2026 are kept as terminated records
    assert sum(1 for record in real_build.records if record.terminated) == 39
    assert real_build.releases[0].release == "FY2026 (index FY2025)"
    assert real_build.releases[0].effective == "2025-10-01"


def test_laparoscopic_appendectomy(records: dict[str, CodeRecord]) -> None:
    code = records["0DTJ4ZZ"]
    assert code.title == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert [(axis.name, axis.value, axis.label) for axis in code.axes] == [
        ("Section", "0", "Medical and Surgical"),
        ("Body System", "D", "Gastrointestinal System"),
        ("Operation", "T", "Resection"),
        ("Body Part", "J", "Appendix"),
        ("Approach", "4", "Percutaneous Endoscopic"),
        ("Device", "Z", "No Device"),
        ("Qualifier", "Z", "No Qualifier"),
    ]
    assert code.parent == "0DTJ" and records["0DTJ"].title == "Resection of Appendix"
    assert "Vermiform appendix" in records["0DTJ"].search_terms
    assert records["0DT"].rows and records["0DT"].notes[0].text.startswith("Resection: Cutting out or off")
    assert records["0DT"].axes[2] == PcsAxis(3, "Operation", "T", "Resection")


def test_appendectomy_leads_to_resection_and_excision(real_build: Parsed) -> None:
    codes = {term.code for term in real_build.index_terms if term.path == ("Appendectomy",)}
    assert codes == {"0DTJ", "0DBJ"}


def test_index_stubs_have_records_or_are_reported(real_build: Parsed, records: dict[str, CodeRecord]) -> None:
    four = {term.code for term in real_build.index_terms if len(term.code) == 4}
    missing = four - set(records)
    assert len(four) > 9_000 and missing == {"0SG6"}  # 0SG6: a FY2025 stub the FY2026 tables dropped
    assert real_build.counts["unresolved index stubs"] == 7
    prefix = "index references missing from the tables"
    listed = [line for line in real_build.warnings if line.startswith(prefix)]
    assert listed and "0SG6" in listed[0] and "XXE5XN6" in listed[0]


def test_guidelines_for_resection(real_build: Parsed) -> None:
    resection = {section.number for section in real_build.guidelines if "operation:Resection" in section.applies_to}
    assert {"B3.8", "B3.4b", "B3.18"} <= resection
    by_number = {section.number: section for section in real_build.guidelines}
    assert by_number["B3.8"].title == "Excision vs Resection"
    assert by_number["B3.8"].applies_to == ("operation:Excision", "operation:Resection")
    assert by_number["A1"].applies_to == ("all",)
    assert by_number["B5.4"].applies_to == ("approach:Percutaneous",)
    assert by_number["B6.2"].applies_to[0] == "device:Drainage Device"
    assert by_number["C1"].applies_to == ("section:Obstetrics",)
    assert real_build.counts["guideline sections"] == 60


def test_definitions_and_aggregates(real_build: Parsed) -> None:
    resection = [d for d in real_build.definitions if d.titles == ("Resection",) and d.section == "0"]
    assert resection[0].definition == "Cutting out or off, without replacement, all of a body part"
    assert real_build.counts["definitions"] == 954 and len(real_build.aggregates) == 60

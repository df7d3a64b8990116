"""The definitions parser: axis definitions, the Body Part / Device keys, device aggregation."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import CodeSet, PcsDefinition, PcsDeviceAggregate
from index_build.sources.base import Parsed, SourceError, SourceFile
from index_build.sources.icd10pcs.definitions import parse_definitions


def _source(path: Path) -> SourceFile:
    return SourceFile(path, "icd10pcs-definitions", CodeSet.ICD10PCS, "FY2026", "2025-10-01")


def test_definitions_of_every_axis(pcs_fixtures: Path) -> None:
    parsed = parse_definitions(_source(pcs_fixtures / "icd10pcs_definitions_2026.xml"))
    by_title = {entry.titles: entry for entry in parsed.definitions}
    assert by_title[("Resection",)] == PcsDefinition(
        section="0",
        position=3,
        axis_name="Operation",
        titles=("Resection",),
        definition="Cutting out or off, without replacement, all of a body part",
        explanation="None",
        includes=("Total nephrectomy, total lobectomy of lung",),
    )
    approach = by_title[("Percutaneous Endoscopic",)]
    assert (approach.position, approach.axis_name) == (5, "Approach")
    # The file wraps this definition over two lines: the parser joins them with one space.
    assert "through the skin or mucous membrane to reach" in approach.definition
    assert by_title[("Kidney, Left", "Kidney, Right")].includes == ("Renal calyx", "Renal capsule")
    assert by_title[("Drainage Device",)].includes == ("Cystostomy tube", "Foley catheter")
    assert parsed.aggregates == [
        PcsDeviceAggregate(
            device="Autologous Venous Tissue",
            operation="All applicable",
            body_systems=("Heart and Great Vessels", "Upper Veins"),
            parent_value="7",
            parent_label="Autologous Tissue Substitute",
        )
    ]
    assert parsed.body_part_terms() == {
        "Appendix": ("Appendiceal orifice", "Vermiform appendix"),
        "Kidney, Left": ("Renal calyx", "Renal capsule"),
        "Kidney, Right": ("Renal calyx", "Renal capsule"),
    }


def test_build_attaches_key_terms_to_body_parts(fixture_build: tuple[Parsed, list[str]]) -> None:
    parsed, _ = fixture_build
    records = {record.code: record for record in parsed.records}
    assert records["0DTJ"].search_terms == ("Appendiceal orifice", "Vermiform appendix")
    assert records["0T90"].search_terms == ("Renal calyx", "Renal capsule")
    assert records["0DTJ4ZZ"].search_terms == ()  # codes inherit nothing: kept to body parts
    assert len(parsed.definitions) == 5 and len(parsed.aggregates) == 1


def test_terms_without_title_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "defs.xml"
    path.write_text(
        '<ICD10PCS.definitions><section code="0"><axis pos="3"><terms><definition>x</definition>'
        "</terms></axis></section></ICD10PCS.definitions>"
    )
    with pytest.raises(SourceError) as caught:
        parse_definitions(_source(path))
    assert caught.value.element == "terms"

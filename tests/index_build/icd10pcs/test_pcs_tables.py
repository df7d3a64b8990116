"""The tables parser and the record hierarchy it yields, on the fixture tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, Kind, NoteKind, PcsAxis
from index_build.sources.base import Parsed, SourceError, SourceFile
from index_build.sources.icd10pcs.records import build_records
from index_build.sources.icd10pcs.tables import parse_tables


def _source(path: Path) -> SourceFile:
    return SourceFile(path, "icd10pcs-tables", CodeSet.ICD10PCS, "FY2026", "2025-10-01")


@pytest.fixture(scope="module")
def records(pcs_fixtures: Path) -> dict[str, CodeRecord]:
    built = build_records(
        parse_tables(_source(pcs_fixtures / "icd10pcs_tables_2026.xml")), {"Appendix": ("Vermiform appendix",)}
    )
    return {record.code: record for record in built.records}


def test_a_table_split_across_blocks_is_merged(pcs_fixtures: Path) -> None:
    tables = parse_tables(_source(pcs_fixtures / "icd10pcs_tables_2026.xml"))
    assert tables.blocks == 6 and len(tables.tables) == 5
    resection = tables.tables["0DT"]
    assert [row[0].values for row in resection.rows] == [(("J", "Appendix"),), (("6", "Stomach"),)]
    assert resection.declared_codes == 4
    assert tables.warnings == []


def test_every_code_of_the_cartesian_product_and_nothing_else(records: dict[str, CodeRecord]) -> None:
    codes = sorted(code for code, record in records.items() if record.kind is Kind.CODE)
    assert len(codes) == 20
    expected = {"0D9J0ZX", "0D960ZZ", "0D9J40Z", "0DT60ZZ", "0DTJ4ZZ", "021008W", "0T9000Z", "BD110ZZ"}
    assert expected <= set(codes)
    assert "0D9J4ZX" in codes and "0D9J40X" not in codes  # Diagnostic only with No Device
    assert all(records[code].billable for code in codes)


def test_hierarchy_kinds_parents_and_order(records: dict[str, CodeRecord]) -> None:
    chain = ["0", "0D", "0DT", "0DTJ", "0DTJ4ZZ"]
    kinds = [Kind.PCS_SECTION, Kind.PCS_BODY_SYSTEM, Kind.PCS_TABLE, Kind.PCS_BODY_PART, Kind.CODE]
    assert [records[code].kind for code in chain] == kinds
    assert [records[code].parent for code in chain] == ["", "0", "0D", "0DT", "0DTJ"]
    ordered = sorted(records.values(), key=lambda record: record.order)
    assert [record.code for record in ordered] == sorted(records)
    assert [record.order for record in ordered] == list(range(len(records)))
    assert not any(record.billable for record in records.values() if record.kind is not Kind.CODE)


def test_titles_of_the_levels(records: dict[str, CodeRecord]) -> None:
    assert records["0"].title == "Medical and Surgical"
    assert records["0D"].title == "Gastrointestinal System"
    assert records["0DT"].title == "Gastrointestinal System, Resection"
    assert records["0DTJ"].title == "Resection of Appendix"
    assert records["BD"].title == "Imaging, Gastrointestinal System"
    assert records["0DTJ4ZZ"].title == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert records["0DTJ4ZZ"].short_title == "Resection, Appendix, Percutaneous Endoscopic"
    assert records["0D9J0ZX"].title == "Drainage of Appendix, Open Approach, Diagnostic"
    assert records["0T9000Z"].title == "Drainage of Right Kidney with Drainage Device, Open Approach"
    bypass = "Bypass Coronary Artery, One Artery from Aorta with Zooplastic Tissue, Open Approach"
    assert records["021008W"].title == bypass
    assert records["BD11YZZ"].title == "Fluoroscopy of Esophagus using Other Contrast"
    assert records["BD110ZZ"].title == "Fluoroscopy of Esophagus using High Osmolar Contrast"


def test_code_axes_carry_the_file_names_values_and_labels(records: dict[str, CodeRecord]) -> None:
    assert records["0DTJ4ZZ"].axes == (
        PcsAxis(1, "Section", "0", "Medical and Surgical"),
        PcsAxis(2, "Body System", "D", "Gastrointestinal System"),
        PcsAxis(3, "Operation", "T", "Resection"),
        PcsAxis(4, "Body Part", "J", "Appendix"),
        PcsAxis(5, "Approach", "4", "Percutaneous Endoscopic"),
        PcsAxis(6, "Device", "Z", "No Device"),
        PcsAxis(7, "Qualifier", "Z", "No Qualifier"),
    )
    names = [axis.name for axis in records["BD110ZZ"].axes[2:]]
    assert names == ["Type", "Body Part", "Contrast", "Qualifier", "Qualifier"]


def test_table_rows_definition_and_body_part_key_terms(records: dict[str, CodeRecord]) -> None:
    table = records["0DT"]
    assert len(table.rows) == 2
    assert [axis.label for axis in table.rows[0].axes[1]] == ["Open", "Percutaneous Endoscopic"]
    assert [axis.position for axis in table.rows[1].axes[0]] == [4]
    assert table.notes[0].kind is NoteKind.NOTES
    assert table.notes[0].text == "Resection: Cutting out or off, without replacement, all of a body part"
    assert table.notes[0].source_kind is Kind.PCS_TABLE
    assert records["0DTJ"].search_terms == ("Vermiform appendix",)
    assert records["0D9J"].search_terms == ("Vermiform appendix",)
    assert records["0DT6"].search_terms == ()
    assert records["BD1"].notes == ()  # Imaging types carry no definition


def test_declared_counts_that_disagree_are_reported(tmp_path: Path, pcs_fixtures: Path) -> None:
    text = (pcs_fixtures / "icd10pcs_tables_2026.xml").read_text().replace('codes="8"', 'codes="9"')
    path = tmp_path / "icd10pcs_tables_2026.xml"
    path.write_text(text)
    tables = parse_tables(_source(path))
    assert tables.warnings == ["table 0D9, pcsRow #2: codes=9 but its labels make 8 codes"]


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "icd10pcs_tables_2026.xml"
    path.write_text("<?xml version='1.0'?>\n<ICD10PCS.tabular>\n  <pcsTable>\n</ICD10PCS.tabular>\n")
    with pytest.raises(SourceError) as caught:
        parse_tables(_source(path))
    assert caught.value.file == "icd10pcs_tables_2026.xml" and caught.value.line == 4
    assert "line 4" in str(caught.value)


def test_unexpected_structure_names_the_element(tmp_path: Path, pcs_fixtures: Path) -> None:
    text = (pcs_fixtures / "icd10pcs_tables_2026.xml").read_text()
    aorta = '<axis pos="7" values="1"><title>Qualifier</title><label code="W">Aorta</label></axis>'
    broken = text.replace(aorta, "")
    path = tmp_path / "icd10pcs_tables_2026.xml"
    path.write_text(broken)
    with pytest.raises(SourceError) as caught:
        parse_tables(_source(path))
    assert caught.value.element == "pcsRow"
    assert "table 021, pcsRow #1: expected axes (4, 5, 6, 7), found 4, 5, 6" in str(caught.value)
    wrong_root = tmp_path / "wrong.xml"
    wrong_root.write_text("<ICD10PCS.index/>")
    with pytest.raises(SourceError, match=r"expected root <ICD10PCS\.tabular>"):
        parse_tables(_source(wrong_root))


def test_build_counts_for_the_fixture(fixture_build: tuple[Parsed, list[str]]) -> None:
    parsed, _ = fixture_build
    assert parsed.counts["codes"] == 20
    assert parsed.counts["tables"] == 5
    assert parsed.counts["rows"] == 7
    assert parsed.counts["body parts"] == 7

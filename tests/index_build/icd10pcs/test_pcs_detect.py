"""Recognising ICD-10-PCS files, loose or inside a zip, with their release and effective date."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.core.records import CodeSet
from index_build.sources import icd10pcs
from index_build.sources.base import SourceFile
from index_build.sources.fiscal import fiscal_release, release_from_text


def _detect(path: Path, member: str = "") -> SourceFile | None:
    if member:
        with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
            return icd10pcs.detect(path, member, handle.read(64 * 1024))
    return icd10pcs.detect(path, "", path.read_bytes()[: 64 * 1024])


def test_fixture_files_are_recognised_with_kind_and_release(fixture_sources: list[SourceFile]) -> None:
    found = {source.path.name: source for source in fixture_sources}
    expected = {
        "icd10pcs_tables_2026.xml": ("icd10pcs-tables", "FY2026", "2025-10-01"),
        "icd10pcs_tables_2025.xml": ("icd10pcs-tables", "FY2025", "2024-10-01"),
        "icd10pcs_definitions_2026.xml": ("icd10pcs-definitions", "FY2026", "2025-10-01"),
        "icd10pcs_index_2025.xml": ("icd10pcs-index", "FY2025", "2024-10-01"),
        "icd10pcs-guidelines-2025.json": ("icd10pcs-guidelines-json", "FY2025", "2024-10-01"),
    }
    assert {name: (s.kind, s.release, s.effective) for name, s in found.items()} == expected
    assert all(source.code_set is CodeSet.ICD10PCS for source in found.values())


def test_members_of_the_cms_zip_are_recognised(pcs_fixtures: Path, tmp_path: Path) -> None:
    archive_path = tmp_path / "2026-icd-10-pcs-code-tables-and-index.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(pcs_fixtures / "icd10pcs_tables_2026.xml", "icd10pcs_tables_2026.xml")
        archive.write(pcs_fixtures / "icd10pcs_index_2025.xml", "Zip File 2/icd10pcs_index_2025.xml")
        archive.writestr("icd10pcs_order_2026.txt", "00100 0016070 1 Bypass Cereb Vent to Nasophar\n")
    tables = _detect(archive_path, "icd10pcs_tables_2026.xml")
    index = _detect(archive_path, "Zip File 2/icd10pcs_index_2025.xml")
    assert tables is not None and index is not None
    assert (tables.kind, tables.release) == ("icd10pcs-tables", "FY2026")
    assert tables.member == "icd10pcs_tables_2026.xml"
    assert tables.name == "2026-icd-10-pcs-code-tables-and-index.zip!icd10pcs_tables_2026.xml"
    assert (index.kind, index.release) == ("icd10pcs-index", "FY2025")
    assert _detect(archive_path, "icd10pcs_order_2026.txt") is None
    assert b"<ICD10PCS.tabular>" in tables.read_bytes()


def test_other_files_are_not_ours(tmp_path: Path) -> None:
    cm = tmp_path / "icd10cm-eindex-April-1-2026-XML.xml"
    cm.write_text('<?xml version="1.0"?>\n<ICD10CM.index><version>2026</version></ICD10CM.index>')
    other_json = tmp_path / "other.json"
    other_json.write_text('{"code_set": "ICD-10-CM", "sections": []}')
    text = tmp_path / "notes.txt"
    text.write_text("ICD10PCS.tabular")
    assert [icd10pcs.detect(p, "", p.read_bytes()) for p in (cm, other_json, text)] == [None, None, None]


def test_release_labels() -> None:
    assert fiscal_release(2026) == ("FY2026", "2025-10-01")
    assert release_from_text("2026 ICD-10-PCS Tables") == ("FY2026", "2025-10-01")
    assert release_from_text("April 1, 2024 update") == ("FY2024 (April 1, 2024 update)", "2024-04-01")
    assert release_from_text("no year here") is None

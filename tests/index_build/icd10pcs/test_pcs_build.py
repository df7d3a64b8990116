"""build(): picking the newest release of each file, the release record and the summary."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.core.records import CodeSet, SourceRelease
from index_build.sources import icd10pcs
from index_build.sources.base import Parsed, SourceFile


def test_newest_tables_win_and_the_older_index_is_noted(fixture_build: tuple[Parsed, list[str]]) -> None:
    parsed, log_lines = fixture_build
    codes = {record.code: record for record in parsed.records}
    assert "0DTJ4ZZ" in codes and not codes["0DTJ4ZZ"].terminated
    # 0DTJ7ZZ exists only in the FY2025 tables: kept as a terminated record saying when it went
    gone = codes["0DTJ7ZZ"]
    assert gone.terminated and not gone.billable
    assert [(e.action, e.release, e.date) for e in gone.history] == [("deleted", "FY2026", "2025-10-01")]
    assert [source.path.name for source in parsed.files_used] == [
        "icd10pcs_definitions_2026.xml",
        "icd10pcs_tables_2026.xml",
        "icd10pcs_tables_2025.xml",
        "icd10pcs_index_2025.xml",
        "icd10pcs-guidelines-2025.json",
    ]
    assert parsed.releases == [
        SourceRelease(
            CodeSet.ICD10PCS,
            "FY2026 (index FY2025)",
            "2025-10-01",
            (
                "icd10pcs_definitions_2026.xml",
                "icd10pcs_tables_2026.xml",
                "icd10pcs_tables_2025.xml",
                "icd10pcs_index_2025.xml",
                "icd10pcs-guidelines-2025.json",
            ),
        )
    ]
    assert any("index is FY2025 but the tables are FY2026" in line for line in parsed.warnings)
    assert "  icd10pcs_tables_2026.xml: 20 codes in 5 tables (1 split across blocks, merged)" in log_lines
    assert set(parsed.counts) >= {
        "codes",
        "tables",
        "rows",
        "body parts",
        "definitions",
        "index terms",
        "unresolved index stubs",
        "guideline sections",
    }


def test_build_from_zip_members(pcs_fixtures: Path, tmp_path: Path) -> None:
    archive_path = tmp_path / "2026-icd-10-pcs-code-tables-and-index.zip"
    names = ["icd10pcs_tables_2026.xml", "icd10pcs_definitions_2026.xml", "icd10pcs_index_2025.xml"]
    with zipfile.ZipFile(archive_path, "w") as archive:
        for name in names:
            archive.write(pcs_fixtures / name, name)
    sources: list[SourceFile] = []
    with zipfile.ZipFile(archive_path) as archive:
        for name in names:
            with archive.open(name) as handle:
                found = icd10pcs.detect(archive_path, name, handle.read(65536))
            assert found is not None
            sources.append(found)
    parsed = icd10pcs.build(sources, lambda line: None)
    assert parsed.counts["codes"] == 20 and parsed.counts["index terms"] == 11
    zip_name = "2026-icd-10-pcs-code-tables-and-index.zip"
    assert parsed.releases[0].files[0] == f"{zip_name}!icd10pcs_definitions_2026.xml"


def test_without_tables_nothing_breaks(fixture_sources: list[SourceFile]) -> None:
    only_index = [source for source in fixture_sources if source.kind == "icd10pcs-index"]
    parsed = icd10pcs.build(only_index, lambda line: None)
    assert parsed.records == [] and parsed.releases == []
    assert parsed.counts["index terms"] == 11
    assert parsed.warnings == ["no ICD-10-PCS tables file found: no PCS codes in this index"]

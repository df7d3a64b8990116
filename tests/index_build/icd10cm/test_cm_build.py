"""build(): choosing the newest files, combining the parsers, counts and releases."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.records import CodeSet, SourceRelease
from index_build.sources import icd10cm
from index_build.sources.base import Parsed, SourceError, SourceFile

from .conftest import detect_file
from .test_cm_guidelines import write_guidelines_pdf

TABULAR = "icd10cm-tabular-April-1-2026-mini.xml"
INDEXES = [
    "icd10cm-drug-April-1-2026-XML.xml",
    "icd10cm-neoplasm-April-1-2026-XML.xml",
    "icd10cm-eindex-April-1-2026-XML.xml",
    "icd10cm_index_2026.xml",
]


def _copy(cm_dir: Path, name: str, folder: Path, new_name: str) -> SourceFile:
    folder.mkdir(parents=True, exist_ok=True)
    return detect_file(Path(shutil.copy(cm_dir / name, folder / new_name)))


@pytest.fixture(scope="module")
def built(cm_source: Callable[[str], SourceFile], tmp_path_factory: pytest.TempPathFactory) -> tuple[Parsed, list[str]]:
    pdf = write_guidelines_pdf(tmp_path_factory.mktemp("pdf") / "fy-2026-icd-10-cm-coding-guidelines.pdf")
    sources = [cm_source(TABULAR), *(cm_source(name) for name in INDEXES), detect_file(pdf)]
    lines: list[str] = []
    return icd10cm.build(sources, lines.append), lines


def test_counts(built: tuple[Parsed, list[str]]) -> None:
    parsed, _ = built
    assert {
        key: parsed.counts[key] for key in ("chapters", "sections", "categories", "subcategories", "billable codes")
    } == {"chapters": 3, "sections": 8, "categories": 6, "subcategories": 16, "billable codes": 26}
    assert parsed.counts["notes: excludes1"] == 3
    assert parsed.counts["notes: inclusionTerm"] == 1
    assert parsed.counts["index terms: drug"] == 17
    assert parsed.counts["index terms: neoplasm"] == 19
    assert parsed.counts["index terms: external"] == 6
    assert parsed.counts["index terms: alphabetic"] == 7
    assert parsed.counts["guideline sections"] == 25
    assert len(parsed.guidelines) == 25


def test_release_and_files(built: tuple[Parsed, list[str]]) -> None:
    parsed, log_lines = built
    (release,) = parsed.releases
    assert release == SourceRelease(
        CodeSet.ICD10CM,
        "FY2026 (April 1, 2026 update)",
        "2026-04-01",
        tuple(source.name for source in parsed.files_used),
    )
    assert len(parsed.files_used) == 6
    assert log_lines[0] == f"{TABULAR}: 59 records, 26 billable codes (FY2026 (April 1, 2026 update))"
    assert len(log_lines) == 6


def test_release_mismatch_and_unknown_codes_are_warnings(built: tuple[Parsed, list[str]]) -> None:
    parsed, _ = built
    assert "icd10cm_index_2026.xml is FY2026, the tabular FY2026 (April 1, 2026 update)" in parsed.warnings
    unknown = [w for w in parsed.warnings if w.startswith("icd10cm-drug-April-1-2026-XML.xml:")]
    assert unknown == [
        "icd10cm-drug-April-1-2026-XML.xml: 8 codes not in the tabular, e.g. "
        "T39.012, T39.013, T39.014, T39.016, T60.3X1"
    ]


def test_newest_tabular_wins(cm_dir: Path, tmp_path: Path) -> None:
    older = _copy(cm_dir, TABULAR, tmp_path, "icd10cm_tabular_2025.xml")
    newer = _copy(cm_dir, TABULAR, tmp_path, "icd10cm-tabular-April-1-2026-XML.xml")
    parsed = icd10cm.build([newer, older], lambda line: None)
    assert parsed.files_used == [newer]
    assert parsed.releases[0].release == "FY2026 (April 1, 2026 update)"


def test_user_copy_beats_packaged_copy_of_the_same_release(cm_dir: Path, tmp_path: Path) -> None:
    packaged = _copy(cm_dir, TABULAR, tmp_path / "site-packages" / "simple_icd_10_cm" / "data", TABULAR)
    supplied = _copy(cm_dir, TABULAR, tmp_path / "user", TABULAR)
    assert icd10cm.build([packaged, supplied], lambda line: None).files_used == [supplied]
    assert icd10cm.build([supplied, packaged], lambda line: None).files_used == [supplied]


def test_newest_file_per_index(cm_dir: Path, cm_source: Callable[[str], SourceFile], tmp_path: Path) -> None:
    old_drugs = _copy(cm_dir, INDEXES[0], tmp_path, "icd10cm_drug_2025.xml")
    drugs = cm_source(INDEXES[0])
    parsed = icd10cm.build([cm_source(TABULAR), old_drugs, drugs], lambda line: None)
    assert parsed.files_used[1:] == [drugs]
    assert parsed.counts["index terms: drug"] == 17


def test_without_a_tabular_is_an_error(cm_source: Callable[[str], SourceFile]) -> None:
    with pytest.raises(SourceError, match="no tabular"):
        icd10cm.build([cm_source(INDEXES[0])], lambda line: None)


def test_detect_ignores_other_files(tmp_path: Path) -> None:
    pcs = tmp_path / "icd10pcs_tables_2026.xml"
    pcs.write_text("<?xml version='1.0'?>\n<ICD10PCS.tabular><version>2026</version></ICD10PCS.tabular>")
    text = tmp_path / "notes.txt"
    text.write_text("ICD10CM.tabular")
    for path in (pcs, text):
        assert icd10cm.detect(path, "", path.read_bytes()) is None


def test_detect_inside_a_zip(cm_dir: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "icd10cm-table-and-index-April-1-2026.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(cm_dir / TABULAR, "icd10cm-tabular-April-1-2026.xml")
    member = "icd10cm-tabular-April-1-2026.xml"
    with zipfile.ZipFile(archive) as zipped:
        head = zipped.read(member)[:65536]
    source = icd10cm.detect(archive, member, head)
    assert source is not None
    assert (source.kind, source.member, source.effective) == ("icd10cm-tabular", member, "2026-04-01")
    assert icd10cm.build([source], lambda line: None).counts["billable codes"] == 26

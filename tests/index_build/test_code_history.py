"""Order files, order addenda, the conversion table and the GEMs: titles, code history, ICD-9-CM records."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from desktop.core.records import CodeRecord, CodeSet, HistoryEvent
from index_build.build import discover
from index_build.sources import code_set_modules, icd10cm, icd10pcs
from index_build.sources.base import Parsed, SourceError, SourceFile
from index_build.sources.gems import icd9_display
from index_build.sources.icd10cm.guidelines import contents_numbers, split_sections

CONVERSION_ROWS = [
    ("E11.321", 2016, "E11.32"),
    ("E11.9", datetime(2023, 4, 1), "E11.8 and E11.69"),
    ("S06.0X7", 2018, "None"),
]


def _conversion(folder: Path) -> Path:
    """A conversion table in the official layout: a preamble row, the header, then one row per code."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ICD-10-CM-Conversion-Table-FY26"
    sheet.append(
        ["This FY 2026 (October 1, 2025 Update) Conversion Table includes the new ICD-10-CM codes", None, None]
    )
    sheet.append(["Current code assignment", "Effective", "Previous Code(s) Assignment"])
    for row in CONVERSION_ROWS:
        sheet.append(list(row))
    path = folder / "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def cm_build(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[CodeSet, str], CodeRecord]:
    folder = tmp_path_factory.mktemp("cm-history")
    _conversion(folder)
    roots = [
        fixtures_dir / "icd10cm" / "icd10cm-tabular-April-1-2026-mini.xml",
        fixtures_dir / "icd10cm" / "icd10cm_order_2026.txt",
        fixtures_dir / "icd10cm" / "icd10cm_order_addenda_2026.txt",
        fixtures_dir / "gems",
        folder,
    ]
    found, skipped = discover(roots, code_set_modules())
    assert skipped == []
    parsed = icd10cm.build(found, lambda line: None)
    return {(record.code_set, record.code): record for record in parsed.records}


def test_every_new_file_is_recognised_by_name_and_content(fixtures_dir: Path, tmp_path: Path) -> None:
    found, _ = discover([fixtures_dir / "icd10cm", fixtures_dir / "gems", _conversion(tmp_path)], code_set_modules())
    kinds = {source.path.name: source.kind for source in found}
    assert kinds["icd10cm_order_2026.txt"] == "icd10cm-order"
    assert kinds["icd10cm_order_addenda_2026.txt"] == "icd10cm-order-addenda"
    assert kinds["2018_I9gem.txt"] == "gem-icd9-to-icd10"
    assert kinds["2018_I10gem.txt"] == "gem-icd10-to-icd9"
    assert kinds["ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"] == "icd10cm-conversion-table"
    pcs, _ = discover([fixtures_dir / "icd10pcs_order"], code_set_modules())
    assert {(s.path.name, s.kind, s.code_set) for s in pcs} == {
        ("icd10pcs_order_2026.txt", "icd10pcs-order", CodeSet.ICD10PCS),
        ("order_addenda_2026.txt", "icd10pcs-order-addenda", CodeSet.ICD10PCS),
    }


def test_short_titles_come_from_the_order_file(cm_build: dict[tuple[CodeSet, str], CodeRecord]) -> None:
    record = cm_build[(CodeSet.ICD10CM, "E11.321")]
    assert record.short_title == "Type 2 diab with mild nonp rtnop with macular edema"
    assert cm_build[(CodeSet.ICD10CM, "E11.9")].short_title == ""  # same as the long title: not repeated


def test_conversion_table_gives_the_release_added_and_the_codes_replaced(
    cm_build: dict[tuple[CodeSet, str], CodeRecord],
) -> None:
    # 2016 in the table means October 1, 2016: fiscal year 2017
    assert cm_build[(CodeSet.ICD10CM, "E11.321")].history == (
        HistoryEvent("added", "FY2017", "2016-10-01", ("E11.32",)),
    )
    nine = cm_build[(CodeSet.ICD10CM, "E11.9")].history
    assert nine[0] == HistoryEvent("added", "FY2023 (April 1, 2023 update)", "2023-04-01", ("E11.8", "E11.69"))
    # the addenda's revise from / revise to pair: the title before is kept
    assert nine[1] == HistoryEvent(
        "revised", "FY2026", "2025-10-01", old_title="Type 2 diabetes mellitus, without complications"
    )
    assert cm_build[(CodeSet.ICD10CM, "S06.0X7")].history[0].codes == ()  # 'None': nothing replaced


def test_deleted_code_gets_a_terminated_record_with_its_replacement(
    cm_build: dict[tuple[CodeSet, str], CodeRecord],
) -> None:
    gone = cm_build[(CodeSet.ICD10CM, "E11.8")]
    assert gone.terminated and not gone.billable
    assert gone.title == "Type 2 diabetes mellitus with unspecified complications"
    assert gone.history[-1] == HistoryEvent("deleted", "FY2026", "2025-10-01", ("E11.9",))


def test_gems_give_icd9_records_and_the_icd9_sources_of_icd10_codes(
    cm_build: dict[tuple[CodeSet, str], CodeRecord],
) -> None:
    icd9 = cm_build[(CodeSet.ICD9CM, "250.00")]
    assert icd9.terminated and icd9.title == "Retired ICD-9-CM code; maps to E11.9"
    assert [(e.code, e.approximate) for e in icd9.crosswalk] == [("E11.9", True)]
    combination = cm_build[(CodeSet.ICD9CM, "250.50")].crosswalk
    assert [(e.code, e.combination, e.scenario, e.choice) for e in combination] == [
        ("E11.321", True, 1, 1),
        ("H35.00", True, 1, 2),
    ]
    assert cm_build[(CodeSet.ICD9CM, "799.9")].crosswalk[0].no_map
    # only in the backward map, and written in lower case there: still a record
    assert (CodeSet.ICD9CM, "V58.89") in cm_build
    sources = cm_build[(CodeSet.ICD10CM, "E11.9")].crosswalk
    assert [(e.code, e.approximate) for e in sources] == [("250.00", True)]  # in both maps: listed once
    # only the backward map (ICD-10 -> ICD-9) names 850.0 for S06.0X0A: listed too
    assert [e.code for e in cm_build[(CodeSet.ICD10CM, "S06.0X0A")].crosswalk] == ["850.0"]


def test_icd9_display_forms() -> None:
    assert [icd9_display(c) for c in ("25000", "4280", "042", "V010", "E8490")] == [
        "250.00",
        "428.0",
        "042",
        "V01.0",
        "E849.0",
    ]


def test_a_gem_line_out_of_layout_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "2018_I9gem.txt"
    path.write_text("25000 E119    10000\n25001 E109    10000\n4280 I509 1x000\n")
    source = icd10cm.detect(path, "", path.read_bytes())
    assert source is not None
    with pytest.raises(SourceError, match=r"2018_I9gem.txt, line 3"):
        icd10cm.build([icd10cm.packaged_tabular(), source], lambda line: None)


@pytest.fixture(scope="module")
def pcs_build(fixtures_dir: Path) -> Parsed:
    found, _ = discover([fixtures_dir / "icd10pcs", fixtures_dir / "icd10pcs_order"], code_set_modules())
    return icd10pcs.build([s for s in found if s.code_set is CodeSet.ICD10PCS], lambda line: None)


def test_pcs_titles_come_from_the_order_file_of_the_same_release(pcs_build: Parsed) -> None:
    by_code = {record.code: record for record in pcs_build.records}
    official = "Bypass Coronary Artery, One Artery from Aorta with Zooplastic Tissue, Open Approach, Official"
    assert by_code["021008W"].title == official
    assert by_code["021008W"].short_title == "Bypass 1 Cor Art from Aorta w Zooplastic, Open"
    assert pcs_build.counts["generated titles differing from the order file"] == 1


def test_pcs_history_compares_the_tables_of_each_release(pcs_build: Parsed) -> None:
    by_code = {record.code: record for record in pcs_build.records}
    gone = by_code["0DTJ7ZZ"]
    assert gone.terminated and gone.title == "Resection of Appendix, Via Natural or Artificial Opening (official)"
    assert gone.history == (HistoryEvent("deleted", "FY2026", "2025-10-01"),)
    added = [code for code, record in by_code.items() if any(e.action == "added" for e in record.history)]
    assert added and all(by_code[code].history[0] == HistoryEvent("added", "FY2026", "2025-10-01") for code in added)


PAGES = [
    "ICD-10-CM Official Guidelines for Coding and Reporting FY 2026\nPage 2 of 3\n"
    "Section I. Conventions ........ 3\nA. Conventions for the ICD-10-CM ........ 3\n"
    "1. Use of \u201cand\u201d ........ 3\n2. \u201cWith\u201d ........ 3\n"
    "3. Etiology/manifestation convention "
    "(\u201ccode first\u201d and\n\u201cuse additional code\u201d notes) ........ 3\n"
    "Appendix I 3\n",
    "ICD-10-CM Official Guidelines for Coding and Reporting FY 2026\nPage 3 of 3\n"
    "Section I. Conventions\nA. Conventions for the ICD-10-CM\nThe conventions.\n1. Use of \u201cand\u201d\nText.\n"
    "2. \u201cWith\u201d\nThe word with, see category N18.\n3. Etiology/manifestation convention\nText.\n"
    "Appendix I\nPresent on Admission Reporting Guidelines\nIntroduction text.\n",
]


def test_headings_opening_with_a_quote_split_and_match_the_contents() -> None:
    sections = {section.number: section for section in split_sections(PAGES)}
    assert sections["I.A.2"].title == "\u201cWith\u201d"
    assert "code:N18" in sections["I.A.2"].applies_to  # a cited category reaches codes of chapter 14
    assert sections["Appendix I"].title == "Present on Admission Reporting Guidelines"
    assert contents_numbers(PAGES) == ["I", "I.A", "I.A.1", "I.A.2", "I.A.3", "Appendix I"]


def test_an_order_file_line_out_of_layout_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_order_2026.txt"
    good = f"{1:05d} {'E11':<7} 0 {'Type 2 diabetes mellitus':<60} Type 2 diabetes mellitus\n"
    path.write_text(good + good.replace("00001", "00002") + "garbage line\n")
    source = icd10cm.detect(path, "", path.read_bytes())
    assert isinstance(source, SourceFile) and source.kind == "icd10cm-order"
    with pytest.raises(SourceError, match=r"icd10cm_order_2026.txt, line 3"):
        icd10cm.build([icd10cm.packaged_tabular(), source], lambda line: None)


def test_accents_alone_are_not_a_title_revision() -> None:
    from index_build.sources.icd10cm.history import same_title

    assert same_title("Sezary disease, unspecified site", "Sézary disease, unspecified site")
    assert not same_title("Cutaneous abscess of back", "Cutaneous abscess of back [any part]")

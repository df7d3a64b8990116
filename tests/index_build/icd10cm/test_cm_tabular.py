"""The tabular parser on a mini tabular in the CDC format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeRef, Kind, NoteKind
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.icd10cm.tabular import Tabular, parse_tabular

from .conftest import detect_file

MINI = "icd10cm-tabular-April-1-2026-mini.xml"


@pytest.fixture(scope="module")
def tabular(cm_source: Callable[[str], SourceFile]) -> Tabular:
    return parse_tabular(cm_source(MINI))


@pytest.fixture(scope="module")
def by_code(tabular: Tabular) -> dict[str, CodeRecord]:
    return {record.code: record for record in tabular.records}


def test_detected_as_tabular_of_april_2026(cm_source: Callable[[str], SourceFile]) -> None:
    source = cm_source(MINI)
    assert (source.kind, source.release, source.effective) == (
        "icd10cm-tabular",
        "FY2026 (April 1, 2026 update)",
        "2026-04-01",
    )


def test_chapter_and_section_records(by_code: dict[str, CodeRecord]) -> None:
    chapter = by_code["4"]
    assert (chapter.kind, chapter.parent, chapter.code_range) == (Kind.CHAPTER, "", "E08-E89")
    assert chapter.title == "Endocrine, nutritional and metabolic diseases (E00-E89)"
    section = by_code["E08-E13"]
    assert (section.kind, section.parent, section.code_range) == (Kind.SECTION, "4", "E08-E13")
    assert by_code["E11"].parent == "E08-E13"


def test_one_category_section_gets_a_range_code(by_code: dict[str, CodeRecord]) -> None:
    section = by_code["E89-E89"]
    assert (section.kind, section.code_range) == (Kind.SECTION, "E89")
    assert (by_code["E89"].kind, by_code["E89"].parent) == (Kind.CATEGORY, "E89-E89")


def test_grouping_sections_nest(by_code: dict[str, CodeRecord]) -> None:
    assert by_code["V00-X58"].parent == "20"
    assert by_code["W00-X58"].parent == "V00-X58"
    assert by_code["W00-W19"].parent == "W00-X58"
    assert by_code["W08"].parent == "W00-W19"


def test_kinds_billable_and_parents(by_code: dict[str, CodeRecord]) -> None:
    assert (by_code["E11"].kind, by_code["E11"].billable) == (Kind.CATEGORY, False)
    assert (by_code["E11.3"].kind, by_code["E11.3"].parent) == (Kind.SUBCATEGORY, "E11")
    assert (by_code["E11.9"].kind, by_code["E11.9"].billable, by_code["E11.9"].parent) == (Kind.CODE, True, "E11")
    assert by_code["E89.0"].billable


def test_order_is_tabular_order(tabular: Tabular) -> None:
    codes = [record.code for record in tabular.records]
    assert [record.order for record in tabular.records] == list(range(1, len(codes) + 1))
    assert codes[:5] == ["4", "E08-E13", "E11", "E11.3", "E11.32"]
    # expanded codes follow their base directly
    index = codes.index("S72.001")
    assert codes[index + 1 : index + 4] == ["S72.001A", "S72.001B", "S72.001S"]


def test_notes_carry_kind_and_declaring_level(by_code: dict[str, CodeRecord]) -> None:
    chapter_notes = by_code["4"].notes
    assert [(n.kind, n.source_code, n.source_kind) for n in chapter_notes] == [
        (NoteKind.NOTES, "4", Kind.CHAPTER),
        (NoteKind.EXCLUDES1, "4", Kind.CHAPTER),
    ]
    assert chapter_notes[1].refs == ()  # P70-P74 is not in the mini tabular
    section_note = by_code["E08-E13"].notes[0]
    assert (section_note.kind, section_note.source_kind, section_note.text) == (
        NoteKind.CODE_FIRST,
        Kind.SECTION,
        "diabetes due to cystic fibrosis (E84.-)",
    )
    e11 = by_code["E11"].notes
    assert [n.kind for n in e11] == [
        NoteKind.INCLUDES,
        NoteKind.USE_ADDITIONAL_CODE,
        NoteKind.EXCLUDES1,
        NoteKind.EXCLUDES1,
    ]
    assert {n.source_code for n in e11} == {"E11"}
    assert e11[3].refs == (CodeRef("E89.0", "E89.0"),)
    (t_note,) = by_code["T36-T50"].notes
    assert t_note.refs == (CodeRef("T39.0-T39.9", "T39.0", "T39.9"),)


def test_inclusion_terms_are_notes(by_code: dict[str, CodeRecord]) -> None:
    (note,) = by_code["E11.9"].notes
    assert (note.kind, note.text, note.source_code, note.source_kind) == (
        NoteKind.INCLUSION_TERM,
        "Type 2 diabetes mellitus NOS",
        "E11.9",
        Kind.CODE,
    )


def test_refs_to_codes_missing_from_the_tabular_are_kept_only_when_known(by_code: dict[str, CodeRecord]) -> None:
    # E10, Z79.4, E84 are not in the mini tabular: the known-code filter drops them.
    assert all(note.refs == () for note in by_code["E11"].notes[:3])


def test_seventh_characters_expand_with_titles(by_code: dict[str, CodeRecord]) -> None:
    base = by_code["S72.001"]
    assert (base.kind, base.billable) == (Kind.SUBCATEGORY, False)
    assert [c.char for c in base.seventh_chars] == ["A", "B", "S"]
    code = by_code["S72.001A"]
    assert (code.kind, code.billable, code.parent) == (Kind.CODE, True, "S72.001")
    assert code.title == "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"
    # the declaring level keeps the definition and its loose note, tied to the value it follows
    assert [c.char for c in by_code["S72"].seventh_chars] == ["A", "B", "S"]
    loose = [n for n in by_code["S72"].notes if n.kind is NoteKind.SEVENTH_CHAR_NOTE]
    assert [n.text for n in loose] == ["B: initial encounter for open fracture NOS"]


def test_placeholder_x_fills_short_codes(by_code: dict[str, CodeRecord]) -> None:
    assert {"W08.XXXA", "W08.XXXS"} <= by_code.keys()
    assert by_code["W08.XXXA"].parent == "W08"  # W08.XXX is no tabular node
    assert (by_code["W08"].kind, by_code["W08"].billable) == (Kind.CATEGORY, False)
    assert by_code["S06.9XXD"].parent == "S06.9"
    assert by_code["T39.011A"].title == "Poisoning by aspirin, accidental (unintentional), initial encounter"
    assert by_code["T39.9XXS"].billable


def test_nearest_declaration_wins(by_code: dict[str, CodeRecord]) -> None:
    assert [c.char for c in by_code["E11.321"].seventh_chars] == ["1", "2", "9"]
    assert by_code["E11.3211"].title.endswith("with macular edema, right eye")
    assert "E11.321A" not in by_code


def test_placeholder_node_kept_and_stated_exception_applied(by_code: dict[str, CodeRecord]) -> None:
    assert by_code["S06.0X"].parent == "S06.0"
    assert by_code["S06.0X0"].parent == "S06.0X"
    assert {"S06.0X0A", "S06.0X0D", "S06.0X0S"} <= by_code.keys()
    # "7th characters D and S do not apply to codes ... with 6th character 7"
    assert "S06.0X7A" in by_code
    assert not {"S06.0X7D", "S06.0X7S"} & by_code.keys()


def test_counts(tabular: Tabular) -> None:
    billable = [r.code for r in tabular.records if r.billable]
    assert tabular.counts["billable codes"] == len(billable) == 26
    assert tabular.counts["chapter"] == 3
    assert tabular.counts["notes: excludes1"] == 3


def _write(tmp_path: Path, name: str, text: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return detect_file(path)


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "icd10cm_tabular_2026.xml",
        "<ICD10CM.tabular>\n<version>2026</version>\n<chapter>\n<name>1</nam>\n</chapter>\n",
    )
    with pytest.raises(SourceError) as caught:
        parse_tabular(source)
    assert caught.value.line == 4
    assert "icd10cm_tabular_2026.xml, line 4" in str(caught.value)


def test_unexpected_structure_names_the_element(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "icd10cm_tabular_2026.xml",
        (
            "<ICD10CM.tabular><chapter><name>1</name><desc>Chapter</desc>"
            "<section id='A00-A09'><desc>Section</desc><diag><desc>no name</desc></diag></section>"
            "</chapter></ICD10CM.tabular>"
        ),
    )
    with pytest.raises(SourceError) as caught:
        parse_tabular(source)
    assert caught.value.element == "diag"
    assert "A00-A09" in str(caught.value)


def test_unknown_elements_are_reported(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "icd10cm_tabular_2026.xml",
        (
            "<ICD10CM.tabular><chapter><name>1</name><desc>Chapter</desc>"
            "<section id='A00-A09'><desc>Section</desc><diag><name>A00</name><desc>Cholera</desc>"
            "<newNote><note>x</note></newNote></diag></section></chapter></ICD10CM.tabular>"
        ),
    )
    result = parse_tabular(source)
    assert [r.code for r in result.records if r.billable] == ["A00"]
    assert result.warnings == ["icd10cm_tabular_2026.xml: <newNote> in <diag> not read"]

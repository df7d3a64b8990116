"""The JSON form of records: what encode() writes, decode() gives back, field for field and type for type."""

from __future__ import annotations

from desktop.core.records import (
    CodeRecord,
    CodeRef,
    CodeSet,
    CrosswalkEntry,
    HistoryEvent,
    Kind,
    Note,
    NoteKind,
    PcsAxis,
    PcsRow,
    SeventhCharacter,
)
from desktop.core.schema import decode, encode


def _record() -> CodeRecord:
    axis = PcsAxis(4, "Body Part", "J", "Appendix")
    return CodeRecord(
        CodeSet.ICD10CM,
        "S72.001",
        "Fracture of unspecified part of neck of right femur",
        Kind.SUBCATEGORY,
        parent="S72.00",
        notes=(
            Note(NoteKind.EXCLUDES1, "fracture of shaft (S72.3-)", "S72", Kind.CATEGORY, (CodeRef("S72.3-", "S72.3"),)),
            Note(NoteKind.CODE_FIRST, "any associated injury", "S72.001", Kind.SUBCATEGORY),
        ),
        seventh_chars=(SeventhCharacter("A", "initial encounter for closed fracture"),),
        axes=(axis,),
        rows=(PcsRow(((axis,), (PcsAxis(5, "Approach", "4", "Percutaneous Endoscopic"),))),),
        attributes=(("Effective", "2025-10-01"), ("Status", "active")),
        search_terms=("hip fracture",),
        history=(HistoryEvent("revised", "FY2026", "2025-10-01", ("S72.00",), "old title"),),
        crosswalk=(CrosswalkEntry("820.8", approximate=True, scenario=1, choice=2),),
    )


def test_a_record_comes_back_equal_with_its_enums_tuples_and_nested_records() -> None:
    record = _record()
    back = decode(CodeRecord, encode(record))
    assert back == record
    assert type(back.code_set) is CodeSet and type(back.kind) is Kind
    assert type(back.notes[0].kind) is NoteKind and type(back.notes[0].source_kind) is Kind
    assert isinstance(back.notes, tuple) and isinstance(back.notes[0].refs[0], CodeRef)
    assert isinstance(back.rows[0].axes, tuple) and isinstance(back.rows[0].axes[1][0], PcsAxis)
    assert back.attributes == (("Effective", "2025-10-01"), ("Status", "active"))
    assert isinstance(back.attributes[0], tuple) and isinstance(back.history[0].codes, tuple)


def test_decoding_twice_gives_the_same_and_unknown_keys_are_left_out() -> None:
    text = encode(_record())
    assert decode(CodeRecord, text) == decode(CodeRecord, text)  # the second decode reuses the first's plan
    widened = text[:-1] + ',"a_field_from_a_newer_build":1}'
    assert decode(CodeRecord, widened) == _record()

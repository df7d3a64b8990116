"""A small hand-made set of records of every code set, for core and shell tests."""

from __future__ import annotations

from desktop.core.records import (
    CodeRecord,
    CodeRef,
    CodeSet,
    GuidelineSection,
    IndexTerm,
    Kind,
    Note,
    NoteKind,
    PcsAxis,
    PcsDefinition,
    PcsRow,
    SeventhCharacter,
    SourceRelease,
)
from index_build.sources.base import Parsed

CM, PCS, HCPCS = CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS


def _note(kind: NoteKind, text: str, code: str, level: Kind, *refs: CodeRef) -> Note:
    return Note(kind, text, code, level, tuple(refs))


def _cm_records() -> list[CodeRecord]:
    seventh = (
        SeventhCharacter("A", "initial encounter for closed fracture"),
        SeventhCharacter("D", "subsequent encounter for closed fracture with routine healing"),
        SeventhCharacter("S", "sequela"),
    )
    rows = [
        CodeRecord(
            CM,
            "4",
            "Endocrine, nutritional and metabolic diseases (E00-E89)",
            Kind.CHAPTER,
            code_range="E00-E89",
            notes=(
                _note(
                    NoteKind.EXCLUDES1,
                    "transitory endocrine and metabolic disorders specific to newborn (P70-P74)",
                    "4",
                    Kind.CHAPTER,
                    CodeRef("P70-P74", "P70", "P74"),
                ),
            ),
        ),
        CodeRecord(CM, "E08-E13", "Diabetes mellitus (E08-E13)", Kind.SECTION, parent="4", code_range="E08-E13"),
        CodeRecord(
            CM,
            "E11",
            "Type 2 diabetes mellitus",
            Kind.CATEGORY,
            parent="E08-E13",
            notes=(
                _note(NoteKind.INCLUDES, "diabetes (mellitus) due to insulin secretory defect", "E11", Kind.CATEGORY),
                _note(
                    NoteKind.USE_ADDITIONAL_CODE,
                    "code to identify control using insulin (Z79.4)",
                    "E11",
                    Kind.CATEGORY,
                    CodeRef("Z79.4", "Z79.4"),
                ),
                _note(
                    NoteKind.EXCLUDES1,
                    "type 1 diabetes mellitus (E10.-)",
                    "E11",
                    Kind.CATEGORY,
                    CodeRef("E10.-", "E10"),
                ),
            ),
        ),
        CodeRecord(
            CM, "E11.6", "Type 2 diabetes mellitus with other specified complications", Kind.SUBCATEGORY, parent="E11"
        ),
        CodeRecord(
            CM, "E11.65", "Type 2 diabetes mellitus with hyperglycemia", Kind.CODE, parent="E11.6", billable=True
        ),
        CodeRecord(
            CM, "E11.9", "Type 2 diabetes mellitus without complications", Kind.CODE, parent="E11", billable=True
        ),
        CodeRecord(CM, "9", "Diseases of the circulatory system (I00-I99)", Kind.CHAPTER, code_range="I00-I99"),
        CodeRecord(CM, "I20-I25", "Ischemic heart diseases (I20-I25)", Kind.SECTION, parent="9"),
        CodeRecord(
            CM,
            "I21",
            "Acute myocardial infarction",
            Kind.CATEGORY,
            parent="I20-I25",
            notes=(_note(NoteKind.INCLUSION_TERM, "myocardial infarction specified as acute", "I21", Kind.CATEGORY),),
        ),
        CodeRecord(CM, "I21.9", "Acute myocardial infarction, unspecified", Kind.CODE, parent="I21", billable=True),
        CodeRecord(
            CM,
            "I50.9",
            "Heart failure, unspecified",
            Kind.CODE,
            parent="I20-I25",
            billable=True,
            notes=(_note(NoteKind.INCLUSION_TERM, "Congestive heart failure NOS", "I50.9", Kind.CODE),),
        ),
        CodeRecord(CM, "10", "Diseases of the respiratory system (J00-J99)", Kind.CHAPTER, code_range="J00-J99"),
        CodeRecord(
            CM,
            "J96.00",
            "Acute respiratory failure, unspecified whether with hypoxia or hypercapnia",
            Kind.CODE,
            parent="10",
            billable=True,
        ),
        CodeRecord(CM, "J18.9", "Pneumonia, unspecified organism", Kind.CODE, parent="10", billable=True),
        CodeRecord(
            CM,
            "19",
            "Injury, poisoning and certain other consequences of external causes (S00-T88)",
            Kind.CHAPTER,
            code_range="S00-T88",
        ),
        CodeRecord(CM, "S72", "Fracture of femur", Kind.CATEGORY, parent="19", seventh_chars=seventh),
        CodeRecord(
            CM, "S72.001", "Fracture of unspecified part of neck of right femur", Kind.SUBCATEGORY, parent="S72"
        ),
        *[
            CodeRecord(
                CM,
                f"S72.001{s.char}",
                f"Fracture of unspecified part of neck of right femur, {s.meaning}",
                Kind.CODE,
                parent="S72.001",
                billable=True,
            )
            for s in seventh
        ],
        CodeRecord(CM, "T39.011", "Poisoning by aspirin, accidental (unintentional)", Kind.SUBCATEGORY, parent="19"),
        CodeRecord(
            CM,
            "T39.011A",
            "Poisoning by aspirin, accidental (unintentional), initial encounter",
            Kind.CODE,
            parent="T39.011",
            billable=True,
        ),
    ]
    return [_with_order(r, n) for n, r in enumerate(rows)]


def _with_order(record: CodeRecord, order: int) -> CodeRecord:
    from dataclasses import replace

    return replace(record, order=order)


def _pcs_records() -> list[CodeRecord]:
    def axes(body_part: str, approach: tuple[str, str]) -> tuple[PcsAxis, ...]:
        return (
            PcsAxis(1, "Section", "0", "Medical and Surgical"),
            PcsAxis(2, "Body System", "D", "Gastrointestinal System"),
            PcsAxis(3, "Operation", "T", "Resection"),
            PcsAxis(4, "Body Part", "J", body_part),
            PcsAxis(5, "Approach", approach[0], approach[1]),
            PcsAxis(6, "Device", "Z", "No Device"),
            PcsAxis(7, "Qualifier", "Z", "No Qualifier"),
        )

    row = PcsRow(
        (
            (PcsAxis(4, "Body Part", "J", "Appendix"),),
            (PcsAxis(5, "Approach", "0", "Open"), PcsAxis(5, "Approach", "4", "Percutaneous Endoscopic")),
            (PcsAxis(6, "Device", "Z", "No Device"),),
            (PcsAxis(7, "Qualifier", "Z", "No Qualifier"),),
        )
    )
    rows = [
        CodeRecord(PCS, "0", "Medical and Surgical", Kind.PCS_SECTION),
        CodeRecord(PCS, "0D", "Gastrointestinal System", Kind.PCS_BODY_SYSTEM, parent="0"),
        CodeRecord(
            PCS,
            "0DT",
            "Gastrointestinal System, Resection",
            Kind.PCS_TABLE,
            parent="0D",
            rows=(row,),
            axes=axes("Appendix", ("0", "Open"))[:3],
        ),
        CodeRecord(
            PCS, "0DTJ", "Resection of Appendix", Kind.PCS_BODY_PART, parent="0DT", search_terms=("Vermiform appendix",)
        ),
        CodeRecord(
            PCS,
            "0DTJ0ZZ",
            "Resection of Appendix, Open Approach",
            Kind.CODE,
            parent="0DTJ",
            billable=True,
            axes=axes("Appendix", ("0", "Open")),
        ),
        CodeRecord(
            PCS,
            "0DTJ4ZZ",
            "Resection of Appendix, Percutaneous Endoscopic Approach",
            Kind.CODE,
            parent="0DTJ",
            billable=True,
            axes=axes("Appendix", ("4", "Percutaneous Endoscopic")),
        ),
    ]
    return [_with_order(r, n) for n, r in enumerate(rows)]


def _hcpcs_records() -> list[CodeRecord]:
    rows = [
        CodeRecord(
            HCPCS,
            "J9035",
            "Injection, bevacizumab, 10 mg",
            Kind.CODE,
            billable=True,
            short_title="Bevacizumab injection",
            search_terms=("Avastin", "bevacizumab"),
            attributes=(
                ("Coverage", "D - Special coverage instructions apply"),
                ("Added", "2005-01-01"),
                ("Action effective", "2026-01-01"),
            ),
            notes=(Note(NoteKind.PROCESSING_NOTE, "Synthetic processing note for testing.", "J9035", Kind.CODE),),
        ),
        CodeRecord(
            HCPCS,
            "J9600",
            "Injection, porfimer sodium, 75 mg",
            Kind.CODE,
            billable=True,
            short_title="Porfimer sodium injection",
        ),
        CodeRecord(
            HCPCS,
            "E0100",
            "Cane, includes canes of all materials, adjustable or fixed, with tip",
            Kind.CODE,
            billable=True,
            short_title="Cane adjust/fixed with tip",
        ),
        CodeRecord(
            HCPCS,
            "J0001",
            "Synthetic terminated injection code",
            Kind.CODE,
            billable=True,
            terminated=True,
            attributes=(("Terminated", "2020-12-31"),),
        ),
        CodeRecord(
            HCPCS,
            "LT",
            "Left side (used to identify procedures performed on the left side of the body)",
            Kind.MODIFIER,
            short_title="Left side",
        ),
        CodeRecord(
            HCPCS,
            "RT",
            "Right side (used to identify procedures performed on the right side of the body)",
            Kind.MODIFIER,
            short_title="Right side",
        ),
    ]
    return [_with_order(r, n) for n, r in enumerate(rows)]


def sample_parsed() -> Parsed:
    """Records, index terms, guidelines and definitions of all three code sets."""
    parsed = Parsed()
    parsed.records = _cm_records() + _pcs_records() + _hcpcs_records()
    parsed.index_terms = [
        IndexTerm(CM, "alphabetic", ("Attack", "heart"), "I21.9"),
        IndexTerm(CM, "drug", ("Aspirin",), "T39.011", column="Poisoning, Accidental (unintentional)"),
        IndexTerm(CM, "alphabetic", ("Infarction", "myocardium"), "", see="Infarct, myocardium"),
        IndexTerm(PCS, "pcs", ("Appendectomy",), "0DTJ", see="Resection, Appendix 0DTJ"),
        IndexTerm(PCS, "pcs", ("Resection", "Appendix"), "0DTJ"),
        IndexTerm(HCPCS, "hcpcs-drug", ("Avastin",), "J9035", column="10 mg IV"),
    ]
    parsed.guidelines = [
        GuidelineSection(
            CM,
            "I.C.4.a",
            "Diabetes mellitus",
            "The diabetes mellitus codes are combination codes.",
            "Chapter 4",
            ("chapter:4",),
        ),
        GuidelineSection(
            PCS,
            "B3.4a",
            "Resection",
            "Resection is coded when the entire body part is cut out.",
            "Root Operation",
            ("operation:Resection",),
        ),
    ]
    parsed.definitions = [
        PcsDefinition(
            "0",
            3,
            "Operation",
            ("Resection",),
            "Cutting out or off, without replacement, all of a body part",
            includes=("Total nephrectomy",),
        ),
        PcsDefinition(
            "0",
            5,
            "Approach",
            ("Percutaneous Endoscopic",),
            "Entry, by puncture or minor incision, of instrumentation through the skin or mucous membrane",
        ),
        PcsDefinition("0", 4, "Body Part", ("Appendix",), includes=("Vermiform appendix",)),
    ]
    parsed.releases = [
        SourceRelease(CM, "FY2026 (April 1, 2026 update)", "2026-04-01"),
        SourceRelease(PCS, "FY2026", "2025-10-01"),
        SourceRelease(HCPCS, "July 2026", "2026-07-01"),
    ]
    return parsed

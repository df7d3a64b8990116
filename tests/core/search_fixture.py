"""A small index for the issue 11 search tests: femur and neck fractures, a Table of Drugs family, modifiers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from desktop.core.records import CodeRecord, CodeSet, IndexTerm, Kind, PcsAxis, SearchFilters
from desktop.core.search.engine import SearchEngine

CM, PCS, HCPCS = CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS


def _cm() -> list[CodeRecord]:
    rows = [
        CodeRecord(CM, "19", "Injury, poisoning and certain other consequences (S00-T88)", Kind.CHAPTER),
        CodeRecord(CM, "S12", "Fracture of cervical vertebra and other parts of neck", Kind.CATEGORY, parent="19"),
        CodeRecord(CM, "S12.9", "Fracture of neck, unspecified", Kind.SUBCATEGORY, parent="S12"),
        CodeRecord(
            CM, "S12.9XXA", "Fracture of neck, unspecified, initial encounter", Kind.CODE, "S12.9", billable=True
        ),
        CodeRecord(CM, "S72", "Fracture of femur", Kind.CATEGORY, parent="19"),
        CodeRecord(CM, "S72.0", "Fracture of head and neck of femur", Kind.SUBCATEGORY, parent="S72"),
        CodeRecord(CM, "S72.00", "Fracture of unspecified part of neck of femur", Kind.SUBCATEGORY, parent="S72.0"),
    ]
    for side, digit in (("right", "1"), ("left", "2")):
        code = f"S72.00{digit}"
        title = f"Fracture of unspecified part of neck of {side} femur"
        rows.append(CodeRecord(CM, code, title, Kind.SUBCATEGORY, parent="S72.00"))
        for char, ending in (("A", "initial encounter for closed fracture"), ("D", "subsequent encounter")):
            rows.append(CodeRecord(CM, code + char, f"{title}, {ending}", Kind.CODE, parent=code, billable=True))
    rows += [
        CodeRecord(CM, "T39.1X1", "Poisoning by 4-Aminophenol derivatives, accidental", Kind.SUBCATEGORY, "19"),
        CodeRecord(CM, "T39.1X1A", "Poisoning by 4-Aminophenol derivatives, accidental, initial", Kind.CODE, "T39.1X1"),
        CodeRecord(CM, "T39.1X1S", "Poisoning by 4-Aminophenol derivatives, accidental, sequela", Kind.CODE, "T39.1X1"),
        CodeRecord(CM, "Y63.2", "Overdose of radiation given during therapy", Kind.CODE, parent="19", billable=True),
        CodeRecord(CM, "9", "Diseases of the circulatory system (I00-I99)", Kind.CHAPTER),
        CodeRecord(CM, "I21", "Acute myocardial infarction", Kind.CATEGORY, parent="9"),
        CodeRecord(CM, "I21.9", "Acute myocardial infarction, unspecified", Kind.CODE, parent="I21", billable=True),
        CodeRecord(
            CM,
            "I21.A1",
            "Myocardial infarction type 2 after an acute event elsewhere with a long title",
            Kind.CODE,
            parent="I21",
            billable=True,
        ),
    ]
    return [replace(r, billable=True) if r.code in ("T39.1X1A", "T39.1X1S") else r for r in rows]


def _pcs() -> list[CodeRecord]:
    def axes(approach: str) -> tuple[PcsAxis, ...]:
        return (
            PcsAxis(1, "Section", "0", "Medical and Surgical"),
            PcsAxis(2, "Body System", "D", "Gastrointestinal System"),
            PcsAxis(3, "Operation", "T", "Resection"),
            PcsAxis(4, "Body Part", "J", "Appendix"),
            PcsAxis(5, "Approach", approach[0], approach[1:]),
        )

    return [
        CodeRecord(PCS, "0DT", "Resection of gastrointestinal system", Kind.PCS_TABLE),
        CodeRecord(PCS, "0DTJ", "Resection of Appendix", Kind.PCS_BODY_PART, parent="0DT"),
        CodeRecord(PCS, "0DTJ0ZZ", "Resection of Appendix, Open Approach", Kind.CODE, "0DTJ", True, axes=axes("0Open")),
        CodeRecord(
            PCS,
            "0DTJ4ZZ",
            "Resection of Appendix, Percutaneous Endoscopic Approach",
            Kind.CODE,
            "0DTJ",
            True,
            axes=axes("4Percutaneous Endoscopic"),
        ),
    ]


def _hcpcs() -> list[CodeRecord]:
    modifiers = {
        "XE": "Separate encounter, a service that is distinct because it occurred during a separate encounter",
        "XP": "Separate practitioner, a service that is distinct because it was performed by a different practitioner",
        "XS": "Separate structure, a service that is distinct because it was performed on a separate structure",
        "XU": "Unusual non-overlapping service, the use of a service that is distinct",
        "LT": "Left side (used to identify procedures performed on the left side of the body)",
        "RT": "Right side (used to identify procedures performed on the right side of the body)",
    }
    rows = [CodeRecord(HCPCS, code, title, Kind.MODIFIER) for code, title in modifiers.items()]
    rows += [
        CodeRecord(HCPCS, "G9753", "Acute myocardial infarction", Kind.CODE, billable=True),
        CodeRecord(
            HCPCS, "J0131", "Injection, acetaminophen, not otherwise specified, 10 mg", Kind.CODE, billable=True
        ),
        CodeRecord(
            HCPCS,
            "G0202",
            "Screening mammography, bilateral, including computer-aided detection",
            Kind.CODE,
            billable=True,
            terminated=True,
        ),
    ]
    return rows


def write_records(folder: Path, records: list[CodeRecord], index_terms: Iterable[IndexTerm] = ()) -> Path:
    """Write records (and index terms) with the real writer, so the real search cache is built too."""
    from index_build.manifest import make_manifest
    from index_build.sources.base import Parsed
    from index_build.writer import write_index

    parsed = Parsed()
    parsed.records = records
    parsed.index_terms = list(index_terms)
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    return folder


def write_search_index(folder: Path) -> Path:
    """The femur / drug / appendix / modifier index of the issue 11 tests."""
    records = [replace(r, order=n) for n, r in enumerate(_cm() + _pcs() + _hcpcs())]
    terms = [
        IndexTerm(CM, "drug", ("Acetaminophen",), "T39.1X1", column="Poisoning, Accidental (unintentional)"),
        IndexTerm(CM, "alphabetic", ("Overdose", "radiation"), "Y63.2"),
        IndexTerm(PCS, "pcs", ("Appendectomy",), "0DTJ"),
        IndexTerm(HCPCS, "hcpcs-drug", ("Acetaminophen",), "J0131", column="10 mg IV"),
    ]
    return write_records(folder, records, terms)


@contextmanager
def ready_engine(folder: Path, timeout: float = 30) -> Iterator[SearchEngine]:
    """A strict engine on `folder` whose search cache and vocabulary are ready, closed afterwards."""
    found = SearchEngine(folder, vocabulary_delay=0.0)
    found.strict = True
    assert found.wait_ready(timeout)
    try:
        yield found
    finally:
        found.close()


def codes(engine: SearchEngine, text: str, limit: int = 50, **filters: object) -> list[str]:
    """The codes of the hits, in order."""
    return [h.code for h in engine.search(text, SearchFilters(**filters), limit).hits]  # type: ignore[arg-type]

"""Frozen records shared by the builder (which writes them) and the app (which reads them)."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any


class CodeSet(enum.StrEnum):
    """The code sets CodeAtlas knows; the value is the label shown to users."""

    ICD10CM = "ICD-10-CM"
    ICD10PCS = "ICD-10-PCS"
    HCPCS = "HCPCS"
    CPT = "CPT"
    ICD9CM = "ICD-9-CM"  # retired 2015-10-01; only its General Equivalence Mappings are indexed


class Kind(enum.StrEnum):
    """What a record is within its code set's hierarchy."""

    # ICD-10-CM
    CHAPTER = "chapter"
    SECTION = "section"  # a block of categories, e.g. E08-E13
    CATEGORY = "category"  # three characters, e.g. E11
    SUBCATEGORY = "subcategory"  # 4-6 characters with children
    CODE = "code"  # any billable (leaf) code of any code set
    # ICD-10-PCS
    PCS_SECTION = "pcs_section"  # 1 character, e.g. 0 Medical and Surgical
    PCS_BODY_SYSTEM = "pcs_body_system"  # 2 characters, e.g. 0D
    PCS_TABLE = "pcs_table"  # 3 characters, e.g. 0DT
    PCS_BODY_PART = "pcs_body_part"  # 4 characters, e.g. 0DTJ
    # HCPCS Level II and CPT
    MODIFIER = "modifier"
    # Non-code documents
    XREF = "xref"  # an index term that only points elsewhere (see / see also)
    GUIDELINE = "guideline"
    DEFINITION = "definition"


class NoteKind(enum.StrEnum):
    """Instructional notes; values are the tabular XML element names."""

    INCLUSION_TERM = "inclusionTerm"
    INCLUDES = "includes"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "codeFirst"
    USE_ADDITIONAL_CODE = "useAdditionalCode"
    CODE_ALSO = "codeAlso"
    NOTES = "notes"
    SEVENTH_CHAR_NOTE = "sevenChrNote"
    PROCESSING_NOTE = "processingNote"  # HCPCS proc_notes_*.txt


@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code reference found inside note text: 'E11.-', 'I10', 'N18.1-N18.6'."""

    text: str  # as written in the note
    start: str  # first code, without a trailing '-' or '.-'
    end: str = ""  # last code of a range, else empty


@dataclass(frozen=True, slots=True)
class Note:
    """One instructional note, with the level that declares it."""

    kind: NoteKind
    text: str
    source_code: str  # the code (or chapter number) that declares the note
    source_kind: Kind  # the level: chapter, section, category, ...
    refs: tuple[CodeRef, ...] = ()


@dataclass(frozen=True, slots=True)
class SeventhCharacter:
    """One 7th-character value from a sevenChrDef."""

    char: str
    meaning: str


@dataclass(frozen=True, slots=True)
class PcsAxis:
    """One character position of an ICD-10-PCS code with its value and label."""

    position: int  # 1..7
    name: str  # axis title, e.g. "Body Part"
    value: str  # one character
    label: str  # e.g. "Appendix"


@dataclass(frozen=True, slots=True)
class PcsRow:
    """One pcsRow of a table: the valid values of positions 4-7 (their product is valid)."""

    axes: tuple[tuple[PcsAxis, ...], ...]  # four tuples, positions 4..7, each listing the values


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One change to a code between releases: added, title revised or deleted."""

    action: str  # "added", "revised", "deleted"
    release: str = ""  # "FY2024", "July 2026"; empty when only the code's own date is known
    date: str = ""  # ISO date the change took effect: the code's own date where the file gives one
    codes: tuple[str, ...] = ()  # added: the code(s) it replaced; deleted: its replacement(s)
    old_title: str = ""  # revised: the title before the change


@dataclass(frozen=True, slots=True)
class CrosswalkEntry:
    """One General Equivalence Mapping (GEM) line between an ICD-9-CM and an ICD-10-CM code."""

    code: str  # the code at the other end, display form: 250.00, E11.9 ('' for no map)
    approximate: bool = False
    no_map: bool = False
    combination: bool = False
    scenario: int = 0  # combination entries: which alternative set of codes
    choice: int = 0  # combination entries: which list the code is chosen from


@dataclass(frozen=True)
class CodeRecord:
    """One code or header of any code set, with everything its tabs show."""

    code_set: CodeSet
    code: str  # display form: E11.9, 0DTJ4ZZ, J9035, LT
    title: str  # long/official descriptor
    kind: Kind
    parent: str = ""  # display code of the parent in the same code set
    billable: bool = False
    short_title: str = ""
    notes: tuple[Note, ...] = ()  # declared at this level only; the app inherits from ancestors
    seventh_chars: tuple[SeventhCharacter, ...] = ()  # declared here (sevenChrDef)
    axes: tuple[PcsAxis, ...] = ()  # ICD-10-PCS: one per known position
    rows: tuple[PcsRow, ...] = ()  # ICD-10-PCS tables (3 characters): the table's rows
    attributes: tuple[tuple[str, str], ...] = ()  # labelled administrative fields, in display order
    terminated: bool = False  # HCPCS codes carrying a termination date
    search_terms: tuple[str, ...] = ()  # extra searchable words: drug names, key entries
    code_range: str = ""  # chapters and sections: "E00-E89"
    order: int = 0  # position in the official order, for code-order listings
    history: tuple[HistoryEvent, ...] = ()  # oldest first, across every release the builder was given
    crosswalk: tuple[CrosswalkEntry, ...] = ()  # ICD-9-CM: its ICD-10-CM targets; ICD-10-CM: ICD-9 codes mapping here


@dataclass(frozen=True, slots=True)
class IndexTerm:
    """A path through an alphabetic index or table and the code it leads to."""

    code_set: CodeSet
    source: str  # "alphabetic", "external", "drug", "neoplasm", "pcs", "hcpcs-drug", "hcpcs-index"
    path: tuple[str, ...]  # main term, then subterms; nonessential modifiers kept in parentheses
    code: str = ""  # as printed: "T39.011", "C79.8-", "0DTJ", "0DTJ4ZZ"; empty for pure cross-references
    column: str = ""  # Drug / Neoplasm table column heading
    see: str = ""
    see_also: str = ""

    @property
    def text(self) -> str:
        """The term path as a coder reads it: 'Attack, heart'."""
        return ", ".join(self.path)


@dataclass(frozen=True, slots=True)
class GuidelineSection:
    """One numbered section of an official guidelines document."""

    code_set: CodeSet
    number: str  # I.C.4.a, B3.4a
    title: str
    text: str
    group: str = ""  # e.g. "Root Operation", "Chapter 4"
    applies_to: tuple[str, ...] = ()  # keys, see desktop.core.keys
    document: str = ""  # e.g. "ICD-10-PCS Official Guidelines for Coding and Reporting 2025"


@dataclass(frozen=True, slots=True)
class PcsDefinition:
    """A definitions-file entry for one axis value of an ICD-10-PCS section."""

    section: str  # first character, "0"
    position: int  # axis position
    axis_name: str  # "Operation", "Approach", "Body Part", "Device", "Substance"
    titles: tuple[str, ...]  # value labels the entry covers
    definition: str = ""
    explanation: str = ""
    includes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PcsDeviceAggregate:
    """A deviceAggregation entry: a specific device rolls up to a general device value."""

    device: str
    operation: str
    body_systems: tuple[str, ...]
    parent_value: str
    parent_label: str


@dataclass(frozen=True, slots=True)
class SourceRelease:
    """A code set release that went into the index."""

    code_set: CodeSet
    release: str  # "FY2026 (April 1, 2026 update)", "July 2026"
    effective: str  # ISO date
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, ready for display."""

    code: str
    code_set: CodeSet
    title: str
    kind: Kind
    billable: bool
    score: float
    matched_field: str = "title"  # "code", "title", "index", "inclusion", "synonym", "term"
    matched_text: str = ""  # the term that matched when it is not the title
    highlights: tuple[tuple[int, int], ...] = ()  # spans in title (or matched_text when set)
    terminated: bool = False
    doc_id: str = ""
    parent: str = ""  # the code this one sits under (S72.002A -> S72.002): the shell folds 7th-character families

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["code_set"] = str(self.code_set)
        data["kind"] = str(self.kind)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What the user narrowed the search to."""

    code_sets: frozenset[CodeSet] = frozenset()  # empty means every code set
    billable_only: bool = False
    include_terminated: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One answered query: the ranked hits and how many matched in all."""

    query: str
    hits: tuple[Hit, ...]
    total: int  # matches in all (hits holds at most the limit)
    elapsed_ms: float
    note: str = ""  # e.g. "Showing results for pneumonia" after a typo correction
    corrected_query: str = ""  # the query actually searched after spelling correction ("" = as typed)
    ignored_words: tuple[str, ...] = ()  # typed words that matched nothing and were left out of the search


def doc_id(code_set: CodeSet | str, code: str) -> str:
    """The unique id of a code's document: 'ICD-10-CM:E11.9'."""
    return f"{code_set}:{code}"


__all__ = [
    "CodeRecord",
    "CodeRef",
    "CodeSet",
    "CrosswalkEntry",
    "GuidelineSection",
    "HistoryEvent",
    "Hit",
    "IndexTerm",
    "Kind",
    "Note",
    "NoteKind",
    "PcsAxis",
    "PcsDefinition",
    "PcsDeviceAggregate",
    "PcsRow",
    "SearchFilters",
    "SearchResult",
    "SeventhCharacter",
    "SourceRelease",
    "doc_id",
]

"""Which code sets an index holds and lacks, and the official file and page each missing one comes from."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.codes import code_key
from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet

# CPT is never "missing": it comes only from a licensee's own AMA files (File > Import CPT…).
PUBLIC_CODE_SETS = (CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS)
ADD_MENU = "use File > Add or update code sets…"
CPT_NOTE = (
    "CPT codes belong to the AMA and are in no public file: import your own licensed CPT files with File > Import CPT…"
)


@dataclass(frozen=True, slots=True)
class OfficialPage:
    """An official page the files of a code set are downloaded from."""

    name: str
    url: str


CMS_ICD10 = OfficialPage("CMS ICD-10 page", "https://www.cms.gov/medicare/coding-billing/icd-10-codes")
CMS_HCPCS = OfficialPage(
    "CMS HCPCS quarterly update page",
    "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update",
)
CDC_ICD10CM = OfficialPage(
    "CDC/NCHS ICD-10-CM files", "https://ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/ICD10CM/2026-update/"
)

CDC_GEMS = OfficialPage(
    "CDC/NCHS ICD-10-CM 2018 files", "https://ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/ICD10CM/2018/"
)


@dataclass(frozen=True, slots=True)
class OfficialFile:
    """One official file CodeAtlas reads: its name as published, what it holds, where it is published."""

    code_set: CodeSet
    name: str
    holds: str
    page: OfficialPage
    essential: bool  # the file that brings the code set's codes (the others add notes, indexes, guidelines)


# File names as published for the releases this version reads (the sources MANIFEST.md lists them);
# a newer release has the same name with another date.
OFFICIAL_FILES: tuple[OfficialFile, ...] = (
    OfficialFile(
        CodeSet.ICD10CM,
        "icd10c-tabular-April-1-2026.xml",
        "the ICD-10-CM tabular (it ships with CodeAtlas, in the simple-icd-10-cm package)",
        CDC_ICD10CM,
        True,
    ),
    OfficialFile(CodeSet.ICD10CM, "icd10cm-index-April-1-2026-XML.xml", "the Alphabetic Index", CDC_ICD10CM, False),
    OfficialFile(
        CodeSet.ICD10CM, "icd10cm-drug-April-1-2026-XML.xml", "the Table of Drugs and Chemicals", CDC_ICD10CM, False
    ),
    OfficialFile(
        CodeSet.ICD10CM, "icd10cm-neoplasm-April-1-2026-XML.xml", "the Table of Neoplasms", CDC_ICD10CM, False
    ),
    OfficialFile(
        CodeSet.ICD10CM,
        "icd10cm-eindex-April-1-2026-XML.xml",
        "the External Cause of Injuries Index",
        CDC_ICD10CM,
        False,
    ),
    OfficialFile(
        CodeSet.ICD10CM,
        "fy-2026-icd-10-cm-coding-guidelines.pdf",
        "the Official Guidelines for Coding and Reporting",
        CMS_ICD10,
        False,
    ),
    OfficialFile(
        CodeSet.ICD10PCS,
        "2026-icd-10-pcs-code-tables-and-index.zip",
        "the ICD-10-PCS tables, index and definitions XML",
        CMS_ICD10,
        True,
    ),
    OfficialFile(
        CodeSet.ICD10PCS,
        "2026-official-icd-10-pcs-coding-guidelines.pdf",
        "the ICD-10-PCS Official Guidelines",
        CMS_ICD10,
        False,
    ),
    OfficialFile(
        CodeSet.ICD9CM,
        "Dxgem_2018.zip",
        "the ICD-9-CM to and from ICD-10-CM General Equivalence Mappings (FY2018, the last published)",
        CDC_GEMS,
        True,
    ),
    OfficialFile(
        CodeSet.HCPCS,
        "july-2026-alpha-numeric-hcpcs-file.zip",
        "the HCPCS Level II codes, modifiers and processing notes (the newest quarterly file)",
        CMS_HCPCS,
        True,
    ),
)

# Queries that find something in each code set: the search bar suggests only those the index can answer.
EXAMPLE_QUERIES: dict[CodeSet, tuple[str, ...]] = {
    CodeSet.ICD10CM: ("E11.9", "heart attack"),
    CodeSet.ICD10PCS: ("appendectomy",),
    CodeSet.HCPCS: ("J9035",),
}


def essential_file(code_set: CodeSet) -> OfficialFile:
    """The official file that brings a code set's codes."""
    return next(entry for entry in OFFICIAL_FILES if entry.code_set is code_set and entry.essential)


def files_of(code_set: CodeSet) -> tuple[OfficialFile, ...]:
    """Every official file of a code set, the essential one first."""
    return tuple(sorted((e for e in OFFICIAL_FILES if e.code_set is code_set), key=lambda e: not e.essential))


def missing_line(code_set: CodeSet) -> str:
    """'HCPCS: july-2026-alpha-numeric-hcpcs-file.zip from the CMS HCPCS quarterly update page (https://...)'."""
    entry = essential_file(code_set)
    return f"{code_set}: {entry.name} from the {entry.page.name} ({entry.page.url})"


def where_from(code_set: CodeSet) -> str:
    """'july-2026-alpha-numeric-hcpcs-file.zip (HCPCS) from the CMS HCPCS quarterly update page (https://...)'."""
    entry = essential_file(code_set)
    return f"{entry.name} ({code_set}) from the {entry.page.name} ({entry.page.url})"


def looks_like_cpt(text: str) -> bool:
    """99213, 0001F, 0042T: a CPT Category I, II or III code."""
    return bool(re.fullmatch(r"\d{5}|\d{4}[FTU]", code_key(text.strip())))


def code_shapes(text: str) -> frozenset[CodeSet] | None:
    """The code sets a code-shaped query could belong to; None when it is words, not a code.

    'J9035' fits HCPCS (and ICD-10-CM written without its dot), '0DTJ4ZZ' ICD-10-PCS, 'LT' a HCPCS
    modifier. Used only to explain an empty result, so a rough fit is enough.
    """
    stripped = text.strip()
    if not stripped or " " in stripped.replace(". ", "."):
        return None
    key = code_key(stripped)
    if not key.isalnum() or (len(key) != 2 and not any(c.isdigit() for c in key)):
        return None
    shapes: set[CodeSet] = set()
    if len(key) >= 3 and key[0].isalpha() and key[1].isdigit():
        shapes.add(CodeSet.ICD10CM)
    if "." in stripped:  # only ICD-10-CM codes are written with a dot
        return frozenset(shapes) or None
    if (len(key) == 5 and key[0].isalpha() and key[1:].isdigit()) or len(key) == 2:
        shapes.add(CodeSet.HCPCS)  # a Level II code, or a modifier
    if looks_like_cpt(key):
        shapes.add(CodeSet.CPT)  # five digits are what coders mean by a CPT code, not a PCS prefix
    elif len(key) <= 7 and (key[0].isdigit() or key[0] in "BCDFGHX") and not set(key) & {"I", "O"}:
        shapes.add(CodeSet.ICD10PCS)  # PCS never uses I or O, which look like 1 and 0
    return frozenset(shapes) or None


@dataclass(frozen=True, slots=True)
class Coverage:
    """The code sets an index holds (with their releases) and the public code sets it lacks."""

    held: tuple[tuple[CodeSet, str], ...]  # (code set, release) in the usual order
    missing: tuple[CodeSet, ...]

    @property
    def held_sets(self) -> tuple[CodeSet, ...]:
        return tuple(code_set for code_set, _release in self.held)

    def held_text(self) -> str:
        """'ICD-10-CM FY2026 (April 1, 2026 update), HCPCS July 2026', or 'no code set'."""
        return ", ".join(f"{code_set} {release}".strip() for code_set, release in self.held) or "no code set"

    def missing_lines(self) -> list[str]:
        """One line per missing code set naming its official file and page."""
        return [missing_line(code_set) for code_set in self.missing]

    def summary(self, how: str = ADD_MENU) -> list[str]:
        """What the CLI and the smoke test print: the held code sets, then one line per missing one."""
        lines = [f"This index holds {self.held_text()}."]
        if self.missing:
            lines.append("Missing: " + ", ".join(str(c) for c in self.missing) + f" (to add them, {how}):")
            lines.extend(f"  {line}" for line in self.missing_lines())
        return lines

    def aimed_at_missing(self, text: str, code_sets: Iterable[CodeSet] = ()) -> tuple[CodeSet, ...]:
        """The missing code sets a query is aimed at: those it filters on, else those its code shape fits.

        Words could be aimed at any code set, so a word query points at every missing one.
        """
        chosen = frozenset(code_sets)
        if chosen:
            return tuple(c for c in self.missing if c in chosen)
        shaped = code_shapes(text)
        if shaped is None:
            return self.missing
        return tuple(c for c in self.missing if c in shaped)

    def wants_cpt(self, text: str, code_sets: Iterable[CodeSet] = ()) -> bool:
        """The query is aimed at CPT (a CPT-shaped code or the CPT filter) and no CPT was imported."""
        chosen = frozenset(code_sets)
        aimed = CodeSet.CPT in chosen if chosen else looks_like_cpt(text)
        return aimed and CodeSet.CPT not in self.held_sets

    def empty_result_text(self, text: str, code_sets: Iterable[CodeSet] = (), how: str = ADD_MENU) -> str:
        """Why a query found nothing when the index lacks the code set it is aimed at; '' otherwise."""
        chosen = frozenset(code_sets)
        aimed = self.aimed_at_missing(text, chosen)
        if not aimed:
            if not self.wants_cpt(text, chosen):
                return ""
            why = "this index has no CPT." if chosen else f"{text.strip()!r} looks like a CPT code."
            return f"No results: {why} {CPT_NOTE}"
        names = " or ".join(str(c) for c in aimed)
        reason = f"this index has no {names} (it holds {self.held_text()})."
        if code_shapes(text) is not None and not chosen:
            article = "an" if names.startswith("I") else "a"  # "an ICD-10-PCS code", "a HCPCS code"
            reason = f"{text.strip()!r} looks like {article} {names} code, and {reason}"
        add = " ".join(f"Get {where_from(c)}." for c in aimed)
        then = how if how.endswith((".", "…")) else how + "."
        return f"No results: {reason} {add} Then {then}"


def coverage_of(manifest: Manifest | Mapping[str, Any]) -> Coverage:
    """The coverage an index manifest (already read, or its JSON) describes."""
    releases: dict[CodeSet, str] = {}
    entries = manifest.code_sets if isinstance(manifest, Manifest) else manifest.get("code_sets", [])
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        try:
            code_set = CodeSet(str(entry.get("code_set")))
        except ValueError:
            continue  # a code set a newer CodeAtlas knows: not ours to report
        releases.setdefault(code_set, str(entry.get("release") or ""))
    held = tuple((code_set, releases[code_set]) for code_set in CodeSet if code_set in releases)
    missing = tuple(code_set for code_set in PUBLIC_CODE_SETS if code_set not in releases)
    return Coverage(held, missing)


def read_coverage(folder: Path) -> Coverage:
    """The coverage of the index in folder (IndexProblem when it has no readable manifest)."""
    return coverage_of(Manifest.read(folder))


def example_queries(code_sets: Iterable[CodeSet]) -> list[str]:
    """Queries that find something in the given code sets, in the usual order."""
    held = set(code_sets)
    return [query for code_set in PUBLIC_CODE_SETS if code_set in held for query in EXAMPLE_QUERIES[code_set]]


def placeholder(code_sets: Iterable[CodeSet]) -> str:
    """The search bar's hint, suggesting only queries the index can answer."""
    examples = example_queries(code_sets)
    return "Search a code or words: " + ", ".join(examples) if examples else "Search a code or words"

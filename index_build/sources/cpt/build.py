"""Merges the user's CPT files into one entry per code and turns the entries into index records."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.core.records import CodeRecord, CodeSet, Kind, SourceRelease
from index_build.sources.base import Parsed, SourceFile
from index_build.sources.cpt.layout import is_code
from index_build.sources.cpt.parse import ROLES, CptFile
from index_build.sources.cpt.sections import Section, code_form, code_order, section_for, with_ancestors

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_MODIFIER_RANK = 9  # modifiers list after every code


@dataclass
class Descriptors:
    """The long, medium and short descriptors of one code, from whichever files gave them."""

    long: str = ""
    medium: str = ""
    short: str = ""

    def offer(self, role: str, text: str) -> bool:
        """Keep text unless this role already has one (the first file picked wins); True if kept."""
        if getattr(self, role):
            return False
        setattr(self, role, text)
        return True

    @property
    def title(self) -> str:
        return self.long or self.medium or self.short

    @property
    def short_title(self) -> str:
        if self.long:
            return self.short or self.medium
        return self.short if self.medium else ""


@dataclass
class Merged:
    codes: dict[str, Descriptors] = field(default_factory=dict)
    modifiers: dict[str, Descriptors] = field(default_factory=dict)
    repeated: Counter[str] = field(default_factory=Counter)  # file -> rows another file already gave

    def forms(self) -> dict[str, int]:
        return dict(Counter(code_form(code) for code in sorted(self.codes, key=code_order)))

    def roles(self) -> dict[str, int]:
        """How many codes and modifiers have each kind of descriptor."""
        entries = [*self.codes.values(), *self.modifiers.values()]
        return {role: sum(1 for entry in entries if getattr(entry, role)) for role in ROLES}


def merge(files: list[CptFile]) -> Merged:
    merged = Merged()
    for cpt_file in files:
        for row in cpt_file.rows:
            target = merged.codes if is_code(row.code) else merged.modifiers
            if not target.setdefault(row.code, Descriptors()).offer(cpt_file.role, row.descriptor):
                merged.repeated[cpt_file.name] += 1
    return merged


def release_for(paths: list[Path]) -> SourceRelease:
    """AMA releases carry the year in their folder or file names; otherwise say when it was imported."""
    names = " ".join(f"{path.parent.name} {path.name}" for path in paths)
    years = sorted(set(_YEAR.findall(names)))
    files = tuple(path.name for path in paths)
    if years:
        return SourceRelease(CodeSet.CPT, f"CPT {years[-1]} (your licensed data files)", f"{years[-1]}-01-01", files)
    today = dt.date.today().isoformat()
    return SourceRelease(CodeSet.CPT, f"CPT (your licensed data files, imported {today})", today, files)


def _attributes(code: str, entry: Descriptors) -> tuple[tuple[str, str], ...]:
    """The category, and the medium descriptor when neither title nor short_title already shows it."""
    pairs = [("Category", code_form(code))]
    if entry.medium and entry.medium not in (entry.title, entry.short_title):
        pairs.append(("Medium descriptor", entry.medium))
    return tuple(pairs)


def to_parsed(merged: Merged, files: list[CptFile], release: SourceRelease) -> Parsed:
    """Section headers (only those holding a code), codes under them, then the modifiers."""
    codes = sorted(merged.codes, key=code_order)
    sections: dict[str, Section] = {}
    parents: dict[str, str] = {}
    for code in codes:
        section = section_for(code)
        if section is not None:
            parents[code] = section.code
            sections.update((s.code, s) for s in with_ancestors(section))
    keyed: list[tuple[tuple[int, int, int], CodeRecord]] = []
    for section in sections.values():
        (rank, start), (_, end) = section.bounds
        # A header sorts before the codes it holds; a wider one before the narrower ones inside it.
        keyed.append(
            (
                (rank, start, start - end),
                CodeRecord(
                    CodeSet.CPT,
                    section.code,
                    section.name,
                    Kind.SECTION,
                    parent=section.parent,
                    code_range=section.code,
                ),
            )
        )
    for code in codes:
        entry = merged.codes[code]
        rank, number = code_order(code)
        keyed.append(
            (
                (rank, number, 1),
                CodeRecord(
                    CodeSet.CPT,
                    code,
                    entry.title,
                    Kind.CODE,
                    parent=parents.get(code, ""),
                    billable=True,
                    short_title=entry.short_title,
                    attributes=_attributes(code, entry),
                    search_terms=(entry.medium,) if entry.medium and entry.long and entry.short else (),
                ),
            )
        )
    for number, code in enumerate(sorted(merged.modifiers)):
        entry = merged.modifiers[code]
        keyed.append(
            (
                (_MODIFIER_RANK, number, 1),
                CodeRecord(
                    CodeSet.CPT,
                    code,
                    entry.title,
                    Kind.MODIFIER,
                    short_title=entry.short_title,
                    attributes=tuple(pair for pair in _attributes(code, entry) if pair[0] != "Category"),
                ),
            )
        )
    keyed.sort(key=lambda pair: pair[0])
    records = [replace(record, order=order) for order, (_, record) in enumerate(keyed)]
    parsed = Parsed(records=records, releases=[release])
    parsed.files_used = [
        SourceFile(f.path, f"cpt-{'columns' if f.chosen else f.role}", CodeSet.CPT, release.release, release.effective)
        for f in files
    ]
    parsed.counts = {**merged.forms(), "modifiers": len(merged.modifiers), "code ranges": len(sections)}
    parsed.warnings = [
        f"{name}: {count:,} rows repeat a descriptor an earlier file gave; the first was kept"
        for name, count in merged.repeated.items()
    ]
    return parsed

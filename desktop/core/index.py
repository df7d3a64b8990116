"""Opens a built index read-only and fetches a code's full detail by code."""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from desktop.core.manifest import IndexProblem, Manifest
from desktop.core.records import (
    CodeRecord,
    CodeSet,
    GuidelineSection,
    Kind,
    Note,
    NoteKind,
    PcsAxis,
    PcsDefinition,
    PcsDeviceAggregate,
    doc_id,
)
from desktop.core.schema import SCHEMA_VERSION, decode, find_document, from_plain, record_from_stored, stored_terms

GUIDELINE_SUBSECTIONS = 80  # subsections whose text a guideline section shows with its own (Section I has 400)


@dataclass(frozen=True, slots=True)
class TermRef:
    """An index term that leads to a code, as stored with that code."""

    source: str  # alphabetic, external, drug, neoplasm, pcs, hcpcs-drug, hcpcs-index
    text: str  # "Attack, heart"
    column: str  # Drug / Neoplasm table column
    code: str  # the code as printed in the index ("T39.01-")


@dataclass(frozen=True, slots=True)
class ChildRef:
    """A child code as listed under its parent."""

    code: str
    title: str
    kind: Kind
    billable: bool


@dataclass(frozen=True)
class CodeDetail:
    """Everything the three tabs show for one code."""

    record: CodeRecord
    terms: tuple[TermRef, ...]
    ancestors: tuple[CodeRecord, ...]  # root first: chapter, section, category, ...
    children: tuple[ChildRef, ...]


def verify_index(folder: Path) -> list[str]:
    """Full check against the manifest's sha256 sums; returns the names of damaged or missing files."""
    return Manifest.read(folder).verify(folder)


class CodeIndex:
    """A read-only view of one index folder; safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = Manifest.read(folder)
        version = self.manifest.schema_version
        if version != SCHEMA_VERSION:
            raise IndexProblem(
                f"The index in {folder} was built by another version of CodeAtlas "
                f"(index format {version}, this program reads format {SCHEMA_VERSION}). Rebuild it."
            )
        self.manifest.check_sizes(folder)
        try:
            # Without mmap Whoosh reads only what is asked for: opening costs ~3 ms instead of ~90 ms
            # and the process stays ~250 MB smaller.
            self._ix = FileStorage(str(folder), supports_mmap=False).open_index()
            self._searcher: Searcher = self._ix.searcher()
        except Exception as exc:  # whoosh raises many types for damaged segments
            raise IndexProblem(f"The index in {folder} is damaged and cannot be opened ({exc}).") from exc
        self._lock = threading.Lock()
        self._tables: dict[str, CodeRecord] = {}
        # The index never changes while open: the modifier list every HCPCS code shows is read once.
        self._of_kind: dict[tuple[str, str], list[CodeRecord]] = {}
        self._guidelines: dict[tuple[str, tuple[str, ...]], list[GuidelineSection]] = {}

    @property
    def whoosh_index(self) -> Any:
        return self._ix

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._ix.close()

    def releases(self) -> list[dict[str, Any]]:
        return list(self.manifest.code_sets)

    def _stored(self, doc_key: str) -> dict[str, Any] | None:
        with self._lock:
            number = find_document(self._searcher.reader(), doc_key)
            if number is None:
                return None
            fields: dict[str, Any] = self._searcher.reader().stored_fields(number)
            return fields

    def record(self, code_set: CodeSet | str, code: str) -> CodeRecord | None:
        stored = self._stored(doc_id(code_set, code))
        if stored is None:
            return None
        return self._complete(record_from_stored(stored))

    def _complete(self, record: CodeRecord) -> CodeRecord:
        """Give a PCS code (or body part) back the axes the writer left out, from its table's rows."""
        if record.code_set is not CodeSet.ICD10PCS or record.axes or len(record.code) not in (4, 7):
            return record
        table = self._tables.get(record.code[:3])
        if table is None:
            table = self.record(CodeSet.ICD10PCS, record.code[:3])
            if table is None:
                return record
            self._tables[record.code[:3]] = table
        return dataclasses.replace(record, axes=pcs_axes(table, record.code))

    def detail(self, code_set: CodeSet | str, code: str) -> CodeDetail | None:
        stored = self._stored(doc_id(code_set, code))
        if stored is None:
            return self.guideline_detail(code_set, code)
        record = self._complete(record_from_stored(stored))
        terms = tuple(TermRef(*item) for item in stored_terms(stored))
        ancestors: list[CodeRecord] = []
        parent = record.parent
        while parent and len(ancestors) < 12:
            found = self.record(record.code_set, parent)
            if found is None:
                break
            ancestors.append(found)
            parent = found.parent
        ancestors.reverse()
        return CodeDetail(record, terms, tuple(ancestors), tuple(self.children(record.code_set, record.code)))

    def children(self, code_set: CodeSet | str, code: str) -> list[ChildRef]:
        # The parent's few postings, the code set checked on the stored fields (see guidelines()).
        with self._lock:
            results = [
                fields
                for hit in self._searcher.search(Term("parent", code), limit=None)
                if (fields := hit.fields()).get("code_set") == str(code_set)
            ]
        results.sort(key=lambda fields: fields.get("order", 0))
        return [ChildRef(hit["code"], hit["title"], Kind(hit["kind"]), bool(hit.get("billable"))) for hit in results]

    def guidelines(self, code_set: CodeSet | str, keys: Iterable[str]) -> list[GuidelineSection]:
        """Guideline sections of a code set whose applicability keys meet any of keys."""
        wanted = sorted({key.lower() for key in keys})
        if not wanted:
            return []
        known = self._guidelines.get((str(code_set), tuple(wanted)))
        if known is not None:
            return list(known)
        # Only guideline sections carry `applies` (the writer sets it on nothing else): its few postings
        # are read and the code set checked on the decoded sections. And-ing Term("code_set") in made
        # Whoosh skip through that term's ~100k postings block by block, ~0.1 s a call on a cold cache.
        query = Or([Term("applies", key) for key in wanted])
        with self._lock:
            found = [decode(GuidelineSection, hit["detail"]) for hit in self._searcher.search(query, limit=None)]
        sections = [section for section in found if section.code_set == str(code_set)]
        sections.sort(key=lambda s: _section_sort_key(s.number))
        self._guidelines[(str(code_set), tuple(wanted))] = sections
        return list(sections)

    def _guideline_titles(self, code_set: CodeSet | str) -> dict[str, str]:
        """Every guideline section number of a code set with its title, in document order (read once)."""
        key = (str(code_set), "guideline-titles")
        known = self._of_kind.get(key)
        if known is None:
            # The kind's few hundred postings, the code set checked on the stored fields (see guidelines()).
            with self._lock:
                results = self._searcher.search(Term("kind", str(Kind.GUIDELINE)), limit=None)
                found = sorted(
                    (hit.docnum, hit["code"], hit["title"]) for hit in results if hit.get("code_set") == str(code_set)
                )
            known = self._of_kind[key] = [CodeRecord(CodeSet(code_set), c, t, Kind.GUIDELINE) for _, c, t in found]
        return {record.code: record.title for record in known}

    def guideline_detail(self, code_set: CodeSet | str, number: str) -> CodeDetail | None:
        """A guideline section opened as a result of its own: the enclosing sections as its ancestors, the
        sections one level down as its children; its notes are its own text, then each subsection's text
        (as the PDF prints them together), whose titles are the record's 'section <number>' attributes."""
        stored = self._stored(f"{code_set}:guideline:{number}")
        if stored is None or not stored.get("detail"):
            return None
        section = decode(GuidelineSection, stored["detail"])
        titles = self._guideline_titles(code_set)
        enclosing = [".".join(section.number.split(".")[:n]) for n in range(1, section.number.count(".") + 1)]
        ancestors = tuple(CodeRecord(section.code_set, n, titles[n], Kind.GUIDELINE) for n in enclosing if n in titles)
        below = [n for n in titles if n.startswith(section.number + ".")][:GUIDELINE_SUBSECTIONS]
        children = tuple(
            ChildRef(n, titles[n], Kind.GUIDELINE, False) for n in below if "." not in n[len(section.number) + 1 :]
        )
        notes = [Note(NoteKind.NOTES, section.text, section.number, Kind.GUIDELINE)]
        for sub in below:
            found = self._stored(f"{code_set}:guideline:{sub}")
            if found is not None and found.get("detail"):
                notes.append(Note(NoteKind.NOTES, decode(GuidelineSection, found["detail"]).text, sub, Kind.GUIDELINE))
        facts = [("Document", section.document), ("Part", section.group), ("Applies to", ", ".join(section.applies_to))]
        facts += [(f"section {sub}", titles[sub]) for sub in below]
        record = CodeRecord(
            section.code_set,
            section.number,
            section.title,
            Kind.GUIDELINE,
            parent=ancestors[-1].code if ancestors else "",
            notes=tuple(notes),
            attributes=tuple((label, value) for label, value in facts if value),
        )
        return CodeDetail(record, (), ancestors, children)

    def definition(self, section: str, position: int, label: str) -> PcsDefinition | None:
        stored = self._stored(f"ICD-10-PCS:def:{section}:{position}:{label.lower()}")
        return None if stored is None else decode(PcsDefinition, stored["detail"])

    def device_aggregates(self) -> list[PcsDeviceAggregate]:
        stored = self._stored("ICD-10-PCS:device-aggregation")
        if stored is None:
            return []
        return [from_plain(PcsDeviceAggregate, item) for item in json.loads(stored["detail"])]

    def records_of_kind(self, code_set: CodeSet | str, kind: Kind) -> list[CodeRecord]:
        """All records of one kind in code order, e.g. every HCPCS modifier."""
        known = self._of_kind.get((str(code_set), str(kind)))
        if known is not None:
            return list(known)
        # The kind's postings only (a few hundred modifiers), the code set checked on the stored fields.
        with self._lock:
            results = [
                fields
                for hit in self._searcher.search(Term("kind", str(kind)), limit=None)
                if (fields := hit.fields()).get("code_set") == str(code_set)
            ]
        results.sort(key=lambda fields: fields.get("order", 0))
        found = [record_from_stored(fields) for fields in results]
        self._of_kind[(str(code_set), str(kind))] = found
        return list(found)


def pcs_axes(table: CodeRecord, code: str) -> tuple[PcsAxis, ...]:
    """The seven axes of a PCS code (four of a body part) from its table record (positions 1-3) and
    the row holding it."""
    axes = list(table.axes[:3])
    if len(code) == 4:
        for row in table.rows:
            found = next((axis for axis in row.axes[0] if axis.value == code[3]), None) if row.axes else None
            if found is not None:
                return (*axes, found)
        return tuple(axes)
    for row in table.rows:
        picked = []
        for position_values, char in zip(row.axes, code[3:7], strict=False):
            match = next((axis for axis in position_values if axis.value == char), None)
            if match is None:
                break
            picked.append(match)
        if len(picked) == 4:
            return (*axes, *picked)
    return tuple(axes)


def _section_sort_key(number: str) -> list[tuple[int, Any]]:
    """Sort 'I.C.4.a.2' and 'B3.10a' naturally."""
    parts = re.findall(r"\d+|[A-Za-z]+", number)
    return [(0, int(p)) if p.isdigit() else (1, p) for p in parts]

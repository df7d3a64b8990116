"""Parse the ICD-10-CM tabular XML: chapters, sections, codes, notes and expanded 7th characters."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.codes import code_key, icd10cm_display
from desktop.core.records import CodeRecord, CodeSet, Kind, Note, NoteKind, SeventhCharacter
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.xml_util import element_text, parse_xml, require_text

from . import seventh
from .refs import find_code_refs

CM = CodeSet.ICD10CM
_NOTE_TAGS = {kind.value: kind for kind in NoteKind if kind is not NoteKind.PROCESSING_NOTE}
# Structure the parser reads itself; anything else is reported once as a warning.
_STRUCTURAL = {"name", "desc", "diag", "section", "sectionIndex", "sevenChrDef", "visualImpairment"}


@dataclass
class Tabular:
    """The parsed tabular: records in tabular order, plus what the build summary reports."""

    records: list[CodeRecord] = field(default_factory=list)
    version: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Inherited:
    """What a level passes down to its descendants."""

    values: tuple[SeventhCharacter, ...] = ()
    rules: tuple[seventh.SeventhRule, ...] = ()


class _TabularParser:
    def __init__(self, source: SourceFile, root: ET.Element) -> None:
        self.source = source
        self.root = root
        self.result = Tabular(version=element_text(root.find("version")))
        self.keys = {code_key(element_text(name)) for name in root.iter("name")}
        self.unknown: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------------

    def _known(self, key: str) -> bool:
        """Whether a key cited in a note is a tabular code (7-character codes via their base)."""
        if key in self.keys:
            return True
        return len(key) == 7 and (key[:6] in self.keys or key[:6].rstrip("X") in self.keys)

    def _add(self, record: CodeRecord) -> None:
        self.result.records.append(record)
        self.result.counts[str(record.kind)] += 1
        if record.billable:
            self.result.counts["billable codes"] += 1
        for note in record.notes:
            self.result.counts[f"notes: {note.kind}"] += 1

    def _note(self, kind: NoteKind, text: str, code: str, level: Kind) -> Note:
        return Note(kind, text, code, level, find_code_refs(text, self._known))

    def _notes(self, element: ET.Element, code: str, level: Kind) -> list[Note]:
        """The instructional notes an element declares, in document order."""
        notes: list[Note] = []
        for child in element:
            kind = _NOTE_TAGS.get(child.tag)
            if kind is not None:
                notes.extend(
                    self._note(kind, text, code, level)
                    for text in (element_text(note) for note in child.findall("note"))
                    if text
                )
            elif child.tag == "visualImpairment":
                notes.append(self._note(NoteKind.NOTES, _visual_impairment(child), code, level))
            elif child.tag not in _STRUCTURAL and child.tag not in self.unknown:
                self.unknown.add(child.tag)
                self.result.warnings.append(f"{self.source.name}: <{child.tag}> in <{element.tag}> not read")
        return notes

    # -- levels ----------------------------------------------------------------------------------

    def parse(self) -> Tabular:
        chapters = self.root.findall("chapter")
        if not chapters:
            raise SourceError(self.source.name, "no <chapter> in the tabular", element=self.root.tag)
        for chapter in chapters:
            self._chapter(chapter)
        return self.result

    def _chapter(self, chapter: ET.Element) -> None:
        number = require_text(self.source, chapter, "name", "")
        sections = chapter.findall("section")
        ids = [_section_id(self.source, section) for section in sections]
        code_range = f"{ids[0].split('-')[0]}-{ids[-1].split('-')[-1]}" if ids else ""
        self._add(
            CodeRecord(
                CM,
                number,
                require_text(self.source, chapter, "desc", f"chapter {number}"),
                Kind.CHAPTER,
                notes=tuple(self._notes(chapter, number, Kind.CHAPTER)),
                code_range=code_range,
                order=len(self.result.records) + 1,
            )
        )
        # Some sections only group later ones (C00-C96 over C00-C75 over C00-C14): nest each
        # section under the nearest earlier one whose range holds it, so their notes inherit.
        open_sections: list[tuple[str, str, str]] = []  # (code, first, last)
        for section, section_id in zip(sections, ids, strict=True):
            first, _, last = section_id.partition("-")
            last = last or first
            while open_sections and not (open_sections[-1][1] <= first and last <= open_sections[-1][2]):
                open_sections.pop()
            parent = open_sections[-1][0] if open_sections else number
            # A one-category section (C50) would share its code with the category: spell it C50-C50.
            code = section_id if "-" in section_id else f"{section_id}-{section_id}"
            self._section(section, code, section_id, parent)
            open_sections.append((code, first, last))

    def _section(self, section: ET.Element, code: str, code_range: str, parent: str) -> None:
        self._add(
            CodeRecord(
                CM,
                code,
                require_text(self.source, section, "desc", f"section {code_range}"),
                Kind.SECTION,
                parent=parent,
                notes=tuple(self._notes(section, code, Kind.SECTION)),
                code_range=code_range,
                order=len(self.result.records) + 1,
            )
        )
        for diag in section.findall("diag"):
            self._diag(diag, code, _Inherited())

    def _diag(self, diag: ET.Element, parent: str, inherited: _Inherited) -> None:
        name = require_text(self.source, diag, "name", f"under {parent}")
        key = code_key(name)
        code = icd10cm_display(key)
        title = require_text(self.source, diag, "desc", code)
        declared: tuple[SeventhCharacter, ...] = ()
        loose: tuple[str, ...] = ()
        definition = diag.find("sevenChrDef")
        if definition is not None:
            try:
                declared, loose = seventh.read_definition(definition)
            except ValueError as exc:
                raise SourceError(self.source.name, f"{code}: {exc}", element="sevenChrDef") from exc
        children = diag.findall("diag")
        seventh_chars = declared or inherited.values
        # Only a leaf without 7th characters is reportable; a 3-character one stays a category.
        billable = not children and not seventh_chars
        kind = Kind.CATEGORY if len(key) == 3 else Kind.CODE if billable else Kind.SUBCATEGORY
        notes = self._notes(diag, code, kind)
        notes.extend(self._note(NoteKind.SEVENTH_CHAR_NOTE, text, code, kind) for text in loose)
        rules = seventh.read_rules([note.text for note in notes if note.kind is NoteKind.NOTES])
        passed = _Inherited(seventh_chars, inherited.rules + rules)
        order = len(self.result.records) + 1
        if children or billable:
            self._add(
                CodeRecord(
                    CM,
                    code,
                    title,
                    kind,
                    parent,
                    billable=billable,
                    notes=tuple(notes),
                    seventh_chars=declared,
                    order=order,
                )
            )
            for child in children:
                self._diag(child, code, passed)
            return
        # A leaf that takes a 7th character is not itself reportable: it lists the values it
        # inherits and each value becomes a billable code titled as CDC's order file titles it.
        self._add(
            CodeRecord(CM, code, title, kind, parent, notes=tuple(notes), seventh_chars=passed.values, order=order)
        )
        for full, value in seventh.expand(key, passed.values, passed.rules):
            self._add(
                CodeRecord(
                    CM,
                    full,
                    f"{title}, {value.meaning}",
                    Kind.CODE,
                    code,
                    billable=True,
                    order=len(self.result.records) + 1,
                )
            )


def _section_id(source: SourceFile, section: ET.Element) -> str:
    section_id = (section.get("id") or "").strip()
    if not section_id:
        raise SourceError(source.name, "a <section> has no id", element="section")
    return section_id


def _visual_impairment(element: ET.Element) -> str:
    """The WHO visual impairment table of H54 as text: a heading line, then one line per category."""
    categories = element.findall("visCategory")
    if not categories:
        return ""
    # The first visCategory holds the column headings instead of values.
    head = categories[0]
    head_range = head.find("visRange")
    max_label = element_text(head.find("visRange/visMax")).rstrip(":") or "Maximum less than"
    min_label = element_text(head.find("visRange/visMin")).rstrip(":") or "Minimum equal to or better than"
    range_label = element_text(head_range.find("heading")) if head_range is not None else ""
    lines = [" - ".join(filter(None, (element_text(head.find("heading")), range_label)))]
    for category in categories[1:]:
        highs = [element_text(r.find("visMax")) for r in category.findall("visRange")]
        lows = [element_text(r.find("visMin")) for r in category.findall("visRange")]
        if len(highs) == 1 and not any(lows):  # a statement, not a range: "No light perception"
            parts = highs
        else:
            parts = [f"{max_label.lower()} {', '.join(filter(None, highs))}" if any(highs) else ""]
            parts.append(f"{min_label.lower()} {', '.join(filter(None, lows))}" if any(lows) else "")
        lines.append(f"Category {element_text(category.find('value'))}: " + "; ".join(filter(None, parts)))
    return "\n".join(lines)


def parse_tabular(source: SourceFile) -> Tabular:
    """Parse one tabular XML file (root ICD10CM.tabular) into CodeRecords in tabular order."""
    return _TabularParser(source, parse_xml(source, "ICD10CM.tabular")).parse()

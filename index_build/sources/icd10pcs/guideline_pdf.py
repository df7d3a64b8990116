"""Split the official ICD-10-PCS guidelines PDF into its numbered sections (A1, B3.4a ... F).

The PDF prints each guideline as an optional short heading line ("Biopsy procedures"), a line
holding its number ("B3.4a", sometimes followed by the first words), then its text. Parts open
with "A. Conventions", "B. Medical and Surgical Section Guidelines (section 0)" ...; the B part
has group headings ("2. Body System" or "B3. Root Operation"). Part F (Selection of Principal
Procedure) has no numbered guidelines and becomes one section "F". Running page headers and page
numbers are dropped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from index_build.sources.base import SourceError, SourceFile

from .guidelines import DOCUMENT, RawSection

_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00a0": " "})
_RUNNING_HEADER = re.compile(r"^ICD-10-PCS Official Guidelines for Coding and Reporting\s*(FY\s*)?\d{4}$", re.I)
_PAGE_NUMBER = re.compile(r"^(Page\s+)?\d{1,3}(\s+of\s+\d{1,3})?$", re.I)
_NUMBER_LINE = re.compile(
    r"^(?P<number>A\d{1,2}|B\d{1,2}\.\d{1,2}[a-z]?|[CDE]\d{1,2}(?:\.[a-z])?)(?:\.?(?=\s)|$)\s*(?P<rest>.*)$"
)
_PART = re.compile(r"^(?P<letter>[A-F])\.\s+(?P<title>[A-Z].{2,})$")
_GROUP = re.compile(r"^B?\d{1,2}\.\s+(?P<title>[A-Z][A-Za-z ,/-]{2,60})$")
_SECTION_NOTE = re.compile(r"\s*\(section\s+\w\)\s*$", re.I)


def pdf_text(source: SourceFile, max_pages: int | None = None) -> str:
    """The text layer of the PDF (or its first pages), hyphens and spaces normalised."""
    from pypdf import PdfReader  # imported here: only PDF sources need it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(source.read_bytes()))
        pages = reader.pages if max_pages is None else reader.pages[:max_pages]
        return "\n".join((page.extract_text() or "") for page in pages).translate(_HYPHENS)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(source.name, f"not a readable PDF ({exc})") from exc


def is_guidelines_pdf(first_pages: str) -> bool:
    return DOCUMENT.lower() in " ".join(first_pages.split()).lower()


@dataclass
class _Open:
    number: str
    title: str
    group: str
    lines: list[str] = field(default_factory=list)
    part: bool = False  # a part heading waiting to see whether numbered guidelines follow


def _is_heading(line: str) -> bool:
    return (
        len(line) <= 80
        and line[:1].isupper()
        and not line.endswith((".", ":", ";", ","))
        and not line.startswith(("•", "-", "Example"))
    )


class _Splitter:
    def __init__(self) -> None:
        self.sections: list[RawSection] = []
        self.seen: set[str] = set()
        self.current: _Open | None = None
        self.part = ""
        self.group = ""

    def close(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        text = "\n".join(current.lines).strip()
        if current.part and not text:
            return
        self.sections.append(RawSection(current.number, current.title, text, current.group))

    def feed(self, line: str) -> None:
        part = _PART.match(line)
        if part and part.group("letter") not in self.seen:
            self.close()
            self.part = part.group("letter")
            self.seen.add(self.part)
            self.group = _SECTION_NOTE.sub("", part.group("title"))
            self.current = _Open(self.part, self.group, self.group, part=True)
            return
        group = _GROUP.match(line)
        if self.part == "B" and group and len(line.split()) <= 6:
            self.group = group.group("title").strip()
            return
        number = _NUMBER_LINE.match(line)
        if number and number.group("number") not in self.seen:
            self.seen.add(number.group("number"))
            title = self.group
            if self.current is not None and self.current.lines and _is_heading(self.current.lines[-1]):
                title = self.current.lines.pop()
            self.close()
            rest = number.group("rest").strip()
            self.current = _Open(number.group("number"), title, self.group, [rest] if rest else [])
            return
        if self.current is not None:
            self.current.lines.append(line)


def split_sections(text: str) -> list[RawSection]:
    """The numbered sections of the guidelines text, in document order."""
    splitter = _Splitter()
    for raw in text.translate(_HYPHENS).splitlines():
        line = " ".join(raw.split())
        if not line or _RUNNING_HEADER.match(line) or _PAGE_NUMBER.match(line):
            continue
        splitter.feed(line)
    splitter.close()
    return splitter.sections


def read_pdf(source: SourceFile, release: str) -> tuple[str, list[RawSection]]:
    """(document title, sections) of the official guidelines PDF."""
    sections = split_sections(pdf_text(source))
    if not sections:
        raise SourceError(source.name, "no numbered guideline sections (A1, B3.4a ...) found in the PDF text")
    return f"{DOCUMENT} {release}", sections

"""Split the ICD-10-CM Official Guidelines PDF into numbered sections (I.A.1 ... IV.J)."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from desktop.core.records import CodeSet, GuidelineSection
from index_build.sources.base import SourceError, SourceFile

TITLE_PHRASE = "icd-10-cm official guidelines for coding and reporting"
_DOCUMENT = re.compile(r"ICD-10-CM Official Guidelines for Coding and Reporting(?:\s+(FY\s*\d{4}))?", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_PAGE_SUFFIX = re.compile(r"\s+page\s+\d{1,4}(?:\s+of\s+\d{1,4})?$", re.I)
_TOC_LINE = re.compile(r"\.{4,}\s*\d{1,4}$")  # dot leaders and a page number
_TOC_TITLE = re.compile(r"^(?:table of )?contents$", re.I)
_BULLET = re.compile(r"^(?:[•\u2022\uf0b7\u25aa\u25cf\u2013-]|o\s)\s*")
_ROMAN = {"i": 1, "v": 5, "x": 10}
_CATEGORY = re.compile(r"(?<![A-Za-z0-9.])([A-Z]\d[0-9A-Z])(?=[.\-]|\b)")

# Heading patterns by depth: Section I. / A. / 1. / a. / 1) / (a) / (i)
_LEVELS: tuple[tuple[int, re.Pattern[str], str], ...] = (
    (1, re.compile(r"^Section\s+([IVX]+)\.?\s+(.+)$"), "roman"),
    (1, re.compile(r"^(Appendix\s+[IVX]+)\.?\s*[:.\-–]?\s*(.*)$"), "appendix"),
    (2, re.compile(r"^([A-Z])\.\s+(.+)$"), "upper"),
    (3, re.compile(r"^(\d{1,2})\.\s+(.+)$"), "digit"),
    (4, re.compile(r"^([a-z])\.\s+(.+)$"), "lower"),
    (5, re.compile(r"^(\d{1,2})\)\s+(.+)$"), "digit"),
    (6, re.compile(r"^\(([a-z])\)\s+(.+)$"), "lower"),
    (7, re.compile(r"^\(([ivx]+)\)\s+(.+)$"), "roman"),
)


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _ordinal(label: str, style: str) -> int:
    if style == "digit":
        return int(label)
    if style == "roman":
        return _roman(label)
    if style == "appendix":
        return 0  # appendices follow the sections and are never part of a numbering run
    return ord(label.lower()) - ord("a") + 1


def is_guidelines_text(text: str) -> bool:
    """Whether extracted PDF text is the ICD-10-CM Official Guidelines."""
    return TITLE_PHRASE in re.sub(r"\s+", " ", text).lower()


def document_title(text: str) -> str:
    """'ICD-10-CM Official Guidelines for Coding and Reporting FY 2026', as the cover names it."""
    match = _DOCUMENT.search(re.sub(r"\s+", " ", text))
    fiscal = re.sub(r"FY\s*", "FY ", match.group(1)) if match and match.group(1) else ""
    return f"ICD-10-CM Official Guidelines for Coding and Reporting {fiscal}".strip()


def read_pages(source: SourceFile, first: int | None = None) -> list[str]:
    """Text of each page (or of the first `first` pages), extracted with pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(source.read_bytes()))
        pages = reader.pages if first is None else reader.pages[:first]
        return [page.extract_text() or "" for page in pages]
    # pypdf reports damaged files with its own errors and, deeper down, with plain ones
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise SourceError(source.name, f"unreadable PDF ({exc})") from exc


# -- cleaning ----------------------------------------------------------------------------------------


def _is_toc_page(lines: list[str]) -> bool:
    if any(_TOC_TITLE.match(line) for line in lines[:6]):
        return True
    leaders = sum(1 for line in lines if _TOC_LINE.search(line))
    return leaders >= 3 and leaders * 3 >= len(lines)


def clean_pages(pages: list[str]) -> list[str]:
    """The body lines of all pages: no page headers/footers, page numbers or table-of-contents pages."""
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    # A header or footer is a line at the top or bottom of many pages (digits ignored: page numbers).
    seen: Counter[str] = Counter()
    for lines in split:
        seen.update({re.sub(r"\d+", "#", line) for line in lines[:2] + lines[-2:]})
    repeated = {sig for sig, count in seen.items() if count >= max(3, len(pages) * 0.3)}
    body: list[str] = []
    for lines in split:
        if _is_toc_page(lines):
            continue
        for index, line in enumerate(lines):
            edge = index < 2 or index >= len(lines) - 2
            if edge and re.sub(r"\d+", "#", line) in repeated:
                continue
            if _PAGE_NUMBER.match(line) or _TOC_LINE.search(line):
                continue
            line = _PAGE_SUFFIX.sub("", line) if edge else line
            body.append(line.replace("\uf0b7", "•"))
    return body


# -- splitting ---------------------------------------------------------------------------------------


@dataclass
class _Open:
    number: str
    title: str
    depth: int
    lines: list[str]


def _heading(line: str, state: list[int]) -> tuple[int, str, str, int] | None:
    """(depth, label, title, ordinal) when the line is the next heading the numbering allows."""
    for depth, pattern, style in _LEVELS:
        match = pattern.match(line)
        if not match:
            continue
        label, title = match.group(1), match.group(2).strip().rstrip(":").strip()
        first = title.lstrip("\"'“‘([")[:1]  # headings may open with a quote: 14. “And”
        if depth > 1 and (not first or not (first.isupper() or first.isdigit())):
            continue
        ordinal = _ordinal(label, style)
        if depth == 1:
            # Section I (again, after a contents list), the next section, or an appendix
            if style == "appendix" or ordinal == 1 or (state and ordinal == state[0] + 1):
                return depth, label, title, ordinal
            continue
        fits_next = depth <= len(state) and state[depth - 1] + 1 == ordinal
        fits_child = depth == len(state) + 1 and ordinal == 1
        if state and (fits_next or fits_child):
            return depth, label, title, ordinal
    return None


def _join(lines: list[str], width: int) -> str:
    """Reflow extracted lines into paragraphs: a new one after a short finished line or at a bullet."""
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            line = "• " + line[bullet.end() :]
        ended = previous.endswith(":") or (len(previous) < width * 0.7 and previous.endswith((".", "?")))
        if not paragraphs or bullet or ended:
            paragraphs.append(line)
        elif re.search(r"[a-z]-$", previous) and line[:1].islower():  # "chapter-" + "specific"
            paragraphs[-1] += line
        else:
            paragraphs[-1] += " " + line
        previous = line
    return "\n".join(paragraphs)


_CONNECTOR = re.compile(r"(?:,|-|\b(?:the|a|an|and|or|of|in|on|to|for|with|without|by|due|as|at|from|other))$", re.I)


def _runs_on(title: str, line: str, width: int) -> str:
    """Whether a heading line continues on the next line (long bold headings wrap)."""
    if title.count("(") > title.count(")") or _CONNECTOR.search(title):
        return "surely"
    return "maybe" if len(line) >= width * 0.8 and not line.endswith((".", ":")) else ""


def _inline_text(title: str) -> tuple[str, str]:
    """Split 'Sepsis: For a diagnosis of sepsis, assign ...' into a title and the start of its text."""
    head, colon, rest = title.partition(": ")
    if (
        colon
        and len(head) <= 60
        and len(rest) > 30
        and rest[:1].isupper()
        and not head.lower().startswith(("chapter", "section"))
    ):
        return head.strip(), rest.strip()
    return title, ""


def split_sections(pages: list[str], document: str = "") -> list[GuidelineSection]:
    """Split the guideline pages' text into numbered sections with their titles and own text."""
    lines = clean_pages(pages)
    width = sorted(len(line) for line in lines)[int(len(lines) * 0.9)] if lines else 80
    state: list[int] = []  # ordinals of the open headings, one per depth
    labels: list[str] = []
    found: list[_Open] = []
    wrapped = ""  # whether the last heading runs on: "surely", "maybe" or ""
    opened = False  # the line before was a heading (or its continuation) with no text of its own
    for line in lines:
        heading = _heading(line, state)
        if heading is None:
            # text starts with a capital; a heading's words wrapped onto the next line need not
            # ("(b) Assigning and sequencing secondary diabetes codes and its" / "causes")
            # ("... of COVID-" / "For patients ...": the text layer lost the "19"; a capital starts the text)
            title_end = found[-1].title if found else ""
            hyphen_then_text = (
                title_end.endswith("-")
                and not title_end.endswith("non-")  # "(STEMI) and non-" / "ST elevation ..." runs on
                and bool(re.match(r"[A-Z][a-z]+\b", line))
            )
            if (
                (wrapped == "surely" and not hyphen_then_text)
                or (wrapped == "maybe" and len(line) < width * 0.6 and not line.endswith((".", ":")))
                or (opened and line[:1].islower())
            ):
                found[-1].title = f"{found[-1].title} {line}".rstrip(":").strip()
                wrapped = ""
                continue
            if found:
                found[-1].lines.append(line)
            wrapped, opened = "", False
            continue
        depth, label, title, ordinal = heading
        title, inline = _inline_text(title)
        if depth == 1:
            if label == "I" and found:  # "Section I" again: what came before was a contents list
                found.clear()
            state, labels = [ordinal], [label]
        else:
            state = [*state[: depth - 1], ordinal]
            labels = [*labels[: depth - 1], label]
        found.append(_Open(".".join(labels), title, depth, [inline] if inline else []))
        # "Appendix I" alone on its line: the title follows on the next one
        wrapped = "surely" if not title else "" if inline else _runs_on(title, line, width)
        opened = not inline
    return [_section(item, width, document) for item in found]


def _section(item: _Open, width: int, document: str) -> GuidelineSection:
    parts = item.number.split(".")
    text = _join(item.lines, width)
    chapter = parts[2] if len(parts) >= 3 and parts[:2] == ["I", "C"] and parts[2].isdigit() else ""
    # the categories a section names ('category N18', 'E11.-', 'I12-I13') reach codes of other chapters too
    # (a chapter heading's own range, 'Chapter 4: ... (E00-E89)', is what the chapter key already says)
    named = text if item.title.startswith("Chapter") else f"{item.title} {text}"
    cited = tuple(dict.fromkeys(f"code:{category}" for category in _CATEGORY.findall(named)))
    if chapter:
        group, applies_to = f"Chapter {chapter}", (f"chapter:{chapter}", *cited)
    elif item.number.startswith("Appendix"):
        group, applies_to = parts[0], ("all",)
    else:
        group, applies_to = f"Section {'.'.join(parts[:2])}", ("all", *cited)
    return GuidelineSection(
        CodeSet.ICD10CM,
        item.number,
        item.title,
        text,
        group=group,
        applies_to=applies_to,
        document=document,
    )


_TOC_ENTRY_END = re.compile(r"\s*\.{2,}\s*\d{1,3}$|\s+\d{1,3}$")


def contents_numbers(pages: list[str]) -> list[str]:
    """The section numbers the table of contents lists (entries wrap: joined up to their page number)."""
    numbers: list[str] = []
    state: list[int] = []
    labels: list[str] = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if not _is_toc_page(lines) and not sum(1 for line in lines if _TOC_LINE.search(line)) >= 5:
            continue
        pending = ""
        for line in lines:
            pending = f"{pending} {line}".strip()
            end = _TOC_ENTRY_END.search(pending)
            if end is None:
                continue
            entry, pending = pending[: end.start()].strip(), ""
            heading = _heading(entry, state)
            if heading is None:
                continue
            depth, label, _, ordinal = heading
            state, labels = [*state[: depth - 1], ordinal], [*labels[: depth - 1], label]
            numbers.append(".".join(labels))
    return list(dict.fromkeys(numbers))


@dataclass
class Guidelines:
    """The split guidelines and how they compare with the document's own table of contents."""

    sections: list[GuidelineSection]
    contents: list[str]  # numbers the table of contents lists
    missing: list[str]  # listed there but not split out of the text


def read_guidelines(source: SourceFile) -> Guidelines:
    """Read the guidelines PDF, split it and check the split against the table of contents."""
    pages = read_pages(source)
    sections = split_sections(pages, document_title(" ".join(pages[:3])))
    if not sections:
        raise SourceError(source.name, "no numbered guideline sections (Section I. ...) found")
    contents = contents_numbers(pages)
    found = {section.number for section in sections}
    return Guidelines(sections, contents, [number for number in contents if number not in found])


def parse_guidelines(source: SourceFile) -> list[GuidelineSection]:
    """Read the guidelines PDF and split it into sections; a PDF without any raises SourceError."""
    return read_guidelines(source).sections

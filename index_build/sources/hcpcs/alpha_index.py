"""The HCPCS Alpha-Numeric Index PDF: 'Term, subterm, A4462, E0950-E1030' lines under main terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index_build.sources.hcpcs.pdf_text import CODE, clean

_ITEM = rf"{CODE}(?:\s*-\s*{CODE})?"
# 'term, CODES' where trailing debris may follow the codes: 'K Codes', '(hospital reporting only)'
_ENTRY = re.compile(
    rf"^(?P<term>.*?)\s*,?\s+(?P<codes>{_ITEM}(?:\s*,\s*{_ITEM})*)\s*,?\s*(?:K Codes)?\s*(?P<tail>\([^()]*\))?\s*$"
)
_ITEM_RE = re.compile(rf"({CODE})(?:\s*-\s*({CODE}))?")
_SEE = re.compile(r"^(?P<term>.+?),\s*see\s+(?P<target>.+?)\s*$", re.IGNORECASE)
_SEE_ALSO = re.compile(r"\s*\((?:(?P<before>[^()]*?);\s*)?see also\s+(?P<target>[^()]*)\)", re.IGNORECASE)
_PAGE_HEADER = re.compile(r"^\d{4} HCPCS Alpha-Numeric Index \d+$|^HCPCS \d{4} Index$|^[A-Z]$|^\d+$")
_WRAPPED = re.compile(r"[,-]$")  # a code list that continues on the next line
_FIRST_HEADING = "A"


@dataclass(frozen=True)
class IndexEntry:
    """One term path of the index with the codes and ranges it lists, as printed."""

    path: tuple[str, ...]
    codes: tuple[tuple[str, str], ...]  # (first, last) per item; last is '' for a single code
    see: str = ""
    see_also: str = ""


@dataclass
class AlphaIndex:
    entries: list[IndexEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _lines(pages: list[list[str]]) -> list[str]:
    """Body lines in reading order: page furniture dropped, wrapped code lists re-joined."""
    out: list[str] = []
    started = False
    for lines in pages:
        for raw in lines:
            text = raw.strip()
            if not started:  # the title page's notice precedes the first letter heading
                started = text == _FIRST_HEADING
                continue
            if not text or _PAGE_HEADER.match(text) or text.lower().startswith("last updated"):
                continue
            if out and _WRAPPED.search(out[-1]) and re.match(CODE, text):
                joiner = "" if out[-1].endswith("-") else " "
                out[-1] = f"{out[-1]}{joiner}{text}"
            else:
                out.append(text)
    return out


def _split_see_also(term: str) -> tuple[str, str]:
    """'ESRD (End Stage Renal Disease; see also Dialysis)' -> ('ESRD (End Stage Renal Disease)', 'Dialysis')."""
    match = _SEE_ALSO.search(term)
    if not match:
        return clean(term), ""
    before = match.group("before")
    kept = f" ({before})" if before else ""
    return clean(term[: match.start()] + kept + term[match.end() :]), clean(match.group("target"))


def parse_entry(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """'Abdomen, pad, low profile, L1270' -> ('Abdomen, pad, low profile', (('L1270', ''),))."""
    match = _ENTRY.match(text)
    if not match or not match.group("term").strip():
        return text, ()
    items = tuple((m.group(1), m.group(2) or "") for m in _ITEM_RE.finditer(match.group("codes")))
    return match.group("term"), items


def parse_alpha_index(pages: list[list[str]]) -> AlphaIndex:
    """Every term path with its codes; lowercase lines are subterms of the main term above them."""
    index = AlphaIndex()
    main = ""
    path: tuple[str, ...]
    for text in _lines(pages):
        see = _SEE.match(text)
        if see and not _ENTRY.match(text):
            term = clean(see.group("term"))
            if term[0].islower() and main:
                path = (main, term)
            else:
                main, path = term, (term,)
            index.entries.append(IndexEntry(path=path, codes=(), see=clean(see.group("target"))))
            continue
        term, codes = parse_entry(text)
        term, see_also = _split_see_also(term)
        if not term:
            index.skipped.append(text)
            continue
        if term[0].islower():
            if not main:
                index.skipped.append(text)
                continue
            path = (main, term)
        else:
            main = term
            path = (term,)
        if codes or see_also:
            index.entries.append(IndexEntry(path=path, codes=codes, see_also=see_also))
    return index

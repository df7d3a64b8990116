"""Official guideline sections as hits of their own: by section number (I.C.4.a) or by the words of their text."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.analysis.tokenizers import default_pattern

from desktop.core.records import GuidelineSection, Hit, Kind, SearchFilters
from desktop.core.schema import STOP_WORDS, decode
from desktop.core.search.query import ParsedQuery, first_span, spans, stem

MOST = 8  # guideline rows a word search adds below its code hits
MOST_BY_NUMBER = 30  # a section typed by number and its subsections
PREFIX_MIN = 3  # a half-typed last word widens to the words it starts from this many letters on
TITLE_WEIGHT = 3.0
SNIPPET = 90  # characters of section text shown around the first matched word
# I, II, III, IV and their parts (I.C.4.a.6.b.i); ICD-10-PCS numbers (B3.4a, A11); "Appendix I"
_NUMBER = re.compile(r"^(?:[IV]{1,3}(?:\.[0-9A-Za-z]+)*|[A-H]\d{1,2}(?:\.\d+[a-z]?)?|appendix [IV]{1,3})\.?$", re.I)


_CODE_SHAPED = re.compile(r"^[A-Z]\d[0-9A-Z]\.", re.I)  # E11.9: an ICD-10-CM code, though E1 could start a number


def names_a_section(text: str) -> bool:
    """The text can only be a guideline section number written with its dots ('I.C.4.a', 'B3.4a'), not a code."""
    stripped = text.strip()
    return "." in stripped and bool(_NUMBER.match(stripped)) and not _CODE_SHAPED.match(stripped)


@dataclass(frozen=True, slots=True)
class _Section:
    section: GuidelineSection
    doc_id: str
    order: int  # position in the document (the index stores sections in document order)
    title_stems: frozenset[str]
    text_counts: dict[str, int]  # stem -> occurrences in title and text


def section_words(text: str) -> list[tuple[str, str]]:
    """(stem, lower-case word) of every indexed word of text, as the schema's analyzer reads it."""
    found = []
    for match in default_pattern.finditer(text):
        word = match.group().lower()
        if word not in STOP_WORDS:
            found.append((stem(word), word))
    return found


def group_of(number: str) -> str:
    """The section a hit is listed under: its chapter (I.C.4) or its part of the general guidelines (I.B, II.I)."""
    parts = number.split(".")
    if len(parts) >= 3 and parts[:2] == ["I", "C"]:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


class GuidelineSearch:
    """Every guideline section of an index, read once, searched in memory (a few hundred sections)."""

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        """documents: (stored id, stored detail) of each guideline document, in index order."""
        self._sections: list[_Section] = []
        self._postings: dict[str, set[int]] = {}  # stem or word -> sections holding it
        for order, (doc_id, detail) in enumerate(documents):
            section = decode(GuidelineSection, detail)
            counts: dict[str, int] = {}
            for text in (section.title, section.text):
                for stemmed, word in section_words(text):
                    counts[stemmed] = counts.get(stemmed, 0) + 1
                    self._postings.setdefault(stemmed, set()).add(order)
                    self._postings.setdefault(word, set()).add(order)
            titles = frozenset(stemmed for stemmed, _ in section_words(section.title))
            self._sections.append(_Section(section, doc_id, order, titles, counts))
        self._by_number = {s.section.number.upper(): s for s in self._sections}
        self._terms = sorted(self._postings)  # for the words a half-typed last word may start

    def __len__(self) -> int:
        return len(self._sections)

    def _allowed(self, entry: _Section, filters: SearchFilters) -> bool:
        return not filters.billable_only and (not filters.code_sets or entry.section.code_set in filters.code_sets)

    def by_number(self, text: str, filters: SearchFilters) -> list[Hit]:
        """A section typed by its number ('I.C.4.a', 'ii.i'), then its subsections in document order."""
        wanted = text.strip().rstrip(".").upper()
        if not _NUMBER.match(text.strip()) or not ("." in wanted or wanted in self._by_number):
            return []
        found = [
            entry
            for entry in self._sections
            if self._allowed(entry, filters)
            and (entry.section.number.upper() == wanted or entry.section.number.upper().startswith(wanted + "."))
        ]
        found.sort(key=lambda entry: (entry.section.number.upper() != wanted, entry.order))
        return [self._hit(entry, 100.0 - n * 0.01, "code", "", ()) for n, entry in enumerate(found[:MOST_BY_NUMBER])]

    def _matching(self, parsed: ParsedQuery) -> set[int] | None:
        """Sections holding every word of the query (a half-typed last word by its start); None: no words."""
        stems = list(dict.fromkeys(parsed.stems))
        if not stems:
            return None
        found: set[int] | None = None
        for n, stemmed in enumerate(stems):
            holding = set(self._postings.get(stemmed, ()))
            last = n == len(stems) - 1
            if last and parsed.partial and len(parsed.words[-1]) >= PREFIX_MIN:
                prefix = parsed.words[-1]
                for term in self._terms[bisect_left(self._terms, prefix) :]:
                    if not term.startswith(prefix):
                        break
                    holding |= self._postings[term]
            found = holding if found is None else found & holding
            if not found:
                return set()
        return found

    def _score(self, entry: _Section, parsed: ParsedQuery) -> float:
        score = 0.0
        for stemmed in dict.fromkeys(parsed.stems):
            if stemmed in entry.title_stems:
                score += TITLE_WEIGHT
            score += min(entry.text_counts.get(stemmed, 0), 5) / 5
        return score

    def by_words(self, parsed: ParsedQuery, filters: SearchFilters, most: int = MOST) -> tuple[list[Hit], int]:
        """Sections whose title or text holds every word, grouped under their chapter (or part of the
        general guidelines), the group with the best match first; (hits, sections that matched)."""
        matching = self._matching(parsed)
        if not matching:
            return [], 0
        scored = [
            (self._score(entry, parsed), entry)
            for entry in (self._sections[n] for n in matching)
            if self._allowed(entry, filters)
        ]
        groups: dict[tuple[str, str], list[tuple[float, _Section]]] = {}
        for score, entry in sorted(scored, key=lambda item: (-item[0], item[1].order)):
            groups.setdefault((entry.section.code_set, group_of(entry.section.number)), []).append((score, entry))
        hits: list[Hit] = []
        wanted = frozenset(parsed.stems)
        prefixes = (parsed.words[-1],) if parsed.partial and parsed.words else ()
        for (_, top_number), members in groups.items():  # best group first: members came in score order
            top = self._by_number.get(top_number.upper())
            rows = [entry for _, entry in members]
            if top is not None and top.section.code_set == members[0][1].section.code_set and top not in rows:
                rows.insert(0, top)  # the chapter the matches sit in, so the coder sees where they are
            elif top is not None and top in rows:
                rows.remove(top)
                rows.insert(0, top)
            for entry in rows:
                if len(hits) >= most:
                    break
                score = members[0][0] if entry is top else self._score(entry, parsed)
                hits.append(self._matched_hit(entry, score, wanted, prefixes))
            if len(hits) >= most:
                break
        return hits, len(scored)

    def _matched_hit(self, entry: _Section, score: float, wanted: frozenset[str], prefixes: tuple[str, ...]) -> Hit:
        title_spans = spans(entry.section.title, wanted, prefixes)
        if title_spans:
            return self._hit(entry, score, "title", "", title_spans)
        snippet = _snippet(entry.section.text, wanted, prefixes)
        if snippet:
            return self._hit(entry, score, "guideline", snippet, spans(snippet, wanted, prefixes))
        return self._hit(entry, score, "subsections", "", ())  # the chapter its matches sit in

    @staticmethod
    def _hit(entry: _Section, score: float, field: str, text: str, highlights: tuple[tuple[int, int], ...]) -> Hit:
        section = entry.section
        return Hit(
            section.number,
            section.code_set,
            section.title,
            Kind.GUIDELINE,
            False,
            round(score, 4),
            field,
            text,
            highlights,
            doc_id=entry.doc_id,
        )


def holds_every_word(line: str, parsed: ParsedQuery) -> bool:
    """Whether one line holds every word of the query (a half-typed last word by its start)."""
    found = section_words(line)
    stems, words = {stem for stem, _ in found}, {word for _, word in found}
    full = parsed.stems[:-1] if parsed.partial and parsed.words else parsed.stems
    last = parsed.words[-1] if parsed.partial and parsed.words else ""
    return set(full) <= stems and (not last or any(term.startswith(last) for term in stems | words))


def leading(code_hits: list[Hit], sections: list[Hit], parsed: ParsedQuery) -> list[Hit]:
    """The sections to show above the code hits: those whose title holds every word of a query of two
    words or more when the first code hit's line does not ('admission from observation unit' is the
    title of II.I and of no code); every other section stays below the codes."""
    if len(set(parsed.stems)) < 2 or not sections:
        return []
    if code_hits and holds_every_word(code_hits[0].matched_text or code_hits[0].title, parsed):
        return []
    return [hit for hit in sections if hit.matched_field == "title" and holds_every_word(hit.title, parsed)]


def _snippet(text: str, wanted: frozenset[str], prefixes: tuple[str, ...]) -> str:
    """The words of text around its first matched word, on one line."""
    flat = " ".join(text.split())
    first = first_span(flat, wanted, prefixes)
    if first is None:
        return ""
    start = max(0, first[0] - SNIPPET // 3)
    if start:
        start = flat.find(" ", start) + 1 or start
    end = min(len(flat), start + SNIPPET)
    if end < len(flat):
        end = flat.rfind(" ", start, end) if flat.rfind(" ", start, end) > first[1] else end
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")

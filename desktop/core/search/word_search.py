"""Word search: every word in one field first, then partial matches; synonyms, typos, coder ranking."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from desktop.core.records import CodeSet, Hit, SearchFilters
from desktop.core.search.candidates import Candidates
from desktop.core.search.documents import GROUPING, NON_CODE, Doc, DocCache
from desktop.core.search.query import ParsedQuery, prefix_forms, tokens
from desktop.core.search.ranking import (
    SOURCE_WEIGHT,
    LineMatch,
    Wanted,
    best_line,
    match_line,
    meaningful_stems,
    pick_default,
    says_unspecified,
)
from desktop.core.search.spelling import MIN_LENGTH, Vocabulary
from desktop.core.search.synonyms import SynonymTable, Variant


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # Whoosh field
    label: str  # Hit.matched_field
    weight: float  # index and inclusion terms say what coders look up; titles come next


FIELDS = (
    Field("index_terms", "index", 1.0),
    Field("inclusion", "inclusion", 0.97),
    Field("includes", "inclusion", 0.96),  # the tabular's Includes notes (search cache only)
    Field("title", "title", 0.94),
    Field("extra", "term", 0.92),
    Field("short_title", "term", 0.85),
)
PARTIAL_FIELDS = FIELDS[:4]
SYNONYM_FACTOR = 0.97  # a synonym's words rank just below the same words typed
COMPLETION_FACTOR = 0.85  # 'heart' typed: documents saying 'heartburn' come after those saying 'heart'
FAMILY_WEIGHT = 0.03  # per doubling of the codes under a heading: broad headings before narrow ones
SIBLINGS_IN_A_ROW = 2  # more codes under one parent than this move behind the other matches
SPARE = 5  # ranked beyond the limit, to fill the places of siblings moved back
REFINE_HEADINGS, REFINE_SCAN, REFINE_MOST, REFINE_FACTOR = 5, 150, 6, 0.95  # see WordSearch._refine
DRILL_POSITIONS, DRILL_MOST = 5, 3  # headings among the first five get their default code after them


@dataclass(frozen=True, slots=True)
class Source:
    """One search a document came back from."""

    field: Field
    wanted: Wanted
    variant: Variant | None
    word_known: bool  # the half-typed word is itself an indexed word
    every: bool  # found by the every-word search (else by the partial-match search)
    line: int = -1  # which of the document's lines of the field matched (-1: look at all of them)
    length: int = 0  # that line's words that count (0: unknown)
    matched: int = 0  # query words in that line, when fewer than all (0: unknown or all)
    weight: float = 1.0  # the line's source weight, when known (index terms by index)


@dataclass
class WordResult:
    hits: list[Hit]
    total: int
    note: str = ""


@dataclass
class _Collected:
    sources: dict[int, list[Source]] = field(default_factory=dict)
    total: int = 0


def wanted_for(words: tuple[str, ...], stems: tuple[str, ...], partial: bool) -> Wanted:
    if partial and words:
        return Wanted(tuple(dict.fromkeys(stems[:-1])), words[-1], prefix_forms(words[-1]))
    return Wanted(tuple(dict.fromkeys(stems)))


class WordSearch:
    """Runs the word part of a search (the engine holds its lock while this runs)."""

    def __init__(self, docs: DocCache, synonyms: SynonymTable, vocabulary: Callable[[], Vocabulary | None]) -> None:
        self._docs = docs
        self._synonyms = synonyms
        self._vocabulary = vocabulary

    def _collect(
        self,
        source: Candidates,
        wanted: Wanted,
        variant: Variant | None,
        fields: tuple[Field, ...],
        every: bool,
        filters: SearchFilters,
        size: int,
        into: _Collected,
    ) -> None:
        known = bool(wanted.partial) and (
            source.known(wanted.stem_of_partial) or self._synonyms.is_lay_word(wanted.partial)
        )
        if every and known and not wanted.completing:
            # A half-typed word that is already a word: search it as typed, and separately its
            # continuations, which rank lower ('heart' before 'heartburn').
            whole = Wanted(tuple(dict.fromkeys((*wanted.stems, wanted.stem_of_partial))))
            self._collect(source, whole, variant, fields, every, filters, size, into)
            self._collect(source, replace(wanted, completing=True), variant, fields, every, filters, size, into)
            return
        for fld in fields:
            found = (source.all_words if every else source.any_words)(fld.name, wanted, filters, size)
            into.total = max(into.total, found.total)
            lines = found.lines or [-1] * len(found.docs)
            lengths = found.lengths or [0] * len(found.docs)
            matched = found.matched or [0] * len(found.docs)
            weights = found.weights or [1.0] * len(found.docs)
            for doc, line, length, count, weight in zip(found.docs, lines, lengths, matched, weights, strict=True):
                into.sources.setdefault(doc, []).append(
                    Source(fld, wanted, variant, known, every, line, length, count, weight)
                )

    def _correct(self, source: Candidates, parsed: ParsedQuery) -> tuple[tuple[str, ...], dict[str, str]] | None:
        """The query's index forms with unknown words replaced by the nearest indexed words, or None."""
        vocabulary = self._vocabulary()
        if vocabulary is None:
            return None
        stems = list(parsed.stems)
        changed: dict[str, str] = {}
        for n, (word, stemmed) in enumerate(zip(parsed.words, parsed.stems, strict=True)):
            if len(word) < MIN_LENGTH or not word.isalpha() or source.known(stemmed):
                continue
            if n == len(stems) - 1 and parsed.partial and vocabulary.completions(word, 1):
                continue  # still typing a word that exists
            better = vocabulary.correct(stemmed)
            if better:
                stems[n] = better
                changed[better] = word
        return (tuple(stems), changed) if changed else None

    def _score(self, candidates: Candidates, doc: Doc, sources: list[Source]) -> tuple[tuple[float, ...], Hit] | None:
        family = candidates.family(doc.docnum)
        best: tuple[tuple[float, ...], Source, LineMatch] | None = None
        for source in sources:
            lines = doc.lines(source.field.name)
            if 0 <= source.line < len(lines):
                lines = (lines[source.line],)  # the search cache says which line matched
            line = best_line(lines, source.wanted)
            if line is None:
                continue
            complete = line.matched >= source.wanted.size
            weight = source.field.weight
            if source.field.name == "index_terms":
                weight *= SOURCE_WEIGHT.get(doc.term_source(line.text), 1.0)
            quality = _quality(weight, line.precision, family)
            if source.variant is not None:
                quality *= SYNONYM_FACTOR
            if source.wanted.completing:
                quality *= COMPLETION_FACTOR
            coverage = round(min(1.0, line.matched / max(1, source.wanted.size)), 2)
            rank: tuple[float, ...] = (0.0 if complete else 1.0, -coverage, -round(quality, 2))
            if best is None or rank < best[0]:
                best = (rank, source, line)
        if best is None:
            return None
        rank, source, line = best
        vague = 0.0 if says_unspecified(line.text) else 1.0  # ties: the 'unspecified' code is the default
        order = (*rank, 0.0 if doc.billable else 1.0, vague, float(min(len(doc.key), 255)), float(doc.docnum))
        score = (2.0 - rank[0]) * 100 - rank[1] * 10 - rank[2] * 10
        return order, _hit(doc, score, source, line)

    def _rank(
        self, source: Candidates, found: dict[int, list[Source]], limit: int
    ) -> list[tuple[tuple[float, ...], Hit]]:
        """Score documents best bound first; stop once no unread one can enter the top limit.

        Bounds come from the cache alone (exact for titles, optimistic for index and inclusion
        terms), so only a few more documents than the limit are read and tokenised.
        """
        bounds = sorted(
            (min(self._bound(source, docnum, s) for s in sources), docnum) for docnum, sources in found.items()
        )
        best: list[tuple[tuple[float, ...], Hit]] = []  # kept sorted, at most limit long
        for bound, docnum in bounds:
            if len(best) >= limit and best[-1][0] <= bound:
                break
            scored = self._score(source, self._docs.get(docnum), found[docnum])
            if scored is None:
                continue
            if len(best) < limit or scored[0] < best[-1][0]:
                bisect.insort(best, scored, key=lambda pair: pair[0])
                del best[limit:]
        return best

    def _bound(self, source: Candidates, docnum: int, found: Source) -> tuple[float, ...]:
        """The best rank a document can reach from one source (ranks sort ascending).

        With the search cache the matching line and its length are known, so for every-word
        matches the bound is the score itself; without it the bound is optimistic.
        """
        size = found.wanted.size
        matched = found.matched or size
        precision = min(1.0, matched / found.length) if found.length else 1.0
        quality = (
            _quality(found.field.weight * found.weight, precision, source.family(docnum))
            if found.length
            else found.field.weight * (1.0 + FAMILY_WEIGHT * source.family(docnum))
        )
        if found.variant is not None:
            quality *= SYNONYM_FACTOR
        if found.wanted.completing:
            quality *= COMPLETION_FACTOR
        coverage = round(min(1.0, matched / max(1, size)), 2)
        billable, key_length = source.static(docnum)
        return (0.0 if found.every else 1.0, -coverage, -round(quality, 2), billable, 0.0, key_length, float(docnum))

    def _refine(
        self,
        source: Candidates,
        scored: list[tuple[tuple[float, ...], Hit]],
        wanteds: list[Wanted],
        filters: SearchFilters,
        limit: int,
    ) -> list[tuple[tuple[float, ...], Hit]]:
        """Codes under a partly matching heading whose own titles hold the rest of the words.

        'laparoscopic appendectomy': the PCS index says Appendectomy at 0DTJ, and the code under
        it whose title says 'Percutaneous Endoscopic' (the synonym of laparoscopic) holds the rest.
        """
        added: list[tuple[tuple[float, ...], Hit]] = []
        present = {hit.doc_id for key, hit in scored if key[0] == 0.0}  # partial matches may be upgraded
        headings = [(key, hit) for key, hit in scored if key[0] == 1.0 and not hit.billable][:REFINE_HEADINGS]
        for key, heading in headings:
            number = self._docs.numbers_for_id(heading.doc_id)
            if number is None:
                continue
            parent = self._docs.get(number)
            children: Sequence[int] | None = None
            for wanted in wanteds:
                line = match_line(heading.matched_text or heading.title, wanted)
                rest = Wanted(
                    tuple(s for s in wanted.stems if s not in line.found),
                    "" if "*" in line.found else wanted.partial,
                    () if "*" in line.found else wanted.forms,
                )
                if not line.found or not rest.size or (not rest.stems and len(rest.partial) < 3):
                    continue  # nothing left to look for, or only a letter or two of a word
                if children is None:
                    children = source.descendants(number, parent.key, REFINE_SCAN)
                for number in children:
                    if len(added) >= REFINE_MOST or not source.title_may_hold(number, rest):
                        continue
                    child = self._docs.get(number)
                    if child.code_set is not parent.code_set or child.kind in NON_CODE or child.id in present:
                        continue
                    if (child.terminated and not filters.include_terminated) or (
                        filters.billable_only and not child.billable
                    ):
                        continue
                    fit = match_line(child.title, rest)
                    if fit.matched >= rest.size:
                        present.add(child.id)
                        quality = -key[2] * REFINE_FACTOR * (0.9 + 0.1 * fit.precision)
                        order = (
                            0.0,
                            -1.0,
                            -round(quality, 2),
                            0.0 if child.billable else 1.0,
                            1.0,
                            float(len(child.key)),
                            float(child.docnum),
                        )
                        added.append(
                            (
                                order,
                                child.hit(
                                    heading.score + 100, heading.matched_field, heading.matched_text, heading.highlights
                                ),
                            )
                        )
        if not added:
            return scored
        upgraded = {hit.doc_id for _key, hit in added}
        kept = [(key, hit) for key, hit in scored if hit.doc_id not in upgraded]
        return sorted(kept + added, key=lambda pair: pair[0])[:limit]

    def _default_code(self, source: Candidates, header: Hit, filters: SearchFilters) -> Doc | None:
        """The billable code a coder takes under a heading when nothing more was said (ranking.pick_default)."""
        header_doc = self._docs.numbers_for_id(header.doc_id)
        known = source.default_code(header_doc) if header_doc is not None else None
        if known is not None:
            found = self._docs.get(known) if known >= 0 else None
            return found if found is not None and (filters.include_terminated or not found.terminated) else None
        code, code_set, said = header.code, header.code_set, meaningful_stems(header.title)
        for _level in range(5):
            children = [self._docs.get(n) for n in self._docs.children(code)]
            children = [
                c
                for c in children
                if c.code_set is code_set
                and c.kind not in NON_CODE
                and (filters.include_terminated or not c.terminated)
            ]
            if not children:
                return None
            child = children[pick_default(said, [(c.title, c.order) for c in children])]
            if child.billable:
                return child
            code = child.code
        return None

    def _drill_down(self, source: Candidates, hits: list[Hit], filters: SearchFilters) -> list[Hit]:
        """After each of the first few headings, its default billable code (moved up if listed lower)."""
        out: list[Hit] = []
        inserted: set[str] = set()
        for position, hit in enumerate(hits):
            if hit.doc_id in inserted:
                continue
            out.append(hit)
            if position >= DRILL_POSITIONS or len(inserted) >= DRILL_MOST or hit.billable:
                continue
            if hit.kind in GROUPING or hit.code_set is not CodeSet.ICD10CM:
                continue  # PCS stubs are completed in their table, not by a default
            child = self._default_code(source, hit, filters)
            if child is None or child.id in inserted or any(h.doc_id == child.id for h in out):
                continue
            inserted.add(child.id)
            listed = next((h for h in hits if h.doc_id == child.id), None)
            if listed is not None:  # it matched by itself: keep what it matched
                out.append(listed)
                continue
            words = {hit.title[a:b].lower() for a, b in hit.highlights} if not hit.matched_text else set()
            spans = tuple((t.start, t.end) for t in tokens(child.title) if t.word in words)
            out.append(
                child.hit(
                    hit.score - 0.01, hit.matched_field, hit.matched_text, hit.highlights if hit.matched_text else spans
                )
            )
        return out

    def search(self, source: Candidates, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> WordResult:
        size = limit + 5
        base = wanted_for(parsed.words, parsed.stems, parsed.partial)
        collected = _Collected()
        self._collect(source, base, None, FIELDS, True, filters, size, collected)
        variants = self._synonyms.variants(parsed.words, parsed.stems, parsed.partial)
        for variant in variants:
            wanted = wanted_for(variant.words, variant.stems, variant.partial)
            self._collect(source, wanted, variant, FIELDS, True, filters, size, collected)
        changed: dict[str, str] = {}
        stems = parsed.stems
        if not collected.sources:
            corrected = self._correct(source, parsed)
            if corrected is not None:
                stems, changed = corrected
                base = Wanted(tuple(dict.fromkeys(stems)))
                self._collect(source, base, None, FIELDS, True, filters, size, collected)
        complete_total = collected.total
        complete_count = len(collected.sources)
        if len(collected.sources) < limit and base.size >= 2:
            room = limit - len(collected.sources) + SPARE  # partial matches only fill what is left
            self._collect(source, base, None, PARTIAL_FIELDS, False, filters, room, collected)
        scored = self._rank(source, collected.sources, limit + SPARE)
        if complete_count < limit:
            wanteds = [base] + [wanted_for(v.words, v.stems, v.partial) for v in variants]
            scored = self._refine(source, scored, wanteds, filters, limit + SPARE)
        hits = _spread(scored, {int(key[-1]): self._docs.get(int(key[-1])).parent for key, _hit in scored})
        hits = self._drill_down(source, hits, filters)[:limit]
        note = ""
        if changed:
            shown = [
                word if new == old else _surface(new, hits)
                for word, old, new in zip(parsed.words, parsed.stems, stems, strict=True)
            ]
            note = "Showing results for " + " ".join(shown)
        return WordResult(hits, max(complete_total, len(hits)), note)


def _spread(scored: list[tuple[tuple[float, ...], Hit]], parents: dict[int, str]) -> list[Hit]:
    """Keep at most SIBLINGS_IN_A_ROW codes of one parent in a row of equally good matches.

    Six Table of Drugs columns or three 7th-character endings of one code would otherwise fill
    the first screen; the rest of them follow the other matches of the same tier.
    """
    out: list[Hit] = []
    moved: list[Hit] = []
    seen: dict[tuple[float, str], int] = {}
    tier = None
    for key, hit in scored:
        if key[0] != tier:
            out += moved
            moved = []
            tier = key[0]
        parent = parents.get(int(key[-1]), "")
        group = (key[0], parent)
        seen[group] = seen.get(group, 0) + 1
        (moved if parent and seen[group] > SIBLINGS_IN_A_ROW else out).append(hit)
    return out + moved


def _quality(weight: float, precision: float, family: float) -> float:
    """How well a line says what was asked; a broad heading makes up for some extra words.

    The heading bonus fades as the line gets exact, so a heading and its billable code with the
    same title stay equal and the billable code wins the tie.
    """
    return weight * (0.55 + 0.45 * precision) * (1.0 + FAMILY_WEIGHT * family * (1.0 - precision))


def _hit(doc: Doc, score: float, source: Source, line: LineMatch) -> Hit:
    variant = source.variant
    if variant is not None:
        target = match_line(variant.synonym.target, source.wanted)
        shift = variant.target_start
        return doc.hit(score, "synonym", variant.label, tuple((a + shift, b + shift) for a, b in target.spans))
    if source.field.name == "title":
        return doc.hit(score, "title", "", line.spans)
    text = line.text
    if source.field.name == "index_terms":
        column = doc.term_column(text)
        if column:
            text = f"{text} ({column})"
    return doc.hit(score, source.field.label, text, line.spans)


def _surface(stemmed: str, hits: list[Hit]) -> str:
    """An index form as a word the user would write ('diabet' -> 'diabetes')."""
    for hit in hits[:10]:
        for token in tokens(hit.title) + tokens(hit.matched_text):
            if token.stem == stemmed:
                return token.word
    return stemmed

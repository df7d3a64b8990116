"""Word search: every word in one field first, then partial matches; synonyms, typos, coder ranking."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from desktop.core.records import CodeSet, Hit, SearchFilters
from desktop.core.search.cache import SINGLE_LINE
from desktop.core.search.candidates import Candidates
from desktop.core.search.documents import Doc, DocCache
from desktop.core.search.equivalents import Equivalents
from desktop.core.search.headings import SET, TIER, Headings, Scored
from desktop.core.search.query import ParsedQuery, prefix_forms, stem, tokens
from desktop.core.search.ranking import (
    SOURCE_WEIGHT,
    LineMatch,
    Wanted,
    best_line,
    match_line,
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
_CODE_SETS = frozenset(str(c) for c in CodeSet)
SPLIT_FROM = 3  # a half-typed word this long that is a word is searched as typed and as continued
SPARE = 5  # ranked beyond the limit, to fill the places of siblings moved back


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
    plain: float = 0.0  # 1.0: the line is known not to say 'unspecified' (0.0: it may, or unknown)


@dataclass
class WordResult:
    hits: list[Hit]
    total: int
    note: str = ""
    corrected: str = ""  # the words searched after spelling correction ('' when none was corrected)
    ignored: tuple[str, ...] = ()  # typed words that matched nothing and were left out


@dataclass
class _Collected:
    sources: dict[int, list[Source]] = field(default_factory=dict)
    total: int = 0


def wanted_for(
    words: tuple[str, ...], stems: tuple[str, ...], partial: bool, equivalents: Equivalents | None = None
) -> Wanted:
    alternatives = equivalents.for_stems(stems[:-1] if partial else stems) if equivalents is not None else ()
    if partial and words:
        return Wanted(tuple(dict.fromkeys(stems[:-1])), words[-1], prefix_forms(words[-1]), alternatives=alternatives)
    return Wanted(tuple(dict.fromkeys(stems)), alternatives=alternatives)


class WordSearch:
    """Runs the word part of a search (the engine holds its lock while this runs)."""

    def __init__(
        self,
        docs: DocCache,
        synonyms: SynonymTable | None,
        vocabulary: Callable[[], Vocabulary | None],
        equivalents: Equivalents | None = None,
    ) -> None:
        """synonyms and equivalents None: the tables in resources/, read at the first word search (or
        the engine's warm-up), not while the program starts (parsing and stemming them takes ~25 ms)."""
        self._docs = docs
        self._given = (synonyms, equivalents)
        self._tables: tuple[SynonymTable, Equivalents] | None = None
        self._tables_lock = threading.Lock()
        self._vocabulary = vocabulary
        self._headings = Headings(docs)
        self.procedures = True  # the index holds ICD-10-PCS (the engine says from its manifest)

    def tables(self) -> tuple[SynonymTable, Equivalents]:
        """The synonym and equivalence tables, read once on first use."""
        if self._tables is None:
            with self._tables_lock:
                if self._tables is None:
                    synonyms, equivalents = self._given
                    self._tables = (
                        synonyms if synonyms is not None else SynonymTable.load(),
                        equivalents if equivalents is not None else Equivalents.load(),
                    )
        return self._tables

    @property
    def _synonyms(self) -> SynonymTable:
        return self.tables()[0]

    @property
    def _equivalents(self) -> Equivalents:
        return self.tables()[1]

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
        if every and known and not wanted.completing and len(wanted.partial) >= SPLIT_FROM:
            # A half-typed word that is already a word: search it as typed, and separately its
            # continuations, which rank lower ('heart' before 'heartburn').
            stems = tuple(dict.fromkeys((*wanted.stems, wanted.stem_of_partial)))
            whole = Wanted(stems, alternatives=self._equivalents.for_stems(stems))
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
            plain = found.plain or [0.0] * len(found.docs)
            for doc, line, length, count, weight, clear in zip(
                found.docs, lines, lengths, matched, weights, plain, strict=True
            ):
                into.sources.setdefault(doc, []).append(
                    Source(fld, wanted, variant, known, every, line, length, count, weight, clear)
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
        self, source: Candidates, found: dict[int, list[Source]], limit: int, prefer: CodeSet | None = None
    ) -> list[Scored]:
        """Score documents best bound first; stop once no unread one can enter the top limit.

        Bounds come from the cache alone (exact for titles, optimistic for index and inclusion
        terms), so only a few more documents than the limit are read and tokenised. The best
        document says which code set the words most likely mean: its code set ranks first and the
        others follow, each in one block (a diagnosis search is not interleaved with HCPCS rows),
        and that order is part of every key. The candidates collected grow with the limit, so a fresh
        search with a larger limit can order the rows within a block differently (the engine keeps a
        page's hits for its "load more").
        """
        bound = self._bound
        bounds = sorted(
            (
                bound(source, docnum, sources[0])
                if len(sources) == 1
                else min(bound(source, docnum, s) for s in sources),
                docnum,
            )
            for docnum, sources in found.items()
        )
        memo: dict[int, Scored | None] = {}

        def score(docnum: int) -> Scored | None:
            if docnum not in memo:
                memo[docnum] = self._score(source, self._docs.get(docnum), found[docnum])
            return memo[docnum]

        plain = self._top(bounds, score, 1)
        if not plain:
            return []
        order = {prefer or plain[0][1].code_set: 0}
        for _bound, docnum in bounds:  # the other code sets by their best bound
            order.setdefault(source.code_set(docnum), len(order))
        keyed = sorted(((float(order[source.code_set(d)]), *bound), d) for bound, d in bounds)
        best: list[Scored] = []  # kept sorted, at most limit long
        for key, docnum in keyed:
            if len(best) >= limit and best[-1][0] <= key:
                break
            scored = score(docnum)
            if scored is None:
                continue
            full = ((key[SET], *scored[0]), scored[1])
            if len(best) < limit or full[0] < best[-1][0]:
                bisect.insort(best, full, key=lambda pair: pair[0])
                del best[limit:]
        return best

    @staticmethod
    def _top(
        bounds: list[tuple[tuple[float, ...], int]], score: Callable[[int], Scored | None], size: int
    ) -> list[Scored]:
        """The best size documents by rank alone (bounds sorted ascending)."""
        best: list[Scored] = []
        for bound, docnum in bounds:
            if len(best) >= size and best[-1][0] <= bound:
                break
            scored = score(docnum)
            if scored is not None and (len(best) < size or scored[0] < best[-1][0]):
                bisect.insort(best, scored, key=lambda pair: pair[0])
                del best[size:]
        return best

    def _bound(self, source: Candidates, docnum: int, found: Source) -> tuple[float, ...]:
        """The best rank a document can reach from one source (ranks sort ascending).

        With the search cache the matching line and its length are known, so for every-word
        matches the bound is the score itself; without it the bound is optimistic.
        """
        size = found.wanted.size
        matched = found.matched or size
        precision = 1.0
        if found.length:
            # A line holding every word counts the always-filler ones among its words once matched
            # ('per', '2'); the cache's length leaves them out (a length of 1 may stand for 0).
            counted = (found.length if found.length > 1 else 0) + (found.wanted.filler if not found.matched else 0)
            precision = min(1.0, matched / max(1, counted)) if counted else 1.0
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
        plain = found.plain if found.line >= 0 or found.field.name in SINGLE_LINE else 0.0  # the line scored
        return (0.0 if found.every else 1.0, -coverage, -round(quality, 2), billable, plain, key_length, float(docnum))

    def _likely_code_set(self, parsed: ParsedQuery, variants: list[Variant], collected: _Collected) -> CodeSet | None:
        """What the words say about the code set: a lay term's (its list says where its words are), or
        ICD-10-PCS for procedure wording; None leaves it to the best hit."""
        found = {source.variant for sources in collected.sources.values() for source in sources if source.variant}
        for variant in variants:
            if variant in found and variant.synonym.code_set in _CODE_SETS:
                return CodeSet(variant.synonym.code_set)
        if self._equivalents.means_procedure(parsed.words, parsed.stems):
            return CodeSet.ICD10PCS
        # A lay word whose synonym matched no line with the other words still says where it belongs:
        # 'acetaminophen overdose' is a poisoning (ICD-10-CM), though 'acetaminophen' and 'poisoning'
        # sit in separate columns of the Table of Drugs, and an injection's title (HCPCS) says only the drug.
        for variant in variants:
            if variant.synonym.code_set in _CODE_SETS:
                return CodeSet(variant.synonym.code_set)
        return None

    def _matches_nothing(self, source: Candidates, parsed: ParsedQuery, n: int) -> bool:
        """The query's nth word is in no searched field and no synonym (a half-typed one: nor any continuation)."""
        word, stemmed = parsed.words[n], parsed.stems[n]
        if source.known(stemmed) or self._synonyms.is_lay_word(word) or self._equivalents.of(stemmed):
            return False
        if n == len(parsed.words) - 1 and parsed.partial:
            return not any(source.has_prefix(form) for form in prefix_forms(word))
        return True

    def _split_procedure_words(self, source: Candidates, parsed: ParsedQuery) -> ParsedQuery:
        """Suffix-formed procedure words the index lacks, searched as their root and root operations.

        'hemorrhoidectomy' is searched as hemorrhoid + ectomy (excision, resection), 'pyloromyotomy' as
        myotomy (division) + pylor..., a root that only starts an indexed word ('pylor': pylorus) being
        searched as the half-typed last word. A word whose root the index has nowhere is left to spelling.
        """
        words: list[str] = []
        stems: list[str] = []
        partial = parsed.partial
        tail = ""  # a root searched as the half-typed last word
        last = len(parsed.words) - 1
        for n, (word, stemmed) in enumerate(zip(parsed.words, parsed.stems, strict=True)):
            split = None
            if self.procedures and not self._known_anywhere(source, word, stemmed):
                split = self._equivalents.split(word)
            if split is not None and self._misspelt(stemmed, *split):
                split = None  # 'colonscopy' is colonoscopy mistyped, not an inspection of the colon
            if split is not None:
                suffix, roots = split
                # A root may stand for several title words ('pyelo': kidney pelvis), each indexed.
                whole = next((r for r in roots if all(source.known(stem(part)) for part in r.split())), "")
                # The shortest root that starts a word: 'pylor' (pylorus), not 'pyloro' (pylorospasm).
                start = next((r for r in sorted(roots, key=len) if source.has_prefix(r)), "")
                if whole or (start and not tail and (n == last or not partial)):
                    words.append(suffix)
                    stems.append(stem(suffix))
                    if whole:
                        words += whole.split()
                        stems += [stem(part) for part in whole.split()]
                    else:
                        tail = start
                    if n == last:
                        partial = bool(tail)
                    continue
            words.append(word)
            stems.append(stemmed)
        if words == list(parsed.words):
            return parsed
        if tail:
            words.append(tail)
            stems.append(stem(tail))
            partial = True
        return replace(parsed, words=tuple(words), stems=tuple(stems), partial=partial)

    def _known_anywhere(self, source: Candidates, word: str, stemmed: str) -> bool:
        return source.known(stemmed) or self._synonyms.is_lay_word(word) or bool(self._equivalents.of(stemmed))

    def _misspelt(self, stemmed: str, suffix: str, roots: tuple[str, ...]) -> bool:
        """The spelling corrector's word has the same suffix and much the same root: a typo, not a new word."""
        vocabulary = self._vocabulary()
        better = vocabulary.correct(stemmed) if vocabulary is not None else ""
        ending = stem(suffix)
        if not better.endswith(ending):
            return False
        other = better[: -len(ending)]
        return any(other.startswith(root) or root.startswith(other) for root in roots)

    def _leave_out(self, source: Candidates, parsed: ParsedQuery) -> tuple[ParsedQuery, dict[str, str], list[str]]:
        """The query with misspelt words corrected and words nothing matches left out (reported, not hidden)."""
        unknown = [n for n in range(len(parsed.words)) if self._matches_nothing(source, parsed, n)]
        if not unknown:
            return parsed, {}, []
        stems, changed = self._correct(source, parsed) or (parsed.stems, {})
        still = [n for n in unknown if stems[n] == parsed.stems[n]]
        keep = [n for n in range(len(parsed.words)) if n not in still]
        ignored = [parsed.words[n] for n in still]
        last = len(parsed.words) - 1
        return (
            replace(
                parsed,
                words=tuple(parsed.words[n] for n in keep),
                stems=tuple(stems[n] for n in keep),
                partial=parsed.partial and last in keep and not changed,  # a corrected query is searched as words
            ),
            changed,
            ignored,
        )

    def search(
        self,
        source: Candidates,
        parsed: ParsedQuery,
        filters: SearchFilters,
        limit: int,
        prefer: CodeSet | None = None,
    ) -> WordResult:
        typed = parsed
        parsed = self._split_procedure_words(source, parsed)
        parsed, changed, ignored = self._leave_out(source, parsed)
        ignored = _in_typed_order(typed.text, ignored)
        if not parsed.words:
            return WordResult([], 0, _note(ignored, ""), "", tuple(ignored))
        size = limit + 5
        base = wanted_for(parsed.words, parsed.stems, parsed.partial, self._equivalents)
        collected = _Collected()
        self._collect(source, base, None, FIELDS, True, filters, size, collected)
        variants = self._synonyms.variants(parsed.words, parsed.stems, parsed.partial)
        wanteds = [base]
        for variant in variants:
            wanted = wanted_for(variant.words, variant.stems, variant.partial, self._equivalents)
            wanteds.append(wanted)
            self._collect(source, wanted, variant, FIELDS, True, filters, size, collected)
        complete_total = collected.total
        complete_count = len(collected.sources)
        if len(collected.sources) < limit and base.size >= 2:
            room = limit - len(collected.sources) + SPARE  # partial matches only fill what is left
            self._collect(source, base, None, PARTIAL_FIELDS, False, filters, room, collected)
        prefer = prefer or self._likely_code_set(parsed, variants, collected)
        scored = self._rank(source, collected.sources, limit + SPARE, prefer)
        if complete_count < limit:
            scored = self._headings.refine(source, scored, wanteds, filters, limit + SPARE)
        hits = _spread(scored, {int(key[-1]): self._docs.get(int(key[-1])).parent for key, _hit in scored})
        hits = self._headings.drill_down(source, hits, filters)
        if filters.billable_only:
            hits = self._headings.billable_children(hits, filters)
        hits = hits[:limit]
        corrected = ""
        if changed:
            shown = [
                word if stemmed not in changed else _surface(stemmed, hits)
                for word, stemmed in zip(parsed.words, parsed.stems, strict=True)
            ]
            corrected = " ".join(shown)
        return WordResult(hits, max(complete_total, len(hits)), _note(ignored, corrected), corrected, tuple(ignored))


def _in_typed_order(text: str, unknown: list[str]) -> list[str]:
    """The words left out, as typed: unknown words, and pieces with no searchable character at all ('%%%')."""
    out: list[str] = []
    for piece in text.split():
        if not any(c.isalnum() for c in piece):
            out.append(piece)
        out += [t.word for t in tokens(piece) if t.word in unknown and t.word not in out]
    return out


def _note(ignored: list[str], corrected: str) -> str:
    """What the results line says above the hits: what was searched instead of what was typed."""
    parts = []
    if ignored:
        parts.append("No match for " + ", ".join(ignored))
    if corrected:
        parts.append("Showing results for " + corrected)
    return "; ".join(parts)


def _spread(scored: list[Scored], parents: dict[int, str]) -> list[Hit]:
    """Keep at most SIBLINGS_IN_A_ROW codes of one parent in a row of equally good matches.

    Six Table of Drugs columns or three 7th-character endings of one code would otherwise fill
    the first screen; the rest of them follow the other matches of the same tier.
    """
    out: list[Hit] = []
    moved: list[Hit] = []
    seen: dict[tuple[float, float, str], int] = {}
    tier: tuple[float, float] | None = None
    for key, hit in scored:
        if (key[SET], key[TIER]) != tier:
            out += moved
            moved = []
            tier = (key[SET], key[TIER])
        parent = parents.get(int(key[-1]), "")
        group = (key[SET], key[TIER], parent)
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

"""Candidate documents for a word search: from the search cache when built, else from Whoosh queries."""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.searching import Searcher

from desktop.core.records import CodeSet, SearchFilters
from desktop.core.search.cache import BILLABLE, CODE_SETS, TERMINATED, FieldLists, SearchCache
from desktop.core.search.documents import GROUPING, DocCache
from desktop.core.search.filter_mask import FilterMask
from desktop.core.search.query import stem
from desktop.core.search.ranking import UNSPECIFIED_STEMS, Wanted

_WHOOSH_FIELDS = ("title", "index_terms", "inclusion", "extra", "short_title")
ANY_DRIVERS = 3  # partial matches: the rarest words whose lists are read
MERGE_STEPS = 6000  # documents read at most from merged lists before giving up on more matches
SCAN_FACTOR = 32  # lists this many times longer than the units to look up are not read: each unit's words are
LAZY_STEPS = 64  # every-word matches: units checked one by one before the other words' lists may be intersected
STEP_COST = 25  # checking one unit's words costs about as much as taking this many units into the intersection


def completion_size(word: str) -> int:
    """How many completions of a half-typed word to search: few while it is short."""
    return 3 if len(word) <= 2 else 6 if len(word) <= 3 else 10


@dataclass(frozen=True, slots=True)
class Found:
    """Documents matching in one field, best first, and how many match in all.

    With the search cache each document also comes with the line that matched (its place in
    Doc.lines, -1 for a title) and that line's length in words that count (0 when unknown).
    """

    docs: list[int]
    total: int
    lines: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    matched: list[int] = field(default_factory=list)  # partial matches: how many query words the line holds
    weights: list[float] = field(default_factory=list)  # the line's source weight (index terms)
    plain: list[float] = field(default_factory=list)  # 1.0: the line surely does not say 'unspecified'


NOTHING = Found([], 0)


class CachedCandidates:
    """Set operations over the cache's rank-ordered lists: a few milliseconds for any words."""

    def __init__(self, cache: SearchCache) -> None:
        self.cache = cache
        # Per field, the places in its terms of the words an 'unspecified' line holds (ranking.UNSPECIFIED_STEMS).
        self._vague_words = {
            name: frozenset(at for word in UNSPECIFIED_STEMS if (at := lists.find(word)) >= 0)
            for name, lists in cache.fields.items()
        }

    def _plain(self, name: str, unit: int) -> float:
        """1.0 when the unit holds none of the words of an 'unspecified' phrase (its line cannot be the
        'unspecified' choice), else 0.0 (it may be): the ranking's tie-break, known before reading the line."""
        return 0.0 if self.cache.fields[name].holds_one_of(unit, self._vague_words[name]) else 1.0

    def family(self, doc: int) -> float:
        """log2(1 + codes under the document): how broad a heading it is."""
        return self.cache.families[doc] / 16

    def static(self, doc: int) -> tuple[float, float]:
        """(0 for billable else 1, code length): the tie-breakers known without reading the document."""
        return (0.0 if self.cache.flags[doc] & BILLABLE else 1.0, float(self.cache.key_lengths[doc]))

    def default_code(self, doc: int) -> int | None:
        """The heading's default billable code from the cache (-1: none)."""
        return self.cache.defaults[doc]

    def descendants(self, doc: int, key: str, most: int) -> Sequence[int]:
        return self.cache.descendants(doc, most)

    def extra_words_bound(self, doc: int, said: int) -> int:
        """At least how many meaningful words the document's title adds to `said` of a heading's: its
        meaningful words (the cache's title length; 1 stands for 0 or 1) less those."""
        length = self.cache.fields["title"].unit_lengths[doc]
        return max(0, (length if length > 1 else 0) - said)

    def title_holder(self, wanted: Wanted) -> Callable[[int], bool]:
        """Whether a document's title may hold every word of wanted, from the cache alone.

        The half-typed word is checked too: reading and matching each of 150 codes under a heading
        for 'Insertion of Fee' cost 25 ms on a first search. Title words the typed prefix continues,
        and stems the prefix itself continues ('hemorrhoida' typed, 'hemorrhoid' indexed for
        'hemorrhoidal'), both count, so no title the line match would take is left out.
        """
        lists = self.cache.fields["title"]
        places = [[at for form in wanted.forms_of(word) if (at := lists.find(form)) >= 0] for word in wanted.stems]
        if not all(places):
            return lambda doc: False
        # Title words continuing the typed prefix are one run of the sorted terms; a title's words are
        # sorted term numbers, so one bisection per run answers (a set of the units of every
        # continuation cost ~1 ms per heading refined, up to 15 ms on one keystroke).
        runs: list[tuple[int, int]] = []
        shorter: list[int] = []
        if wanted.partial:
            for form in wanted.forms:
                low = bisect_left(lists.terms, form)
                runs.append((low, bisect_left(lists.terms, form + "\uffff", low)))
                shorter += [at for k in range(3, len(form)) if (at := lists.find(form[:k])) >= 0]

        def holds(doc: int) -> bool:
            if runs and not (
                any(lists.holds_any(doc, low, high) for low, high in runs)
                or any(lists.contains(at, doc) for at in shorter)
            ):
                return False
            return all(any(lists.contains(at, doc) for at in group) for group in places)

        return holds

    def known(self, stemmed: str) -> bool:
        return any(lists.find(stemmed) >= 0 for lists in self.cache.fields.values())

    def has_prefix(self, form: str) -> bool:
        """Some indexed word starts with form (a half-typed word can still become a word)."""
        for lists in self.cache.fields.values():
            at = bisect_left(lists.terms, form)
            if at < len(lists.terms) and lists.terms[at].startswith(form):
                return True
        return False

    def code_set(self, doc: int) -> CodeSet:
        return CODE_SETS[self.cache.code_sets[doc]]

    def completions(self, name: str, wanted: Wanted) -> list[str]:
        """The typed word itself, then its commonest continuations in this field."""
        lists = self.cache.fields[name]
        exact = stem(wanted.partial)
        found = [exact] if lists.find(exact) >= 0 and not wanted.completing else []
        size = completion_size(wanted.partial)
        for form in wanted.forms:
            found += [t for t in lists.completions(form, size + 1) if t != exact][:size]
        return list(dict.fromkeys(found))

    def _groups(self, name: str, wanted: Wanted, every: bool) -> list[list[str]] | None:
        """The query's words in this field, each a list of alternatives (completions of a typed word)."""
        lists = self.cache.fields[name]
        groups: list[list[str]] = []
        for stemmed in wanted.stems:
            present = [form for form in wanted.forms_of(stemmed) if lists.find(form) >= 0]
            if present:
                groups.append(present)
            elif every:
                return None
        if wanted.partial:
            options = self.completions(name, wanted)
            if options:
                groups.append(options)
            elif every:
                return None
        return groups or None

    def _member(self, name: str, group: list[str]) -> Callable[[int], bool]:
        """Whether a unit holds the group's word (any of its alternatives): its few words against the group's."""
        lists = self.cache.fields[name]
        places = [lists.find(term) for term in group]
        if len(places) == 1:
            at = places[0]
            return lambda unit: lists.contains(at, unit)
        wanted = frozenset(places)
        return lambda unit: lists.holds_one_of(unit, wanted)

    @staticmethod
    def _keep(lists: FieldLists, units: set[int], group: list[str]) -> set[int]:
        """The units holding a word of group: intersecting its lists when these are short next to the
        units, else looking at each unit's words (intersecting 'right', 20,000 units, with the 40 units
        'pleural' left cost 0.5 ms a keystroke)."""
        places = [at for term in group if (at := lists.find(term)) >= 0]
        offsets = lists.offsets
        if sum(offsets[at + 1] - offsets[at] for at in places) <= SCAN_FACTOR * len(units):
            out: set[int] = set()
            for at in places:
                out |= units.intersection(lists.postings[offsets[at] : offsets[at + 1]])
            return out
        wanted = frozenset(places)
        return {unit for unit in units if lists.holds_one_of(unit, wanted)}

    def _intersection(self, name: str, groups: list[list[str]]) -> set[int]:
        """The units holding a word of every group (groups[0] first: the smallest)."""
        lists = self.cache.fields[name]
        units: set[int] = set()
        for term in groups[0]:
            units.update(lists.units(term))  # in C: a set comprehension over 20,000 units cost 1-2 ms ('left s')
        for group in groups[1:]:
            if not units:
                break
            units = self._keep(lists, units, group)
        return units

    def _size(self, name: str, group: list[str]) -> int:
        return sum(self.cache.fields[name].frequency(term) for term in group)

    def _ranked(self, name: str, group: list[str]) -> Iterable[int]:
        lists = self.cache.fields[name]
        if len(group) == 1:
            return lists.units(group[0])
        lengths, flags, keys = lists.unit_lengths, self.cache.flags, self.cache.key_lengths

        def rank(unit: int) -> tuple[int, int, int, int, int]:  # the order the cache sorted each list in
            doc = lists.doc(unit)
            flag = flags[doc]
            return (flag & TERMINATED, lengths[unit], 0 if flag & BILLABLE else 1, keys[doc], unit)

        return _dedup(heapq.merge(*(lists.units(t) for t in group), key=rank))

    def all_words(self, name: str, wanted: Wanted, filters: SearchFilters, size: int) -> Found:
        groups = self._groups(name, wanted, True)
        if groups is None:
            return NOTHING
        lists = self.cache.fields[name]
        groups.sort(key=lambda g: self._size(name, g))
        driver, others = groups[0], [self._member(name, g) for g in groups[1:]]
        holds_all = _all_of(others)
        allow = FilterMask(filters, self.cache, families=True)
        out = Found([], 0)
        seen: set[int] = set()
        steps = 0
        every: set[int] | None = None
        check_at = LAZY_STEPS
        for unit in self._ranked(name, driver):
            steps += 1
            if steps == check_at and others and every is None:
                check_at *= 2
                # Matches are sparse ('Excision of S': 'excision' and an s-word in few titles): checking
                # each unit by bisection cost 30 ms over MERGE_STEPS units; one pass in C over the
                # other words' lists finds the units holding them all (the same units, in the same order).
                # Dense ones ('left s': a third of the 'left' titles) fill the page sooner one by one than
                # the pass over 40,000 units takes: the pass is made when the units still to check, at the
                # rate matches came so far, would cost more.
                found = len(out.docs)
                still = (size - found) * steps / max(1, found)
                if still * STEP_COST > sum(self._size(name, g) for g in groups):
                    every = self._intersection(name, groups)
            if unit in every if every is not None else holds_all(unit):
                doc = lists.doc(unit)
                if doc not in seen and allow(doc):
                    seen.add(doc)
                    out.docs.append(doc)
                    out.lines.append(lists.line(unit))
                    out.lengths.append(lists.unit_lengths[unit])
                    out.weights.append(lists.weight(unit))
                    out.plain.append(self._plain(name, unit))
                    if len(out.docs) >= size:
                        break
            if steps >= MERGE_STEPS:
                break
        if len(out.docs) < size and steps < MERGE_STEPS:
            return Found(out.docs, len(out.docs), out.lines, out.lengths, weights=out.weights, plain=out.plain)
        total = min(self._size(name, g) for g in groups)  # an upper bound: counting all would cost more
        return Found(out.docs, max(total, len(out.docs)), out.lines, out.lengths, weights=out.weights, plain=out.plain)

    def any_words(self, name: str, wanted: Wanted, filters: SearchFilters, size: int) -> Found:
        groups = self._groups(name, wanted, False)
        if groups is None:
            return NOTHING
        lists = self.cache.fields[name]
        allow = FilterMask(filters, self.cache, families=True)
        matched: dict[int, int] = {}
        # Texts holding several of the words hold one of the rarer ones too: reading the heads of the
        # rarest words' lists finds them, where reading every word's list cost 100 ms on long phrases.
        line_docs = lists.line_docs if len(lists.line_docs) else None  # None: units are documents
        for group in sorted(groups, key=lambda g: self._size(name, g))[:ANY_DRIVERS]:
            kept = 0
            for term in group:
                if kept >= 2 * size:
                    break
                for unit in lists.units(term):
                    if kept >= 2 * size:
                        break
                    if unit not in matched and allow(unit if line_docs is None else line_docs[unit]):
                        matched[unit] = 0
                        kept += 1
        # How many of the words each unit holds: one pass over each unit's few words against a table of
        # the groups' words, where a pass per group over the units cost ten of them on long phrases.
        groups_of: dict[int, list[int]] = {}
        for number, group in enumerate(groups):
            for term in group:
                at = lists.find(term)
                if at >= 0 and number not in groups_of.setdefault(at, []):
                    groups_of[at].append(number)
        words, starts = lists.unit_words, lists.unit_starts
        for unit in matched:
            matched[unit] = len({n for at in words[starts[unit] : starts[unit + 1]] for n in groups_of.get(at, ())})
        out = Found([], len(matched))
        seen: set[int] = set()
        for unit in sorted(matched, key=lambda u: (-matched[u], lists.unit_lengths[u], u)):
            doc = lists.doc(unit)
            if doc not in seen:
                seen.add(doc)
                out.docs.append(doc)
                out.lines.append(lists.line(unit))
                out.lengths.append(lists.unit_lengths[unit])
                out.matched.append(matched[unit])
                out.weights.append(lists.weight(unit))
                if len(out.docs) >= size:
                    break
        return out  # no `plain`: the line of a partial match may hold every word after all, and rank first


def _all_of(checks: list[Callable[[int], bool]]) -> Callable[[int], bool]:
    """One check that a unit passes every check, in order (no generator per unit for the usual one or two)."""
    if not checks:
        return lambda unit: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda unit: first(unit) and second(unit)
    return lambda unit: all(check(unit) for check in checks)


def _dedup(docs: Iterable[int]) -> Iterator[int]:
    last = -1
    for doc in docs:
        if doc != last:
            yield doc
            last = doc


class WhooshCandidates:
    """The same answers from Whoosh queries, used until the cache is ready (slower on common words)."""

    def __init__(self, searcher: Searcher, docs: DocCache) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._docs = docs

    @staticmethod
    def static(doc: int) -> tuple[float, float]:
        return (0.0, 0.0)

    @staticmethod
    def default_code(doc: int) -> int | None:
        return None  # worked out from the children instead

    @staticmethod
    def title_holder(wanted: Wanted) -> Callable[[int], bool]:
        return lambda doc: True  # the caller reads the title

    def descendants(self, doc: int, key: str, most: int) -> Sequence[int]:
        return self._docs.under(key, most)

    @staticmethod
    def extra_words_bound(doc: int, said: int) -> int:
        return 0  # nothing known before reading the document

    def family(self, doc: int) -> float:
        """log2(1 + codes directly under the document) (the cache counts all levels)."""
        found = self._docs.get(doc)
        if not found.code or found.kind in GROUPING:
            return 0.0
        return math.log2(1 + self._reader.doc_frequency("parent", found.code))

    def known(self, stemmed: str) -> bool:
        return any(self._reader.doc_frequency(f, stemmed) for f in _WHOOSH_FIELDS)

    def has_prefix(self, form: str) -> bool:
        return any(next(iter(self._reader.expand_prefix(f, form)), None) is not None for f in _WHOOSH_FIELDS)

    def code_set(self, doc: int) -> CodeSet:
        return self._docs.get(doc).code_set

    def completions(self, field: str, wanted: Wanted) -> list[str]:
        exact = stem(wanted.partial)
        found = [] if wanted.completing else [exact]
        size = completion_size(wanted.partial)
        for form in wanted.forms:
            for count, term in enumerate(self._reader.expand_prefix(field, form)):
                if count >= size:
                    break
                if term.decode("utf-8") != exact:
                    found.append(term.decode("utf-8"))
        return list(dict.fromkeys(found))

    def _query(self, field: str, wanted: Wanted, every: bool, filters: SearchFilters) -> wq.Query | None:
        clauses: list[wq.Query] = [wq.Or([wq.Term(field, f) for f in wanted.forms_of(s)]) for s in wanted.stems]
        if wanted.partial:
            options: list[wq.Query] = [wq.Term(field, t) for t in self.completions(field, wanted)]
            clauses.append(wq.Or(options))
        if not clauses:
            return None
        q: wq.Query = wq.And(clauses) if every else wq.Or(clauses)
        if filters.code_sets:
            q = wq.Require(q, wq.Or([wq.Term("code_set", str(c)) for c in sorted(filters.code_sets)]))
        return q  # billable-only is applied after, by the FilterMask (headings with billable children pass)

    def _run(self, field: str, wanted: Wanted, every: bool, filters: SearchFilters, size: int) -> Found:
        q = self._query(field, wanted, every, filters)
        if q is None:
            return NOTHING
        noncode, terminated = self._docs.masks()
        mask = noncode if filters.include_terminated else noncode | terminated
        wide = size * 4 if filters.billable_only else size
        results = self._searcher.search(q, limit=wide, mask=mask or None)
        docs = [doc for doc, _score in results.items()]
        if filters.billable_only:
            allow = FilterMask(filters, None, families=True)
            docs = [d for d in docs if allow.passes(self._docs.get(d), self._docs.has_billable_children)][:size]
        total = len(docs) if len(docs) < size else max(len(docs), q.estimate_size(self._reader))
        return Found(docs, total)

    def all_words(self, field: str, wanted: Wanted, filters: SearchFilters, size: int) -> Found:
        if field not in self._searcher.schema:
            return NOTHING  # a field only the search cache holds
        return self._run(field, wanted, True, filters, size)

    def any_words(self, field: str, wanted: Wanted, filters: SearchFilters, size: int) -> Found:
        if field not in self._searcher.schema:
            return NOTHING
        return self._run(field, wanted, False, filters, size)


Candidates = CachedCandidates | WhooshCandidates
__all__ = ["CachedCandidates", "Candidates", "FieldLists", "Found", "WhooshCandidates"]

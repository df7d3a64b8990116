"""Codes under the headings a word search found: the rest of the words, the default code, billable children."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.records import CodeSet, Hit, Kind, SearchFilters
from desktop.core.search.candidates import Candidates
from desktop.core.search.documents import GROUPING, Doc, DocCache
from desktop.core.search.filter_mask import FilterMask
from desktop.core.search.query import tokens
from desktop.core.search.ranking import Wanted, added_words, match_line, meaningful_stems

# Rank keys (sorted ascending) are (code-set rank, tier, -coverage, -quality, billable, vague, key length, docnum).
SET, TIER, COVERAGE, QUALITY = 0, 1, 2, 3
Scored = tuple[tuple[float, ...], Hit]

REFINE_HEADINGS, REFINE_SCAN, REFINE_MOST, REFINE_FACTOR = 5, 150, 6, 0.95  # see Headings.refine
DRILL_POSITIONS, DRILL_MOST = 5, 3  # headings among the first five get their default code after them
DEFAULTS_KEPT = 4096
FAMILY_MOST = 16  # billable children shown in place of one heading under Billable only (S72.002 has 16)


class Headings:
    """What sits under a heading, for the word search (runs under the engine's lock)."""

    def __init__(self, docs: DocCache) -> None:
        self._docs = docs
        self._defaults: dict[tuple[str, bool], str | None] = {}  # heading id -> its default code's id

    def default_code(self, source: Candidates, header: Hit, filters: SearchFilters) -> Doc | None:
        """The billable code a coder takes under a heading when nothing more was said (kept: typing repeats it)."""
        key = (header.doc_id, filters.include_terminated)
        if key not in self._defaults:
            if len(self._defaults) >= DEFAULTS_KEPT:
                self._defaults.clear()
            found = self._find_default(source, header, filters)
            self._defaults[key] = found.id if found is not None else None
        known = self._defaults[key]
        number = self._docs.numbers_for_id(known) if known else None
        return self._docs.get(number) if number is not None else None

    def refine(
        self, source: Candidates, scored: list[Scored], wanteds: list[Wanted], filters: SearchFilters, limit: int
    ) -> list[Scored]:
        """Codes under a partly matching heading whose own titles hold the rest of the words.

        'laparoscopic appendectomy': the PCS index says Appendectomy at 0DTJ, and the code under
        it whose title says 'Percutaneous Endoscopic' (the synonym of laparoscopic) holds the rest.
        """
        added: list[Scored] = []
        mask = FilterMask(filters, None)
        present = {hit.doc_id for key, hit in scored if key[TIER] == 0.0}  # partial matches may be upgraded
        headings = [(key, hit) for key, hit in scored if key[TIER] == 1.0 and not hit.billable][:REFINE_HEADINGS]
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
                    alternatives=wanted.alternatives,
                )
                if not line.found or not rest.size or (not rest.stems and len(rest.partial) < 3):
                    continue  # nothing left to look for, or only a letter or two of a word
                if children is None:
                    children = source.descendants(number, parent.key, REFINE_SCAN)
                may_hold = source.title_holder(rest)
                for number in children:
                    if len(added) >= REFINE_MOST or not may_hold(number):
                        continue
                    child = self._docs.get(number)
                    if child.code_set is not parent.code_set or child.id in present or not mask.passes(child):
                        continue
                    fit = match_line(child.title, rest)
                    if fit.matched >= rest.size:
                        present.add(child.id)
                        quality = -key[QUALITY] * REFINE_FACTOR * (0.9 + 0.1 * fit.precision)
                        order = (
                            key[SET],
                            0.0,
                            -1.0,
                            -round(quality, 2),
                            0.0 if child.billable else 1.0,
                            1.0,
                            float(len(child.key)),
                            float(child.docnum),
                        )
                        hit = child.hit(
                            heading.score + 100, heading.matched_field, heading.matched_text, heading.highlights
                        )
                        added.append((order, hit))
        if not added:
            return scored
        upgraded = {hit.doc_id for _key, hit in added}
        kept = [(key, hit) for key, hit in scored if hit.doc_id not in upgraded]
        return sorted(kept + added, key=lambda pair: pair[0])[:limit]

    def _find_default(self, source: Candidates, header: Hit, filters: SearchFilters) -> Doc | None:
        """The billable code a coder takes under a heading when nothing more was said (ranking.pick_default)."""
        mask = FilterMask(SearchFilters(include_terminated=filters.include_terminated), None)
        header_doc = self._docs.numbers_for_id(header.doc_id)
        known = source.default_code(header_doc) if header_doc is not None else None
        if known is not None and (known >= 0 or header.code_set is CodeSet.ICD10CM):  # the cache holds CM's
            found = self._docs.get(known) if known >= 0 else None
            return found if found is not None and mask.passes(found) else None
        code, code_set, said = header.code, header.code_set, meaningful_stems(header.title)
        for _level in range(5):
            child = self._pick_child(source, self._docs.children(code), code_set, mask, said)
            if child is None or child.billable:
                return child
            code = child.code
        return None

    def _pick_child(
        self, source: Candidates, numbers: list[int], code_set: CodeSet, mask: FilterMask, said: set[str]
    ) -> Doc | None:
        """ranking.pick_default over the children, reading only those that can win.

        A child adds at least (its meaningful words - the heading's) words, which the search cache
        knows without reading it; children are weighed in that order until none left can do better
        (a PCS body part has up to 200 codes: reading and weighing them all cost 17 ms on a keystroke).
        """
        best: Doc | None = None
        best_key: tuple[int, int] | None = None
        for bound, number in sorted((source.extra_words_bound(n, len(said)), n) for n in numbers):
            if best_key is not None and bound > best_key[0]:
                break
            child = self._docs.get(number)
            if child.code_set is not code_set or not mask.passes(child):
                continue
            key = (added_words(said, child.title), child.order)
            if best_key is None or key < best_key:
                best, best_key = child, key
        return best

    def drill_down(self, source: Candidates, hits: list[Hit], filters: SearchFilters) -> list[Hit]:
        """After each of the first few headings, its default billable code (moved up if listed lower)."""
        out: list[Hit] = []
        inserted: set[str] = set()
        for position, hit in enumerate(hits):
            if hit.doc_id in inserted:
                continue
            out.append(hit)
            if position >= DRILL_POSITIONS or len(inserted) >= DRILL_MOST or hit.billable:
                continue
            if hit.kind in GROUPING or not (hit.code_set is CodeSet.ICD10CM or hit.kind is Kind.PCS_BODY_PART):
                continue  # a PCS body part's default is its open approach; tables and sections have none
            child = self.default_code(source, hit, filters)
            if child is None or child.id in inserted or any(h.doc_id == child.id for h in out):
                continue
            inserted.add(child.id)
            listed = next((h for h in hits if h.doc_id == child.id), None)
            if listed is not None:  # it matched by itself: keep what it matched
                out.append(listed)
                continue
            out.append(_inherit(child, hit, -0.01))
        return out

    def billable_children(self, hits: list[Hit], filters: SearchFilters) -> list[Hit]:
        """Under Billable only, each heading replaced by its billable children (T39.1X1 -> T39.1X1A, D, S).

        The search lets such headings through (FilterMask families) so that a term landing on a
        6-character code still answers with the codes a coder can bill.
        """
        mask = FilterMask(filters, None)
        shown: set[str] = set()  # a child listed under its heading is not listed again lower down
        out: list[Hit] = []
        for hit in hits:
            if hit.billable:
                if not hit.doc_id or hit.doc_id not in shown:
                    shown.add(hit.doc_id)
                    out.append(hit)
                continue
            children = [self._docs.get(n) for n in self._docs.children(hit.code)]
            children.sort(key=lambda doc: doc.order)
            for n, child in enumerate(c for c in children if c.code_set is hit.code_set and mask.passes(c)):
                if n < FAMILY_MOST and child.id not in shown:
                    shown.add(child.id)
                    out.append(_inherit(child, hit, -0.001 * (n + 1)))
        return out


def _inherit(child: Doc, heading: Hit, shift: float) -> Hit:
    """A hit for a code under a heading, saying what the heading matched."""
    if heading.matched_text:
        return child.hit(heading.score + shift, heading.matched_field, heading.matched_text, heading.highlights)
    words = {heading.title[a:b].lower() for a, b in heading.highlights}
    spans = tuple((t.start, t.end) for t in tokens(child.title) if t.word in words)
    return child.hit(heading.score + shift, heading.matched_field, "", spans)

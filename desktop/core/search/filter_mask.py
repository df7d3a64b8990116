"""The one rule for which documents a search may show under the user's filters (code sets, billable, terminated)."""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.records import CodeSet, SearchFilters
from desktop.core.search.cache import BILLABLE, BILLABLE_CHILDREN, CODE_SETS, KINDS, TERMINATED, SearchCache
from desktop.core.search.documents import GROUPING, NON_CODE, Doc

_CODE_KIND = tuple(n < len(KINDS) and KINDS[n] not in NON_CODE for n in range(256))
_LISTED_KIND = tuple(ok and KINDS[n] not in GROUPING for n, ok in enumerate(_CODE_KIND))


class FilterMask:
    """Decides per document, from the search cache's bytes when it is built, else from the stored document.

    listing: a code-prefix listing, where chapters and sections are left out.
    families: with Billable only on, a heading whose own children are billable passes too, so a term
    that lands on it can be answered with those children (see word_search: a filter never hides the answer).
    exact: the code typed exactly, which is shown even when terminated (a coder checking an old code).
    """

    __slots__ = ("_cache", "_kinds", "billable_only", "code_sets", "families", "include_terminated")

    def __init__(
        self,
        filters: SearchFilters,
        cache: SearchCache | None,
        listing: bool = False,
        families: bool = False,
        exact: bool = False,
    ) -> None:
        self._cache = cache
        self._kinds = _LISTED_KIND if listing else _CODE_KIND
        self.code_sets: frozenset[CodeSet] = filters.code_sets
        self.billable_only = filters.billable_only
        self.include_terminated = filters.include_terminated or exact
        self.families = families and filters.billable_only

    def __call__(self, docnum: int) -> bool:
        """From the cache bytes alone; every document passes when there is no cache (then use passes())."""
        cache = self._cache
        if cache is None:
            return True
        if not self._kinds[cache.kinds[docnum]]:
            return False
        if self.code_sets and CODE_SETS[cache.code_sets[docnum]] not in self.code_sets:
            return False
        flags = cache.flags[docnum]
        if self.billable_only and not flags & BILLABLE and not (self.families and flags & BILLABLE_CHILDREN):
            return False
        return self.include_terminated or not flags & TERMINATED

    def passes(self, doc: Doc, billable_children: Callable[[Doc], bool] | None = None) -> bool:
        """The same rule from a stored document (the path used before the cache is built)."""
        if doc.kind in NON_CODE or (self._kinds is _LISTED_KIND and doc.kind in GROUPING):
            return False
        if self.code_sets and doc.code_set not in self.code_sets:
            return False
        family = self.families and billable_children is not None and billable_children(doc)
        if self.billable_only and not doc.billable and not family:
            return False
        return self.include_terminated or not doc.terminated

    def allows(self, doc: Doc, billable_children: Callable[[Doc], bool] | None = None) -> bool:
        """The cache's answer when built (cheap), else the stored document's."""
        if self._cache is not None:
            return self(doc.docnum)
        return self.passes(doc, billable_children)

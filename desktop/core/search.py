"""SearchEngine: open the index once and answer code lookups and word searches."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from whoosh import query as wq

from desktop.core.index import CodeIndex
from desktop.core.query import ParsedQuery, parse
from desktop.core.records import CodeSet, Hit, Kind, SearchFilters, SearchResult

CODE_KINDS = frozenset(str(k) for k in Kind if k not in (Kind.XREF, Kind.GUIDELINE, Kind.DEFINITION))
_TEXT_FIELDS = ("title", "index_terms", "inclusion", "extra", "short_title")


class SearchEngine:
    """Answers search() from one worker thread while other threads read engine.index."""

    def __init__(self, folder: Path) -> None:
        self.index = CodeIndex(folder)
        self._searcher = self.index.whoosh_index.searcher()
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
        self.index.close()

    def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> SearchResult:
        started = time.perf_counter()
        parsed = parse(text)
        with self._lock:
            hits, total = self._run(parsed, filters, max(1, limit))
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(text, tuple(hits), total, elapsed)

    def _filter(self, filters: SearchFilters) -> wq.Query:
        parts: list[wq.Query] = [wq.Or([wq.Term("kind", k) for k in sorted(CODE_KINDS)])]
        if filters.code_sets:
            parts.append(wq.Or([wq.Term("code_set", str(c)) for c in sorted(filters.code_sets)]))
        if filters.billable_only:
            parts.append(wq.Term("billable", True))
        if not filters.include_terminated:
            parts.append(wq.Not(wq.Term("terminated", True)))
        return wq.And(parts)

    def _run(self, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> tuple[list[Hit], int]:
        hits: list[Hit] = []
        seen: set[str] = set()
        total = 0
        allow = self._filter(filters)
        if parsed.code_key:
            exact = self._searcher.search(wq.Term("key", parsed.code_key), filter=allow, limit=limit)
            under = self._searcher.search(wq.Prefix("key", parsed.code_key), filter=allow, limit=limit,
                                          sortedby="order")
            for results, field in ((exact, "code"), (under, "code")):
                for found in results:
                    self._add(hits, seen, found.fields(), found.score or 0.0, field)
            total += len(under)
        if parsed.stems and len(hits) < limit:
            clauses = [wq.Or([wq.Term(f, s) for f in _TEXT_FIELDS]) for s in parsed.stems[:-1]]
            last = parsed.stems[-1]
            last_q = wq.Prefix if parsed.last_is_partial else wq.Term
            clauses.append(wq.Or([last_q(f, last) for f in _TEXT_FIELDS]))
            results = self._searcher.search(wq.And(clauses), filter=allow, limit=limit)
            for found in results:
                self._add(hits, seen, found.fields(), found.score or 0.0, "title")
            total += len(results)
        return hits[:limit], total

    @staticmethod
    def _add(hits: list[Hit], seen: set[str], fields: dict[str, Any], score: float, field: str) -> None:
        if fields["id"] in seen:
            return
        seen.add(fields["id"])
        hits.append(Hit(
            code=fields["code"], code_set=CodeSet(fields["code_set"]), title=fields.get("title", ""),
            kind=Kind(fields["kind"]), billable=bool(fields.get("billable")), score=score,
            matched_field=field, terminated=bool(fields.get("terminated")), doc_id=fields["id"],
        ))

"""SearchEngine: opens an index once and answers code lookups and word searches, ranked for coders."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet, Hit, SearchFilters, SearchResult
from desktop.core.search import cache as search_cache
from desktop.core.search import cache_build as search_cache_build
from desktop.core.search.cache import BILLABLE, CODE_SETS, KINDS, TERMINATED, SearchCache
from desktop.core.search.candidates import CachedCandidates, Candidates, WhooshCandidates
from desktop.core.search.documents import GROUPING, NON_CODE, Doc, DocCache
from desktop.core.search.query import ParsedQuery, looks_like_cm, looks_like_hcpcs, parse
from desktop.core.search.spelling import Vocabulary
from desktop.core.search.synonyms import SynonymTable
from desktop.core.search.word_search import WordSearch

log = logging.getLogger(__name__)

PREFIX_SCAN = 4000  # code keys read at most for one prefix listing (a filter may skip most of them)
COUNT_SCAN = 6000  # without the cache, keys counted at most under a prefix
NO_FILTERS = SearchFilters()
VOCABULARY_DELAY = 1.0  # seconds the warm-up waits for a first search before building the vocabulary
_ORDERS = {
    "cm": [CodeSet.ICD10CM, CodeSet.HCPCS, CodeSet.ICD10PCS, CodeSet.CPT],
    "hcpcs": [CodeSet.HCPCS, CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.CPT],
    "pcs": [CodeSet.ICD10PCS, CodeSet.ICD10CM, CodeSet.HCPCS, CodeSet.CPT],
    "default": [CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS, CodeSet.CPT],
}


class SearchEngine:
    """Answers search() on one worker thread while other threads read engine.index.

    The engine reads through its own Whoosh reader (own file handles) under its own lock, so the
    GUI thread's engine.index.detail() never shares state with a running search.
    """

    def __init__(self, folder: Path, synonyms: SynonymTable | None = None, warm_up: bool = True) -> None:
        self.folder = Path(folder)
        self.index = CodeIndex(self.folder)
        # Without mmap Whoosh reads files on demand; with it, it copies whole files into memory.
        self._ix = FileStorage(str(self.folder), supports_mmap=False).open_index()
        self._searcher = self._ix.searcher()
        self._lock = threading.Lock()
        self._docs = DocCache(self._searcher)
        self._identity = search_cache.identity(self.folder, self._searcher.reader())
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_lock = threading.Lock()
        self._searched = threading.Event()  # set after the first search
        self._ready = threading.Event()
        self._closed = False
        self.strict = False  # tests set this: an internal error raises instead of returning nothing
        self._words = WordSearch(self._docs, synonyms or SynonymTable.load(), self._get_vocabulary)
        self._fallback = WhooshCandidates(self._searcher, self._docs)
        self._cache: SearchCache | None = None
        self._candidates: Candidates = self._fallback
        for path in search_cache.locations(self.folder, self._identity):
            cache = search_cache.load(path, self._identity) if path.is_file() else None
            if cache is not None:
                self._use_cache(cache)
                break
        if warm_up:
            threading.Thread(target=self._warm_up, name="search-warm-up", daemon=True).start()
        else:
            self._ready.set()

    # -- life cycle ---------------------------------------------------------------------------

    def _use_cache(self, cache: SearchCache) -> None:
        self._cache = cache
        self._candidates = CachedCandidates(cache)

    def _warm_up(self) -> None:
        """Build the search cache if this index has none; then, once searching has begun, the vocabulary."""
        try:
            if self._cache is None:
                ix = whoosh_index.open_dir(str(self.folder))  # its own reader: no lock shared with search()
                try:
                    with ix.reader() as reader:
                        cache = search_cache_build.build(self.folder, reader, lambda: self._closed)
                finally:
                    ix.close()
                with self._lock:  # not in the middle of a search
                    self._use_cache(cache)
                for path in search_cache.locations(self.folder, self._identity):
                    try:
                        search_cache.save(cache, path)
                        break
                    except OSError:
                        continue
            # The vocabulary only serves typo correction: let the first searches go first.
            self._searched.wait(VOCABULARY_DELAY)
            if not self._closed:
                self._ensure_vocabulary()
        except search_cache.Cancelled:
            pass
        except Exception:  # a damaged index shows up in search(); warm-up just gives up
            log.exception("search warm-up failed")
        finally:
            self._ready.set()

    def _build_vocabulary(self) -> Vocabulary:
        cache = self._cache
        if cache is not None:
            return Vocabulary(
                (lists.terms[n], lists.offsets[n + 1] - lists.offsets[n])
                for lists in cache.fields.values()
                for n in range(len(lists.terms))
            )
        reader = self._searcher.reader()  # only reached from search(), which holds the lock
        return Vocabulary(
            (term.decode("utf-8"), info.doc_frequency())
            for name in ("title", "index_terms", "inclusion", "extra", "short_title")
            for term, info in reader.iter_field(name)
        )

    def _ensure_vocabulary(self) -> Vocabulary:
        with self._vocabulary_lock:
            if self._vocabulary is None:
                self._vocabulary = self._build_vocabulary()
            return self._vocabulary

    def _get_vocabulary(self) -> Vocabulary | None:
        return self._ensure_vocabulary()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the search cache and spelling vocabulary are built (benchmarks call this)."""
        return self._ready.wait(timeout)

    def close(self) -> None:
        self._closed = True
        self._searched.set()
        self._ready.wait(10.0)
        with self._lock:
            self._searcher.close()
            self._ix.close()
        self.index.close()

    # -- searching ----------------------------------------------------------------------------

    def search(self, text: str, filters: SearchFilters = NO_FILTERS, limit: int = 50) -> SearchResult:
        """Ranked hits for a code, code prefix or words; never raises for any input text."""
        started = time.perf_counter()
        try:
            with self._lock:
                hits, total, note = self._search(parse(text), filters, max(1, min(int(limit), 1000)))
        except Exception:
            if self.strict:
                raise
            log.exception("search failed for %r", str(text)[:100])
            hits, total, note = [], 0, ""
        self._searched.set()
        return SearchResult(text, tuple(hits), total, (time.perf_counter() - started) * 1000, note)

    def _search(self, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> tuple[list[Hit], int, str]:
        hits: list[Hit] = []
        total = 0
        if parsed.code_key:
            hits, total = self._code_hits(parsed, filters, limit)
        note = ""
        if parsed.stems and not (hits and parsed.has_digit) and len(parsed.text) > 1 and len(hits) < limit:
            found = self._words.search(self._candidates, parsed, filters, limit)
            seen = {hit.doc_id for hit in hits}
            hits += [hit for hit in found.hits if hit.doc_id not in seen][: limit - len(hits)]
            total += found.total
            note = found.note
        return hits, max(total, len(hits)), note

    # -- codes --------------------------------------------------------------------------------

    def _allowed(self, docnum: int, filters: SearchFilters, listing: bool) -> bool:
        """Cheap checks from the cache bytes before a document is read (all pass without a cache)."""
        cache = self._cache
        if cache is None:
            return True
        kind = cache.kinds[docnum]
        if kind >= len(KINDS) or KINDS[kind] in NON_CODE or (listing and KINDS[kind] in GROUPING):
            return False
        if filters.code_sets and CODE_SETS[cache.code_sets[docnum]] not in filters.code_sets:
            return False
        if filters.billable_only and not cache.flags[docnum] & BILLABLE:
            return False
        return filters.include_terminated or not cache.flags[docnum] & TERMINATED

    def _probe(self, docnum: int, filters: SearchFilters, listing: bool, cm_only: bool) -> CodeSet | None:
        """The code set of a document that may be listed, else None (from the cache bytes when built)."""
        cache = self._cache
        if cache is not None:
            if not self._allowed(docnum, filters, listing):
                return None
            code_set = CODE_SETS[cache.code_sets[docnum]]
        else:
            doc = self._docs.get(docnum)
            if doc.kind in NON_CODE or (listing and doc.kind in GROUPING) or not _passes(doc, filters):
                return None
            code_set = doc.code_set
        return None if cm_only and code_set is not CodeSet.ICD10CM else code_set

    def _code_hits(self, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> tuple[list[Hit], int]:
        key = parsed.code_key
        order = _code_set_order(parsed)
        cm_only = looks_like_cm(parsed.text)
        exact = [
            self._docs.get(n)
            for n in self._docs.numbers_for_key(key)
            if self._probe(n, filters, False, False) is not None
        ]
        exact.sort(key=lambda d: (order.index(d.code_set), d.order))
        under: dict[CodeSet, list[int]] = {}
        kept = 0
        complete = True
        for scanned, term in enumerate(self._searcher.reader().expand_prefix("key", key)):
            if kept >= 2 * limit or scanned >= PREFIX_SCAN:
                complete = False
                break
            if len(term) > len(key):
                for docnum in self._docs.numbers_for_key(term.decode("utf-8")):
                    code_set = self._probe(docnum, filters, True, cm_only)
                    if code_set is not None:
                        under.setdefault(code_set, []).append(docnum)
                        kept += 1
        listed = [self._docs.get(docnum) for docnum in _balance(under, order, limit - len(exact))]
        listed.sort(key=lambda doc: (order.index(doc.code_set), doc.order))  # official order within a set
        hits = [doc.hit(1000.0, "code", "", ()) for doc in exact]
        hits += [doc.hit(900.0 - n * 0.01, "code", "", ()) for n, doc in enumerate(listed)]
        # Exact when every key under the prefix was read; else the count of all of them (filters not applied).
        total = len(exact) + (kept if complete else max(kept, self._count_under(key)))
        return hits[:limit], total

    def _count_under(self, key: str) -> int:
        """Code documents whose key extends key (one table lookup for one and two characters)."""
        cache = self._cache
        if cache is not None and key in cache.prefix_counts:
            return cache.prefix_counts[key]
        count = 0
        for term in self._searcher.reader().expand_prefix("key", key):
            count += len(term) > len(key)
            if count >= COUNT_SCAN:
                break
        return count


def _code_set_order(parsed: ParsedQuery) -> list[CodeSet]:
    """Which code set a code-shaped input most likely means, first."""
    key = parsed.code_key
    if looks_like_cm(parsed.text):
        return _ORDERS["cm"]
    if looks_like_hcpcs(key) or (len(key) == 2 and key.isalpha()):
        return _ORDERS["hcpcs"]
    if (key[0].isdigit() and not (key.isdigit() and len(key) <= 2)) or len(key) == 7:
        return _ORDERS["pcs"]
    return _ORDERS["default"]


def _passes(doc: Doc, filters: SearchFilters) -> bool:
    if filters.code_sets and doc.code_set not in filters.code_sets:
        return False
    if filters.billable_only and not doc.billable:
        return False
    return filters.include_terminated or not doc.terminated


def _balance(groups: dict[CodeSet, list[int]], order: list[CodeSet], room: int) -> list[int]:
    """Code-set blocks in preference order, each in code (key) order, each getting a fair share of room."""
    present = [code_set for code_set in order if groups.get(code_set)]
    quota = dict.fromkeys(present, 0)
    left = max(0, room)
    while left > 0 and any(quota[c] < len(groups[c]) for c in present):
        for code_set in present:
            if left and quota[code_set] < len(groups[code_set]):
                quota[code_set] += 1
                left -= 1
    return [docnum for code_set in present for docnum in groups[code_set][: quota[code_set]]]

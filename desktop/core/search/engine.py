"""SearchEngine: opens an index once and answers code lookups and word searches, ranked for coders."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet, Hit, Kind, SearchFilters, SearchResult
from desktop.core.search import cache as search_cache
from desktop.core.search import icd9
from desktop.core.search.cache import SearchCache
from desktop.core.search.candidates import CachedCandidates, Candidates, WhooshCandidates
from desktop.core.search.code_lookup import CodeLookup
from desktop.core.search.documents import DocCache
from desktop.core.search.guideline_hits import MOST as GUIDELINE_ROWS
from desktop.core.search.guideline_hits import GuidelineSearch, leading, names_a_section
from desktop.core.search.query import ParsedQuery, parse
from desktop.core.search.spelling import Vocabulary
from desktop.core.search.synonyms import SynonymTable
from desktop.core.search.word_search import WordResult, WordSearch

log = logging.getLogger(__name__)

NO_FILTERS = SearchFilters()
# The warm-up (guideline sections ~0.2 s, spelling vocabulary ~0.25 s of Python) shares the interpreter
# with the window: run at start-up, it doubled the time to the first result shown. It waits for the
# first search and a pause in typing, or this long after opening when nobody searches.
VOCABULARY_DELAY = 3.0
QUIET = 0.3  # seconds without a search that count as a pause in typing
MAX_LIMIT = 1000
# Rows a search returns unless asked for more: a screen and a half of the results list (it shows about 20
# rows at 900 px). Ranking and each row's matched line are most of a word search, and with fewer rows to
# fill more queries need no partial matches: each keystroke's answer costs about a third less than at 50
# rows (bench p95 16.8 -> 11.3 ms, each query at both). Scrolling to the end, the list's last row, or a
# list taller than its rows asks for the next page.
PAGE = 30
PAGES_KEPT = 8  # recent queries whose hits a "load more" extends


class SearchEngine:
    """Answers search() on one worker thread while other threads read engine.index.

    The engine reads through its own Whoosh reader (own file handles) under its own lock, so the
    GUI thread's engine.index.detail() never shares state with a running search.
    """

    def __init__(
        self,
        folder: Path,
        synonyms: SynonymTable | None = None,
        warm_up: bool = True,
        vocabulary_delay: float = VOCABULARY_DELAY,
    ) -> None:
        self.folder = Path(folder)
        self.index = CodeIndex(self.folder)
        # Without mmap Whoosh reads files on demand; with it, it copies whole files into memory.
        self._ix = FileStorage(str(self.folder), supports_mmap=False).open_index()
        self._searcher = self._ix.searcher()
        self._lock = threading.Lock()
        self._docs = DocCache(self._searcher)
        self._codes = CodeLookup(self._searcher.reader(), self._docs)
        self._vocabulary_delay = vocabulary_delay
        self._pages: OrderedDict[tuple[str, SearchFilters], tuple[int, list[Hit], int, WordResult]] = OrderedDict()
        self._identity = search_cache.identity(self.folder, self._searcher.reader())
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_lock = threading.Lock()
        self._searched = threading.Event()  # set after the first search
        self._last_search = 0.0  # time.monotonic() when the latest search ended
        self._ready = threading.Event()
        self._closed = False
        self.strict = False  # tests set this: an internal error raises instead of returning nothing
        self._words = WordSearch(self._docs, synonyms, self._get_vocabulary)
        # Suffix-formed procedure words are split into root + root operation only where PCS can answer:
        # in an ICD-10-CM-only index 'appendectomy' must find nothing (and name the missing file), not appendicitis.
        self._words.procedures = self._searcher.reader().doc_frequency("code_set", str(CodeSet.ICD10PCS)) > 0
        self._fallback = WhooshCandidates(self._searcher, self._docs)
        self._cache: SearchCache | None = None
        self._candidates: Candidates = self._fallback
        self._guidelines: GuidelineSearch | None = None  # read on warm-up or at the first search
        # Set once the warm-up has read the guideline sections (or without a warm-up): until then a word
        # search leaves them out rather than read them itself (~0.2 s) on the way to its first answer.
        self._guidelines_tried = threading.Event()
        self._sections_lock = threading.Lock()  # taken after self._lock, never before it
        self._sections_read: GuidelineSearch | None = None
        if not warm_up:
            self._guidelines_tried.set()
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
        self._codes.cache = cache
        self._candidates = CachedCandidates(cache)

    def _warm_up(self) -> None:
        """Build the search cache if this index has none; then, once the first search is answered and
        typing pauses, read the guideline sections and build the vocabulary."""
        try:
            if self._cache is None:
                ix = whoosh_index.open_dir(str(self.folder))  # its own reader: no lock shared with search()
                try:
                    with ix.reader() as reader:
                        # Imported here: only an index without a search cache beside it needs the builder.
                        from desktop.core.search import cache_build as search_cache_build

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
            self._wait_for_a_pause()
            if not self._closed:
                self._words.tables()  # no lock needed: the tables are read once, under their own lock
                self._warm_guidelines()
            if not self._closed:
                self._ensure_vocabulary()
                _freeze_once()
        except search_cache.Cancelled:
            pass
        except Exception:  # a damaged index shows up in search(); warm-up just gives up
            log.exception("search warm-up failed")
        finally:
            self._guidelines_tried.set()  # from now on a search reads the sections itself if need be
            self._ready.set()

    def _wait_for_a_pause(self) -> None:
        """Until the first search has been answered and no search ran for QUIET seconds (at most
        vocabulary_delay seconds when nobody searches): the first results come before the warm-up."""
        if not self._searched.wait(self._vocabulary_delay) or self._vocabulary_delay <= 0:
            return
        while not self._closed:
            idle = time.monotonic() - self._last_search
            if idle >= QUIET:
                return
            time.sleep(QUIET - idle)

    def _warm_guidelines(self) -> None:
        """Read the guideline sections through a reader of its own, so searches need not; pages answered
        without them are forgotten, so asking again lists the sections."""
        try:
            guidelines = self._sections_read
            if guidelines is None:
                ix = FileStorage(str(self.folder), supports_mmap=False).open_index()
                try:
                    with ix.reader() as reader:
                        guidelines = self._read_once(reader)
                finally:
                    ix.close()
            with self._lock:
                if self._guidelines is None:
                    self._guidelines = guidelines
                    self._pages.clear()
        except Exception:  # a damaged index shows up in search(), which reads them itself
            log.exception("reading the guideline sections failed")
        finally:
            self._guidelines_tried.set()

    def _read_once(self, reader: Any) -> GuidelineSearch:
        """The guideline sections, read by whichever thread asks first (the other waits for them)."""
        with self._sections_lock:
            if self._sections_read is None:
                self._sections_read = self._read_guidelines(reader)
            return self._sections_read

    @staticmethod
    def _read_guidelines(reader: Any) -> GuidelineSearch:
        try:
            numbers = sorted(reader.postings("kind", str(Kind.GUIDELINE).encode()).all_ids())
        except Exception:  # TermNotFound: an index without guideline sections
            numbers = []
        stored = (reader.stored_fields(number) for number in numbers)
        return GuidelineSearch((fields.get("id", ""), fields.get("detail", "")) for fields in stored)

    def _guideline_search(self, text: str) -> GuidelineSearch:
        """The guideline sections (called under the lock): the warm-up's; before it has read them, none
        for a word search (the first results do not wait ~0.2 s for them) and read here for a section
        number, or when there is no warm-up or it failed."""
        if self._guidelines is None:
            if not self._guidelines_tried.is_set() and not names_a_section(text):
                return GuidelineSearch(())
            self._guidelines = self._read_once(self._searcher.reader())
        return self._guidelines

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

    def search(self, text: str, filters: SearchFilters = NO_FILTERS, limit: int = PAGE) -> SearchResult:
        """Ranked hits for a code, code prefix or words; never raises for any input text.

        Asked again with a larger limit (the shell's "load more"), a recent query keeps the hits it
        returned and adds more after them; hits come in one block per code set, the likeliest first.
        """
        started = time.perf_counter()
        try:
            with self._lock:
                hits, total, words = self._paged(str(text), filters, max(1, min(int(limit), MAX_LIMIT)))
        except Exception:
            if self.strict:
                raise
            log.exception("search failed for %r", str(text)[:100])
            hits, total, words = [], 0, WordResult([], 0)
        self._last_search = time.monotonic()
        self._searched.set()
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(text, tuple(hits), total, elapsed, words.note, words.corrected, words.ignored)

    def _paged(self, text: str, filters: SearchFilters, limit: int) -> tuple[list[Hit], int, WordResult]:
        """The search, with "load more" keeping what was shown: a larger limit for the same query
        adds hits after the ones already returned (a new search ranks the tail of a page afresh)."""
        key = (text, filters)
        known = self._pages.get(key)
        if known is not None:
            self._pages.move_to_end(key)
            shown, hits, total, words = known
            if limit <= shown or len(hits) < shown:  # asked for fewer, or every match was already listed
                return hits[:limit], total, words
        found, total, words = self._search(parse(text), filters, limit)
        if known is not None:
            kept = known[1]
            ids = {hit.doc_id for hit in kept}
            found = kept + [hit for hit in found if hit.doc_id not in ids][: limit - len(kept)]
            total = max(total, known[2])
        self._pages[key] = (limit, found, total, words)
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return found, max(total, len(found)), words

    def _search(self, parsed: ParsedQuery, filters: SearchFilters, limit: int) -> tuple[list[Hit], int, WordResult]:
        guidelines = self._guideline_search(parsed.text)
        numbered = guidelines.by_number(parsed.text, filters)
        if numbered and "." in parsed.text:  # a section number as printed (I.C.4.a): that section first
            return numbered[:limit], len(numbered), WordResult([], 0)
        hits: list[Hit] = []
        total = 0
        if parsed.code_key:
            hits, total = self._codes.search(parsed, filters, limit)
        words = WordResult([], 0)
        if parsed.stems and not (hits and parsed.has_digit) and len(parsed.text) > 1 and len(hits) < limit:
            # After code hits, word hits of the same code set come first: one block per code set.
            prefer = hits[-1].code_set if hits else None
            words = self._words.search(self._candidates, parsed, filters, limit, prefer)
            seen = {hit.doc_id for hit in hits}
            hits += [hit for hit in words.hits if hit.doc_id not in seen][: limit - len(hits)]
            total += words.total
            found, count = guidelines.by_words(parsed, filters)
            ids = {hit.doc_id for hit in numbered}
            sections = [*numbered, *(hit for hit in found if hit.doc_id not in ids)][:GUIDELINE_ROWS]
            first = leading(hits, sections, parsed)
            rest = [hit for hit in sections if hit not in first]
            hits, total = first + _below(hits, rest, limit - len(first)), total + max(count, len(sections))
        elif not parsed.stems:
            words = WordResult([], 0, *_nothing_searchable(parsed.text))
        if parsed.code_key:  # a retired ICD-9-CM code typed exactly: it and the ICD-10-CM codes it maps to
            hits = icd9.crosswalk_hits(parsed.text, hits, self._docs, self.index, filters)[:limit]
        return hits, max(total, len(hits)), words


def _below(hits: list[Hit], sections: list[Hit], limit: int) -> list[Hit]:
    """Guideline sections after the code hits of their code set, on the first page: when codes fill it,
    the sections take at most a fifth of it (a coder searching 'diabetes' sees the E11 codes, then I.C.4.a)."""
    if not sections:
        return hits
    take = len(sections) if len(hits) + len(sections) <= limit else min(len(sections), limit // 5)
    placed = hits[: limit - take]
    for section in sections[:take]:  # at the end of their code set's block: one block per code set
        ends = [n for n, hit in enumerate(placed) if hit.code_set is section.code_set]
        placed.insert(ends[-1] + 1 if ends else len(placed), section)
    return placed


_frozen = threading.Event()


def _freeze_once() -> None:
    """Hide what exists once the first engine is warm from the cyclic collector, for good.

    The cache, vocabulary and synonym tables live as long as the program: a full collection walked
    their millions of references in the middle of a keystroke (45 ms pauses on the bench stream, 6 ms
    frozen). Only once, and never thawed: garbage thawed later was collected wherever the next
    collection ran, which crashed the Qt shell (see desktop/gc_guard.py), and a collection here, off
    the GUI thread, could destroy widgets on the wrong thread.
    """
    if not _frozen.is_set():
        _frozen.set()
        gc.freeze()


def _nothing_searchable(text: str) -> tuple[str, str, tuple[str, ...]]:
    """The note for input with no word to search ('%%%'), so the user is told rather than shown nothing."""
    pieces = tuple(text.split())
    return (f"No match for {', '.join(pieces)}" if pieces else "", "", pieces)

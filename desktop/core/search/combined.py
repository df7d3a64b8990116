"""Searches and reads the main index and the user's imported CPT index as one (no Qt)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from desktop.core.codes import code_key
from desktop.core.index import ChildRef, CodeDetail, CodeIndex
from desktop.core.manifest import Manifest
from desktop.core.records import (
    CodeRecord,
    CodeSet,
    GuidelineSection,
    Hit,
    Kind,
    PcsDefinition,
    PcsDeviceAggregate,
    SearchFilters,
    SearchResult,
)
from desktop.core.search.engine import NO_FILTERS, PAGE, SearchEngine
from desktop.core.search.query import parse


def _is_cpt(code_set: CodeSet | str) -> bool:
    return str(code_set) == str(CodeSet.CPT)


class CombinedIndex:
    """The CodeIndex API over both indexes: CPT reads go to the CPT index, everything else to the main one."""

    def __init__(self, main: CodeIndex, cpt: CodeIndex) -> None:
        self.main, self.cpt = main, cpt
        self.folder: Path = main.folder
        # The main manifest with CPT's releases added, so code-set chips and the About box list CPT;
        # the CPT manifest itself stays at hand for its import date.
        self.manifest: Manifest = dataclasses.replace(main.manifest, code_sets=self.releases())
        self.cpt_manifest: Manifest = cpt.manifest

    def _for(self, code_set: CodeSet | str) -> CodeIndex:
        return self.cpt if _is_cpt(code_set) else self.main

    @property
    def whoosh_index(self) -> Any:
        return self.main.whoosh_index

    def close(self) -> None:
        try:
            self.main.close()
        finally:
            self.cpt.close()

    def releases(self) -> list[dict[str, Any]]:
        return self.main.releases() + self.cpt.releases()

    def record(self, code_set: CodeSet | str, code: str) -> CodeRecord | None:
        return self._for(code_set).record(code_set, code)

    def detail(self, code_set: CodeSet | str, code: str) -> CodeDetail | None:
        return self._for(code_set).detail(code_set, code)

    def children(self, code_set: CodeSet | str, code: str) -> list[ChildRef]:
        return self._for(code_set).children(code_set, code)

    def guidelines(self, code_set: CodeSet | str, keys: Iterable[str]) -> list[GuidelineSection]:
        return self._for(code_set).guidelines(code_set, keys)

    def records_of_kind(self, code_set: CodeSet | str, kind: Kind) -> list[CodeRecord]:
        return self._for(code_set).records_of_kind(code_set, kind)

    def definition(self, section: str, position: int, label: str) -> PcsDefinition | None:
        return self.main.definition(section, position, label)  # PCS only

    def device_aggregates(self) -> list[PcsDeviceAggregate]:
        return self.main.device_aggregates()


class CombinedEngine:
    """SearchEngine's API over the main engine and, when the user imported CPT, the CPT engine."""

    def __init__(self, main: SearchEngine, cpt: SearchEngine | None) -> None:
        self.main, self.cpt = main, cpt
        self.index: CodeIndex | CombinedIndex = main.index if cpt is None else CombinedIndex(main.index, cpt.index)
        self.problem = ""  # why an imported CPT index was left out, for the status bar

    @property
    def strict(self) -> bool:
        return self.main.strict

    @strict.setter
    def strict(self, value: bool) -> None:
        self.main.strict = value
        if self.cpt is not None:
            self.cpt.strict = value

    def wait_ready(self, timeout: float | None = None) -> bool:
        ready = self.main.wait_ready(timeout)
        return (self.cpt.wait_ready(timeout) if self.cpt is not None else True) and ready

    def close(self) -> None:
        try:
            self.main.close()
        finally:
            if self.cpt is not None:
                self.cpt.close()

    def search(self, text: str, filters: SearchFilters = NO_FILTERS, limit: int = PAGE) -> SearchResult:
        """Both engines' hits merged, one block per code set (see merge_hits; each engine never raises)."""
        cpt = self.cpt
        wants_cpt = not filters.code_sets or CodeSet.CPT in filters.code_sets
        if cpt is None or not wants_cpt:
            return self.main.search(text, filters, limit)
        if filters.code_sets == frozenset({CodeSet.CPT}):
            return cpt.search(text, filters, limit)
        started = time.perf_counter()
        first = self.main.search(text, filters, limit)
        second = cpt.search(text, filters, limit)
        return SearchResult(
            text,
            merge_hits(text, first.hits, second.hits, limit),
            first.total + second.total,
            (time.perf_counter() - started) * 1000,
            first.note or second.note,
        )


def merge_hits(text: str, first: Iterable[Hit], second: Iterable[Hit], limit: int) -> tuple[Hit, ...]:
    """The main engine's hits in its code-set blocks, with the CPT engine's hits as one more block.

    The main engine ranks one block per code set, the likeliest first; mixing the two lists by score
    interleaved CPT rows with them. The CPT block goes before the first main block it beats: a block
    holding the typed code beats one that does not, then the better best hit wins (ties keep the main
    engine's order). Each block keeps its engine's order.
    """
    try:
        key = parse(text).code_key
    except Exception:  # any input text must give an answer; then nothing counts as an exact code
        key = ""
    seen: set[str] = set()
    blocks: dict[str, list[Hit]] = {}  # in the order each code set first appears
    for hit in (*first, *second):
        ident = hit.doc_id or f"{hit.code_set}:{hit.code}"
        if ident not in seen:
            seen.add(ident)
            blocks.setdefault(str(hit.code_set), []).append(hit)
    cpt = blocks.pop(str(CodeSet.CPT), [])
    ordered = list(blocks.values())
    if cpt:

        def strength(block: list[Hit]) -> tuple[bool, float]:
            exact = bool(key) and any(code_key(hit.code) == key for hit in block)
            return (not exact, -max(hit.score for hit in block))

        at = next((n for n, block in enumerate(ordered) if strength(cpt) < strength(block)), len(ordered))
        ordered.insert(at, cpt)
    return tuple(hit for block in ordered for hit in block)[: max(1, limit)]


def open_combined(main: SearchEngine, cpt_folder: Path | None) -> CombinedEngine:
    """The combined engine; when the CPT index exists but cannot be opened, its .problem says why.

    A damaged CPT import never blocks the main index: it is left out and reported.
    """
    if cpt_folder is None:
        return CombinedEngine(main, None)
    try:
        cpt = SearchEngine(cpt_folder)
    except Exception as exc:  # IndexProblem, or whoosh's many errors for a damaged segment
        engine = CombinedEngine(main, None)
        engine.problem = f"Your imported CPT data could not be opened and is not shown ({exc})."
        return engine
    return CombinedEngine(main, cpt)

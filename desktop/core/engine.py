"""The seam between the shell and the core: the Engine and CodeReader protocols, and open_engine()."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from desktop.core import paths
from desktop.core.index import ChildRef, CodeDetail, IndexProblem
from desktop.core.manifest import MANIFEST_NAME, Manifest
from desktop.core.records import (
    CodeRecord,
    CodeSet,
    GuidelineSection,
    Kind,
    PcsDefinition,
    PcsDeviceAggregate,
    SearchFilters,
    SearchResult,
)
from desktop.core.search.combined import CombinedEngine, open_combined
from desktop.core.search.engine import MAX_LIMIT as MAX_LIMIT  # the most rows a search returns (for the shell)
from desktop.core.search.engine import PAGE, SearchEngine


class CodeReader(Protocol):
    """What the detail tabs read by code: a CodeIndex, or a CombinedIndex when CPT was imported.

    Safe to call from the GUI thread while a search runs on the worker thread.
    """

    @property
    def folder(self) -> Path: ...

    @property
    def manifest(self) -> Manifest: ...

    def releases(self) -> list[dict[str, Any]]: ...

    def record(self, code_set: CodeSet | str, code: str) -> CodeRecord | None: ...

    def detail(self, code_set: CodeSet | str, code: str) -> CodeDetail | None: ...

    def children(self, code_set: CodeSet | str, code: str) -> list[ChildRef]: ...

    def guidelines(self, code_set: CodeSet | str, keys: Iterable[str]) -> list[GuidelineSection]: ...

    def records_of_kind(self, code_set: CodeSet | str, kind: Kind) -> list[CodeRecord]: ...

    def definition(self, section: str, position: int, label: str) -> PcsDefinition | None: ...

    def device_aggregates(self) -> list[PcsDeviceAggregate]: ...


class Searcher(Protocol):
    """What the search controller's worker thread calls: one query at a time, never raising for bad input."""

    def search(self, text: str, filters: SearchFilters = ..., limit: int = PAGE) -> SearchResult: ...


class Engine(Searcher, Protocol):
    """What the main window is given: a searcher and the index it searches."""

    @property
    def index(self) -> CodeReader: ...

    @property
    def problem(self) -> str:
        """Why part of the data was left out (a damaged CPT import), for the status bar; '' when none."""
        ...

    def close(self) -> None: ...


def open_engine(folder: Path, cpt_folder: Path | None = None) -> CombinedEngine:
    """The engine on folder plus the user's imported CPT index (default paths.cpt_index_dir()) if any.

    Raises IndexProblem (a message for a coder) when the main index cannot be opened. A CPT index
    that cannot be opened is left out; engine.problem says why.
    """
    try:
        main = SearchEngine(folder)
    except IndexProblem:
        raise
    except Exception as exc:  # whoosh and the OS raise many kinds; the user needs one plain message
        raise IndexProblem(f"The index in {folder} cannot be opened ({exc}).") from exc
    cpt = cpt_folder if cpt_folder is not None else paths.cpt_index_dir()
    return open_combined(main, cpt if (cpt / MANIFEST_NAME).is_file() else None)

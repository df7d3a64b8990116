"""The build's search cache, made from the documents while Whoosh writes them: in a second process when worth it.

The cache's arrays come from the documents in the order Whoosh numbers them (cache_build.RecordSource),
so they need not wait for the finished index. A full build hands them to a second process (started with
`spawn`, as on Windows and macOS) that builds the arrays during the Whoosh write, which takes longer;
the cache's identity hashes the manifest, so the process saves the file only once the manifest is written
and its identity sent. Small builds (the process costs about a second to start) and the frozen app
(which bundles no multiprocessing) build the same arrays in this process after the write.

A crash of the second process, or an error in it, raises SearchCacheFailed; a cancelled or failed build
stops it (CacheBuild's exit), and the staging folder with whatever it wrote is removed.
"""

from __future__ import annotations

import dataclasses
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from desktop.core.search import cache_build
from desktop.core.search.cache import FILE_NAME, identity_of, save

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

PROCESS_MIN_DOCUMENTS = 20_000  # below this the arrays take about as long as starting a process
_CHUNK = 8192  # documents per message to the second process
_POLL_S = 0.1  # how often a wait for the second process checks for a cancel


class SearchCacheFailed(RuntimeError):
    """The search cache could not be built; the build stops and the index in place is unchanged."""


def _serve(conn: Connection) -> None:
    """The second process: documents (chunks, then None), build, then (folder, identity) -> save -> report."""
    try:
        documents: list[dict[str, Any]] = []
        while (chunk := conn.recv()) is not None:
            documents.extend(chunk)
        started = time.perf_counter()
        cache = cache_build.build_from(cache_build.RecordSource(documents), "")
        seconds = time.perf_counter() - started
        del documents
        folder, identity = conn.recv()
        save(dataclasses.replace(cache, identity=identity), Path(folder) / FILE_NAME)
        conn.send(("saved", seconds))
    except EOFError:  # the build went away (cancelled, failed or killed): nothing to report to
        return
    except BaseException:  # the builder must learn what broke, in its own words
        conn.send(("failed", traceback.format_exc()))
        raise SystemExit(1) from None


class CacheBuild:
    """One build's search cache: give() the documents before Whoosh writes them, finish() after the manifest."""

    def __init__(self, documents_expected: int, cancelled: Callable[[], bool] = lambda: False) -> None:
        """cancelled: polled while the cache is built or waited for; True raises cache_build.Cancelled."""
        self._cancelled = cancelled
        self._documents: list[dict[str, Any]] = []
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._sent = 0  # documents given to the second process
        self.seconds = 0.0  # how long the arrays took to build (in the second process: beside the write)
        self.in_process = documents_expected < PROCESS_MIN_DOCUMENTS or bool(getattr(sys, "frozen", False))

    def __enter__(self) -> CacheBuild:
        if not self.in_process:
            import multiprocessing  # not bundled in the frozen app, which never gets here

            context = multiprocessing.get_context("spawn")  # the same on every OS; fork is unsafe beside Qt threads
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs,), name="codeatlas-search-cache", daemon=True)
            self._process.start()
            theirs.close()  # only the child holds its end: its exit shows here as EOFError
            self._conn = ours
        return self

    def give(self, documents: list[dict[str, Any]]) -> None:
        """The documents in add_document order, before the write starts."""
        if self._conn is None:
            self._documents = documents
            return
        for start in range(0, len(documents), _CHUNK):
            self._send([cache_build.cache_fields(document) for document in documents[start : start + _CHUNK]])
        self._send(None)

    def finish(self, folder: Path) -> None:
        """Save the cache into folder, whose manifest is written (the cache's identity hashes it)."""
        if self._conn is None:
            started = time.perf_counter()
            source = cache_build.RecordSource(self._documents)
            self._documents = []
            cache = cache_build.build_from(source, identity_of(folder, source.doc_count_all()), self._cancelled)
            self.seconds = time.perf_counter() - started
            save(cache, folder / FILE_NAME)
            return
        self._send((str(folder), identity_of(folder, self._sent)))
        while not self._cancelled():
            if self._conn.poll(_POLL_S):
                break
            if self._process is not None and not self._process.is_alive() and not self._conn.poll():
                break  # died without a word: recv() below raises EOFError
        else:
            raise cache_build.Cancelled
        try:
            kind, detail = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise SearchCacheFailed(self._stopped_message()) from exc
        if kind != "saved":
            raise SearchCacheFailed(f"The search cache could not be built:\n{detail}")
        self.seconds = float(detail)

    def _send(self, message: object) -> None:
        assert self._conn is not None
        try:
            self._conn.send(message)
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise SearchCacheFailed(self._stopped_message()) from exc
        if isinstance(message, list):
            self._sent += len(message)

    def _stopped_message(self) -> str:
        code = None
        if self._process is not None:
            self._process.join(5)
            code = self._process.exitcode
        return f"The search cache could not be built: its process stopped unexpectedly (exit code {code})."

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._documents = []
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process.close()
        self._process, self._conn = None, None

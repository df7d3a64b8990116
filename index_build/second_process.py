"""The build's second process: parses a code set while this one parses the others, then builds the search cache
while this one writes the index.

A full build is two long pure-Python runs, the parse and the Whoosh write, and the search cache's arrays come
from the documents in the order Whoosh numbers them (cache_build.RecordSource), so they need not wait for the
finished index. A build of enough source files starts one second process (`spawn`, as on Windows and macOS:
never a fork beside the app's threads): it parses the code sets in ELSEWHERE and sends back their Parsed
(small next to what they cost to parse), then takes the documents' stored fields before the write, builds
the arrays during it and saves the file once the manifest is written and its identity (which hashes the
manifest) sent. Small builds, and the frozen app (which bundles no multiprocessing), do all of it in this
process, the cache after the write: the same arrays either way.

A crash of the second process or an error in it raises SecondProcessFailed (a malformed file it parsed
raises SourceError as here); a cancel or any failure terminates it on exit, before the staging folder
with whatever it wrote is removed.
"""

from __future__ import annotations

import dataclasses
import gc
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from desktop.core.records import CodeSet
from desktop.core.search import cache_build
from desktop.core.search.cache import FILE_NAME, identity_of, save
from index_build.sources.base import Log, Parsed, SourceError, SourceFile

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

PROCESS_MIN_SOURCE_BYTES = 2_000_000  # smaller builds take about as long as starting a process (~1 s)
ELSEWHERE = (CodeSet.HCPCS,)  # parsed in the second process: a third of the parse, a few MB to send back
_CHUNK = 8192  # documents per message to the second process
_POLL_S = 0.1  # how often a wait for the second process checks for a cancel


class SecondProcessFailed(RuntimeError):
    """The second process crashed or failed; the build stops and the index in place is unchanged."""


def _serve(conn: Connection) -> None:
    """The second process, as the builder asks: ("parse", code set, files)*, ("documents", chunk)*, ("build",),
    then ("save", folder, identity)."""
    # Ctrl-C reaches the whole process group: the builder handles it and stops this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        documents: list[dict[str, Any]] = []
        while True:
            message = conn.recv()
            if message[0] == "parse":
                conn.send(_parse_here(CodeSet(message[1]), message[2]))
            elif message[0] == "documents":
                documents.extend(message[1])
            else:
                break
        # The documents live until the end: full collections walking them cost seconds. This process
        # holds nothing else (in the app's own process the builder never touches the collector).
        gc.freeze()
        started = time.perf_counter()
        cache = cache_build.build_from(cache_build.RecordSource(documents), "")
        seconds = time.perf_counter() - started
        del documents
        _save, folder, identity = conn.recv()
        save(dataclasses.replace(cache, identity=identity), Path(folder) / FILE_NAME)
        conn.send(("saved", seconds))
    except EOFError:  # the build went away (cancelled, failed or killed): nothing to report to
        return
    except BaseException:  # the builder must learn what broke, in its own words
        conn.send(("failed", traceback.format_exc()))
        raise SystemExit(1) from None


def _parse_here(code_set: CodeSet, files: list[SourceFile]) -> tuple[Any, ...]:
    from index_build.build import parse_code_set  # the builder imports this module
    from index_build.sources import code_set_modules

    lines: list[str] = []
    try:
        parsed = parse_code_set(code_set_modules()[code_set], files, lines.append)
    except SourceError as exc:  # re-raised in the builder as it was raised here (it does not pickle)
        return ("source_error", lines, exc.file, exc.reason, exc.line, exc.element)
    return ("parsed", lines, parsed)


class SecondProcess:
    """One build's second process (or, when not worth one, the same work done here in turn)."""

    def __init__(self, source_bytes: int, cancelled: Callable[[], bool] = lambda: False) -> None:
        """source_bytes: the size of the files to parse; cancelled: polled while waiting (True raises
        cache_build.Cancelled)."""
        self._cancelled = cancelled
        self._documents: list[dict[str, Any]] = []
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._sent = 0  # documents given to the second process
        self.seconds = 0.0  # how long the cache's arrays took to build (in the second process: beside the write)
        self.in_process = source_bytes < PROCESS_MIN_SOURCE_BYTES or bool(getattr(sys, "frozen", False))

    def __enter__(self) -> SecondProcess:
        if not self.in_process:
            import multiprocessing  # not bundled in the frozen app, which never gets here

            context = multiprocessing.get_context("spawn")  # the same on every OS; fork is unsafe beside Qt threads
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs,), name="codeatlas-build", daemon=True)
            self._process.start()
            theirs.close()  # only the child holds its end: its exit shows here as EOFError
            self._conn = ours
        return self

    def parse(self, code_set: CodeSet, files: list[SourceFile]) -> bool:
        """Start parsing code_set there; False when it is parsed here (no second process, or not one of ELSEWHERE)."""
        if self._conn is None or code_set not in ELSEWHERE:
            return False
        self._send(("parse", str(code_set), files), f"{code_set} could not be parsed")
        return True

    def parsed(self, code_set: CodeSet, log: Log) -> Parsed:
        """What parse(code_set) started, once there: its log lines go to log (which may raise a cancel)."""
        reply = self._receive(f"{code_set} could not be parsed")
        if reply[0] not in ("parsed", "source_error"):
            raise SecondProcessFailed(f"{code_set} could not be parsed:\n{reply[1]}")
        for line in reply[1]:
            log(line)
        if reply[0] == "source_error":
            _kind, _lines, file, reason, line, element = reply
            raise SourceError(file, reason, line=line, element=element)
        parsed: Parsed = reply[2]
        return parsed

    def give(self, documents: list[dict[str, Any]]) -> None:
        """The documents in add_document order, before the write starts."""
        if self._conn is None:
            self._documents = documents
            return
        for start in range(0, len(documents), _CHUNK):
            chunk = [cache_build.cache_fields(document) for document in documents[start : start + _CHUNK]]
            self._send(("documents", chunk), "The search cache could not be built")
            self._sent += len(chunk)
        self._send(("build",), "The search cache could not be built")

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
        what = "The search cache could not be built"
        self._send(("save", str(folder), identity_of(folder, self._sent)), what)
        reply = self._receive(what)
        if reply[0] != "saved":
            raise SecondProcessFailed(f"{what}:\n{reply[1]}")
        self.seconds = float(reply[1])

    def _send(self, message: object, what: str) -> None:
        assert self._conn is not None
        try:
            self._conn.send(message)
        except (BrokenPipeError, EOFError, OSError) as exc:
            raise SecondProcessFailed(self._last_words(what) or self._stopped(what)) from exc

    def _last_words(self, what: str) -> str | None:
        """The traceback a failed second process sent before it exited, if it is waiting to be read (an error
        there can end the process before this one sends its next message, which then finds the pipe closed)."""
        assert self._conn is not None
        try:
            if not self._conn.poll():
                return None
            reply = self._conn.recv()
        except (EOFError, OSError):
            return None
        if isinstance(reply, tuple) and len(reply) == 2 and reply[0] == "failed":
            return f"{what}:\n{reply[1]}"
        return None

    def _receive(self, what: str) -> tuple[Any, ...]:
        """The next message, waited for while checking for a cancel and for the process's death."""
        assert self._conn is not None
        while not self._cancelled():
            if self._conn.poll(_POLL_S):
                break
            if self._process is not None and not self._process.is_alive() and not self._conn.poll():
                break  # died without a word: recv() raises EOFError
        else:
            raise cache_build.Cancelled
        try:
            reply: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise SecondProcessFailed(self._stopped(what)) from exc
        return reply

    def _stopped(self, what: str) -> str:
        code = None
        if self._process is not None:
            self._process.join(5)
            code = self._process.exitcode
        return f"{what}: the build's second process stopped unexpectedly (exit code {code})."

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

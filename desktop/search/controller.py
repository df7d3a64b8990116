"""Search as you type: a debounce timer, one worker thread, and stale answers dropped."""

from __future__ import annotations

import atexit
import functools
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from desktop.core.records import SearchFilters, SearchResult

DEBOUNCE_MS = 120
RESULT_LIMIT = 50

# Worker threads not yet finished. A QThread destroyed while its thread runs aborts the process
# (qFatal); a controller's thread is therefore never its child: when the controller goes (its
# window closed, or collected without shutdown()), the thread is told to quit and stays referenced
# here until it has finished.
_RUNNING: dict[QThread, QObject] = {}  # thread -> its worker, both kept until the thread finished


class Engine(Protocol):
    def search(self, text: str, filters: SearchFilters = ..., limit: int = ...) -> SearchResult: ...


class _SearchWorker(QObject):
    """Lives on the worker thread; runs one query at a time and never touches widgets."""

    answered = Signal(int, object)  # generation, SearchResult
    failed = Signal(int, str)

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        # Written by the GUI thread, read here: a queued request older than this is skipped
        # without running, so a burst of keystrokes costs one query, not one per key.
        self.latest = 0

    @Slot(int, str, object, int)
    def run(self, generation: int, text: str, filters: SearchFilters, limit: int) -> None:
        if generation != self.latest:
            return
        try:
            result = self._engine.search(text, filters, limit)
        except Exception as exc:  # a search must never take the window down
            self.failed.emit(generation, f"The search failed: {exc}")
            return
        self.answered.emit(generation, result)


class SearchController(QObject):
    """Turns text and filter changes into at most one running query and emits the latest answer."""

    results_ready = Signal(object)  # SearchResult
    results_cleared = Signal()  # the search text became empty
    search_failed = Signal(str)
    _requested = Signal(int, str, object, int)

    def __init__(
        self, engine: Engine, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS, limit: int = RESULT_LIMIT
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._filters = SearchFilters()
        self._limit = limit
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._thread = QThread()
        self._thread.setObjectName("search-worker")
        self._stopped = False
        self._worker = _SearchWorker(engine)
        _RUNNING[self._thread] = self._worker
        self._thread.finished.connect(self._thread.deleteLater)
        self._thread.destroyed.connect(_forget_finished)
        self.destroyed.connect(functools.partial(_stop, self._thread))
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.run)
        self._worker.answered.connect(self._on_worker_answered)
        self._worker.failed.connect(self._on_worker_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a window never closed must still not leave its thread running
            app.aboutToQuit.connect(self.shutdown)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def filters(self) -> SearchFilters:
        return self._filters

    def set_text(self, text: str) -> None:
        """Schedule a search; every call restarts the debounce timer."""
        self._text = text
        self._timer.start()

    def set_filters(self, filters: SearchFilters) -> None:
        """Filters apply at once: the user clicked, there is no typing burst to wait out."""
        if filters == self._filters:
            return
        self._filters = filters
        if self._text.strip():
            self.search_now()

    def search_now(self) -> None:
        self._timer.stop()
        self._generation += 1
        self._worker.latest = self._generation
        if not self._text.strip():
            self.results_cleared.emit()
            return
        self._requested.emit(self._generation, self._text, self._filters, self._limit)

    def shutdown(self) -> None:
        """Stop the worker thread (waits for a running query to finish)."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._generation += 1
        self._worker.latest = self._generation
        _stop(self._thread)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.search_now()

    @Slot(int, object)
    def _on_worker_answered(self, generation: int, result: SearchResult) -> None:
        if generation == self._generation:
            self.results_ready.emit(result)

    @Slot(int, str)
    def _on_worker_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.search_failed.emit(message)


def _forget_finished() -> None:
    """Drop the references to worker threads that have finished (and are being deleted)."""
    for thread in list(_RUNNING):
        try:
            running = thread.isRunning()
        except RuntimeError:  # its C++ object is already gone
            running = False
        if not running:
            del _RUNNING[thread]


def _stop(thread: QThread) -> None:
    """Ask a worker thread to finish and wait for it (a running query takes milliseconds)."""
    try:
        if thread.isRunning():
            thread.quit()
            thread.wait()
    except RuntimeError:  # its C++ object is already gone, so it has finished
        pass


@atexit.register
def _stop_all() -> None:
    """At exit, no worker thread may still run when Qt's objects are torn down."""
    for thread in list(_RUNNING):
        _stop(thread)

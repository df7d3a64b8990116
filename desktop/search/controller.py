"""Search as you type: a leading-edge debounce, one worker thread, stale answers dropped, and more rows on request."""

from __future__ import annotations

import atexit
import functools
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from desktop.core.engine import MAX_LIMIT, PAGE, Searcher
from desktop.core.records import SearchFilters, SearchResult

DEBOUNCE_MS = 120
RESULT_LIMIT = PAGE  # rows asked for first, and added by each load_more(), up to the engine's MAX_LIMIT

# Worker threads not yet finished. A QThread destroyed while its thread runs aborts the process
# (qFatal); a controller's thread is therefore never its child: when the controller goes (its
# window closed, or collected without shutdown()), the thread is told to quit and stays referenced
# here until it has finished.
_RUNNING: dict[QThread, QObject] = {}  # thread -> its worker, both kept until the thread finished


@dataclass(frozen=True, slots=True)
class _Request:
    """What one generation asked for, so its answer can be judged when it comes back."""

    text: str
    filters: SearchFilters
    more: bool  # a larger limit for the text already shown, not a new search


class _SearchWorker(QObject):
    """Lives on the worker thread; runs one query at a time and never touches widgets."""

    answered = Signal(int, object)  # generation, SearchResult
    failed = Signal(int, str)

    def __init__(self, engine: Searcher) -> None:
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
    """Turns text and filter changes into at most one running query and emits the newest answer.

    While the user types, an answer that is older than the latest request but newer than what is
    on screen is still shown: on a slow machine every query can outlast a keystroke, and dropping
    all but the latest would leave the list several words behind until typing stops. Answers older
    than what is shown, for other filters, or for a load_more() overtaken by typing are dropped.
    """

    results_ready = Signal(object)  # SearchResult of a new search
    results_extended = Signal(object)  # SearchResult of the shown search with more rows (load_more)
    results_cleared = Signal()  # the search text became empty
    typing_paused = Signal()  # no key for debounce_ms and nothing left to search
    search_failed = Signal(str)
    _requested = Signal(int, str, object, int)

    def __init__(
        self, engine: Searcher, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS, limit: int = RESULT_LIMIT
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._filters = SearchFilters()
        self._page = limit
        self._limit = limit
        self._generation = 0
        self._shown_generation = 0  # the generation of what the window shows (an answer or a clear)
        self._requests: dict[int, _Request] = {}  # generations asked for and not yet answered or dropped
        self._shown: SearchResult | None = None
        self._exhausted = False  # a load_more() brought no new rows: the engine has no more
        self._more_failed = False  # a load_more() of the shown search failed: the list stops asking by itself
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._pending = False  # text changed while the timer ran: search it when the timer fires
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

    @property
    def debounce_ms(self) -> int:
        return self._timer.interval()

    @property
    def page(self) -> int:
        """Rows asked for first and added by each load_more()."""
        return self._page

    @property
    def shown(self) -> SearchResult | None:
        """The answer last handed to the window (None after a clear)."""
        return self._shown

    @property
    def limit(self) -> int:
        """How many rows the latest request asked for."""
        return self._limit

    def can_load_more(self) -> bool:
        """True when the shown answer holds fewer rows than matched and the engine can give more."""
        shown = self._shown
        return (
            shown is not None
            and not self._exhausted
            and len(shown.hits) < shown.total
            and len(shown.hits) < MAX_LIMIT
            and self._text.strip() == shown.query.strip()
        )

    def loading_more(self) -> bool:
        return any(request.more for request in self._requests.values())

    def set_text(self, text: str) -> None:
        """Search at once when the bar was idle, else when the keys pause for debounce_ms.

        The first key after a pause costs no wait (it was 120 ms of every start-up's first result);
        each key restarts the timer, so a fast burst still costs one more query, for its last text.
        Keys a debounce apart (150 ms, a coder's usual rhythm) each search as they are typed.
        """
        self._text = text
        idle = not self._timer.isActive() and self._timer.interval() > 0
        self._timer.start()
        if idle:
            self._pending = False
            self._search()
        else:
            self._pending = True

    def set_filters(self, filters: SearchFilters) -> None:
        """Filters apply at once: the user clicked, there is no typing burst to wait out."""
        if filters == self._filters:
            return
        self._filters = filters
        if self._text.strip():
            self.search_now()

    def search_now(self) -> None:
        self._timer.stop()
        self._pending = False
        self._search()

    def _search(self) -> None:
        """Ask for the text in the box now (the timer, if running, keeps running)."""
        self._limit = self._page
        self._exhausted = False
        self._more_failed = False
        if not self._text.strip():
            self._generation += 1
            self._worker.latest = self._generation
            self._shown_generation = self._generation
            self._requests.clear()
            self._shown = None
            self.results_cleared.emit()
            return
        self._request(_Request(self._text, self._filters, more=False))

    def load_more(self, fill: bool = False) -> bool:
        """Ask again for the shown search with one more page of rows; False when there is nothing to ask.

        Ignored while typing is pending or a load is already running (scrolling to the end asks
        many times), so the user's newest words always win. fill: the list asks by itself, to fill
        its height: not while keys still come (the next key's search would wait behind it; the list
        asks again when typing_paused), and not again after a load of this search failed (the user
        may still ask).
        """
        if self._stopped or self._pending or self.loading_more() or not self.can_load_more():
            return False
        if fill and (self._more_failed or self._timer.isActive()):
            return False  # a failed load is not retried by itself; nor is a load asked while keys come
        if self._generation != self._shown_generation:  # a new search is on its way
            return False
        self._limit = min(self._limit + self._page, MAX_LIMIT)
        self._request(_Request(self._text, self._filters, more=True))
        return True

    def _request(self, request: _Request) -> None:
        self._generation += 1
        self._worker.latest = self._generation
        self._requests[self._generation] = request
        self._requested.emit(self._generation, request.text, request.filters, self._limit)

    def shutdown(self) -> None:
        """Stop the worker thread (waits for a running query to finish)."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._pending = False
        self._generation += 1
        self._worker.latest = self._generation
        self._requests.clear()
        _stop(self._thread)

    def _accepts(self, generation: int) -> _Request | None:
        """The request an answer belongs to when the answer should be shown, else None."""
        request = self._requests.get(generation)
        if request is None or generation <= self._shown_generation:
            return None
        if generation == self._generation:
            return request
        # An intermediate answer while typing: newer than the screen, same filters, not a reload,
        # and on the way to the words now in the box (typed on, or backspaced).
        if request.more or request.filters != self._filters:
            return None
        asked, now = _normalised(request.text), _normalised(self._text)
        return request if now and (now.startswith(asked) or asked.startswith(now)) else None

    def _mark_shown(self, generation: int) -> None:
        self._shown_generation = generation
        for older in [g for g in self._requests if g <= generation]:
            del self._requests[older]

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._pending:  # else the leading-edge search already asked for the text in the box
            self.search_now()
        else:
            self.typing_paused.emit()

    @Slot(int, object)
    def _on_worker_answered(self, generation: int, result: SearchResult) -> None:
        request = self._accepts(generation)
        if request is None:
            self._requests.pop(generation, None)
            return
        previous = self._shown
        self._mark_shown(generation)
        self._shown = result
        if request.more:
            self._exhausted = previous is not None and len(result.hits) <= len(previous.hits)
            self.results_extended.emit(result)
        else:
            self.results_ready.emit(result)

    @Slot(int, str)
    def _on_worker_failed(self, generation: int, message: str) -> None:
        request = self._requests.pop(generation, None)
        if request is not None and request.more:
            self._more_failed = True
        if request is not None and generation == self._generation:
            self.search_failed.emit(message)


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


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

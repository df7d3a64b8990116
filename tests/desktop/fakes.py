"""A fake search engine for controller tests: records calls, can hold a query until released."""

from __future__ import annotations

import threading

from desktop.core.records import CodeSet, Hit, Kind, SearchFilters, SearchResult


def make_hit(code: str, title: str = "", **fields: object) -> Hit:
    values: dict[str, object] = {
        "code_set": CodeSet.ICD10CM,
        "title": title or f"Title of {code}",
        "kind": Kind.CODE,
        "billable": True,
        "score": 1.0,
    }
    values.update(fields)
    return Hit(code=code, **values)  # type: ignore[arg-type]


class FakeEngine:
    """search() answers one hit named after the query; texts in `hold` wait for release()."""

    def __init__(self, hold: tuple[str, ...] = (), fail: tuple[str, ...] = ()) -> None:
        self.calls: list[str] = []
        self.filters: list[SearchFilters] = []
        self._gates = {text: threading.Event() for text in hold}
        self._fail = fail
        self.lock = threading.Lock()

    def release(self, text: str) -> None:
        self._gates[text].set()

    def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> SearchResult:  # noqa: B008
        with self.lock:
            self.calls.append(text)
            self.filters.append(filters)
        gate = self._gates.get(text)
        if gate is not None:
            gate.wait(10)
        if text in self._fail:
            raise RuntimeError("index exploded")
        return SearchResult(text, (make_hit(text.upper()),), 1, 0.5)


class PacedEngine:
    """Answers after a delay like the real engine's on a busy 2-core machine; `total` rows match.

    The delay is simulated work on the worker thread (an Event wait), never a sleep in a test.
    """

    def __init__(self, delay_ms: float | dict[int, float], total: int = 120, index: object = None) -> None:
        self._delay = delay_ms
        self.total = total
        self.index = index  # the main window reads engine.index
        self.calls: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self._idle = threading.Event()

    def delay_ms(self, text: str) -> float:
        if isinstance(self._delay, dict):  # by query length: short prefixes match more and cost more
            return next((ms for length, ms in sorted(self._delay.items()) if len(text) <= length), 0.0)
        return float(self._delay)

    def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> SearchResult:  # noqa: B008
        with self.lock:
            self.calls.append((text, limit))
        self._idle.wait(self.delay_ms(text) / 1000)
        shown = min(limit, self.total)
        hits = tuple(make_hit(f"A{number:03d}", f"{text} result {number}") for number in range(shown))
        return SearchResult(text, hits, self.total, self.delay_ms(text))


class ScriptedEngine:
    """Answers set per query text (anything else: no results); details come from a real index."""

    def __init__(self, index: object, answers: dict[str, SearchResult]) -> None:
        self.index = index
        self.answers = answers

    def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> SearchResult:  # noqa: B008
        found = self.answers.get(text.strip())
        if found is None:
            return SearchResult(text, (), 0, 0.1)
        return SearchResult(
            text, found.hits[:limit], found.total, 0.1, found.note, found.corrected_query, found.ignored_words
        )

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

"""The controller debounces typing, runs one query at a time on a worker, and drops stale answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.records import CodeSet, SearchFilters, SearchResult
from desktop.search.controller import SearchController
from tests.desktop.fakes import FakeEngine


@pytest.fixture
def make_controller(qtbot: QtBot) -> Iterator[object]:
    made: list[SearchController] = []

    def make(engine: FakeEngine, debounce_ms: int = 120) -> SearchController:
        controller = SearchController(engine, debounce_ms=debounce_ms)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()


def test_typing_burst_runs_one_query_with_the_last_text(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine)
    with qtbot.waitSignal(controller.results_ready, timeout=5000) as blocker:
        for text in ("d", "di", "dia", "diab"):
            controller.set_text(text)
    result: SearchResult = blocker.args[0]
    assert result.query == "diab"
    assert engine.calls == ["diab"]


def test_stale_answers_are_dropped(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine(hold=("slow",))
    controller = make_controller(engine, debounce_ms=0)
    answers: list[str] = []
    controller.results_ready.connect(lambda result: answers.append(result.query))
    controller.set_text("slow")
    controller.search_now()
    qtbot.waitUntil(lambda: engine.calls == ["slow"], timeout=5000)  # the worker is busy with "slow"

    controller.set_text("middle")
    controller.search_now()  # queued behind "slow", then superseded before it can run
    controller.set_text("fast")
    controller.search_now()
    engine.release("slow")
    qtbot.waitUntil(lambda: answers == ["fast"], timeout=5000)
    # "slow" answered first (on the same worker) and was dropped; "middle" never ran.
    assert engine.calls == ["slow", "fast"]
    assert answers == ["fast"]


def test_empty_text_clears_without_searching(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine, debounce_ms=0)
    with qtbot.waitSignal(controller.results_cleared, timeout=2000):
        controller.set_text("   ")
    assert engine.calls == []


def test_filters_rerun_the_search_at_once(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine, debounce_ms=60000)  # typing alone would never fire
    controller.set_text("cane")
    filters = SearchFilters(frozenset({CodeSet.HCPCS}), billable_only=True)
    with qtbot.waitSignal(controller.results_ready, timeout=5000):
        controller.set_filters(filters)
    assert engine.calls == ["cane"]
    assert engine.filters == [filters]
    assert controller.filters == filters


def test_a_failing_search_is_reported(qtbot: QtBot, make_controller) -> None:
    controller = make_controller(FakeEngine(fail=("boom",)), debounce_ms=0)
    with qtbot.waitSignal(controller.search_failed, timeout=5000) as blocker:
        controller.set_text("boom")
    assert "index exploded" in blocker.args[0]


def test_the_worker_runs_off_the_gui_thread(qtbot: QtBot, make_controller) -> None:
    import threading

    seen: list[str] = []

    class ThreadEngine(FakeEngine):
        def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> SearchResult:  # noqa: B008
            seen.append(threading.current_thread().name)
            return super().search(text, filters, limit)

    controller = make_controller(ThreadEngine(), debounce_ms=0)
    with qtbot.waitSignal(controller.results_ready, timeout=5000):
        controller.set_text("x")
    assert seen and seen[0] != threading.main_thread().name


DROPPED_WITHOUT_SHUTDOWN = """
import gc, sys
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from desktop.search.controller import SearchController
from tests.desktop.fakes import FakeEngine

app = QApplication(sys.argv)
for _ in range(5):
    owner = QObject()
    controller = SearchController(FakeEngine(), parent=owner)
    controller.set_text("asthma")
    controller.search_now()
    del controller
    shiboken6.delete(owner)  # as when a window is collected: the C++ owner goes while the thread runs
    del owner
    app.processEvents()
    gc.collect()
app.processEvents()
print("survived")
"""


def test_a_controller_dropped_without_shutdown_does_not_abort_the_process() -> None:
    """A window collected without close() used to destroy a running QThread: qFatal, abort."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    done = subprocess.run(
        [sys.executable, "-c", DROPPED_WITHOUT_SHUTDOWN], capture_output=True, text=True, env=env, cwd=root, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("survived")

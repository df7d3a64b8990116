"""The controller debounces typing (leading edge), runs one query at a time on a worker, and drops stale answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop.core.records import CodeSet, SearchFilters, SearchResult
from desktop.search.controller import SearchController
from tests.desktop.fakes import FakeEngine, PacedEngine


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


def test_the_first_key_after_a_pause_searches_without_the_delay(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine, debounce_ms=60000)  # a trailing-only debounce would never fire
    with qtbot.waitSignal(controller.results_ready, timeout=5000) as blocker:
        controller.set_text("d")
    assert blocker.args[0].query == "d"
    assert engine.calls == ["d"]


def test_keys_typed_in_a_burst_coalesce_into_one_query_with_the_last_text(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine, debounce_ms=300)
    answers: list[str] = []
    controller.results_ready.connect(lambda result: answers.append(result.query))
    for text in ("d", "di", "dia", "diab"):
        controller.set_text(text)
    qtbot.waitUntil(lambda: answers == ["d", "diab"], timeout=5000)
    # The first key searched at once; the three after it, typed within the pause, cost one query.
    assert engine.calls == ["d", "diab"]


def test_a_pause_without_new_keys_runs_no_second_query(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine()
    controller = make_controller(engine, debounce_ms=50)
    with qtbot.waitSignal(controller.results_ready, timeout=5000):
        controller.set_text("gout")
    qtbot.waitUntil(lambda: not controller._timer.isActive(), timeout=5000)
    with qtbot.waitSignal(controller.results_ready, timeout=5000) as blocker:
        controller.set_text("gouty")  # the bar was idle again: this key searches at once too
    assert blocker.args[0].query == "gouty"
    assert engine.calls == ["gout", "gouty"]


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
    controller = make_controller(engine, debounce_ms=60000)  # typing on would never fire again
    with qtbot.waitSignal(controller.results_ready, timeout=5000):
        controller.set_text("can")  # the first key after a pause searches at once
    controller.set_text("cane")  # within the debounce: waits for a pause in typing
    filters = SearchFilters(frozenset({CodeSet.HCPCS}), billable_only=True)
    with qtbot.waitSignal(controller.results_ready, timeout=5000) as blocker:
        controller.set_filters(filters)
    assert engine.calls == ["can", "cane"]
    assert engine.filters == [SearchFilters(), filters]
    assert controller.filters == filters and blocker.args[0].query == "cane"


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
from tests.desktop.fakes import FakeEngine, PacedEngine

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


PHRASE = "fracture of left femur"  # typed as a coder types it, one key every 150 ms
KEY_INTERVAL_MS = 150


def type_at_rhythm(qtbot: QtBot, phrase: str, press: Callable[[int], None], look: Callable[[], str | None]) -> list:
    """Press phrase[:i] for i = 1.. at KEY_INTERVAL_MS; before each key, note what the screen shows.

    Returns (keys typed so far, query on screen or None when blank) pairs, then the final state.
    """
    seen: list[tuple[int, str | None]] = []
    timer = QTimer()
    timer.setInterval(KEY_INTERVAL_MS)
    typed = [0]

    def tick() -> None:
        seen.append((typed[0], look()))
        if typed[0] == len(phrase):
            timer.stop()
            return
        typed[0] += 1
        press(typed[0])

    timer.timeout.connect(tick)
    timer.start()
    try:
        qtbot.waitUntil(lambda: not timer.isActive(), timeout=len(phrase) * KEY_INTERVAL_MS * 3 + 5000)
    finally:
        timer.stop()  # a timed-out run must not go on typing into the next test's window
    return seen


MAX_LAG_KEYS = 5


def words_behind(seen: list[tuple[int, str | None]], phrase: str = PHRASE) -> int:
    """The most whole words the screen was behind the typing, from the fourth key on."""
    return max(
        len(phrase[:typed].split()) - len((query or "").split()) for typed, query in seen[4:] if query is not None
    )


def lag_in_keys(seen: list[tuple[int, str | None]]) -> list[int | None]:
    """How many keys behind the screen was at each key (None: blank)."""
    return [None if query is None else typed - len(query) for typed, query in seen]


@pytest.mark.parametrize(
    "delay_ms",
    [
        pytest.param(45, id="p95-45ms"),
        pytest.param({3: 170, 12: 110, 100: 60}, id="short-prefixes-slow"),
        pytest.param(170, id="every-query-170ms"),
    ],
)
def test_typing_at_normal_speed_keeps_the_list_current(qtbot: QtBot, make_controller, delay_ms) -> None:
    """One key every 150 ms with the engine's measured delays: the list follows the typing, never blank.

    Before: an answer was shown only if no key had been pressed since it was asked for, so with
    queries slower than the gap between keys nothing at all appeared until the typing stopped.
    """
    engine = PacedEngine(delay_ms)
    controller = make_controller(engine)
    shown: list[str] = []
    controller.results_ready.connect(lambda result: shown.append(result.query))
    seen = type_at_rhythm(
        qtbot, PHRASE, lambda typed: controller.set_text(PHRASE[:typed]), lambda: shown[-1] if shown else None
    )
    qtbot.waitUntil(lambda: shown and shown[-1] == PHRASE, timeout=5000)
    lags = lag_in_keys(seen)
    # From the fourth key on the list is never blank, a few keys behind at most (the 120 ms pause
    # plus a 170 ms query is two keys by itself; a busy machine adds one or two), never a word.
    after_start = lags[4:]
    assert None not in after_start, lags
    assert max(lag for lag in after_start if lag is not None) <= MAX_LAG_KEYS, lags
    assert words_behind(seen) <= 1, seen
    # Each answer shown is newer than the one before: no flicker back to older words.
    assert [len(query) for query in shown] == sorted(len(query) for query in shown)


def test_an_answer_for_other_words_is_not_shown_in_between(qtbot: QtBot, make_controller) -> None:
    """Progress while typing only: the answer to text the user replaced (not typed on) is dropped."""
    engine = FakeEngine(hold=("asthma",))
    controller = make_controller(engine, debounce_ms=0)
    answers: list[str] = []
    controller.results_ready.connect(lambda result: answers.append(result.query))
    controller.set_text("asthma")
    controller.search_now()
    qtbot.waitUntil(lambda: engine.calls == ["asthma"], timeout=5000)
    controller.set_text("asthma with")  # typed on: the answer to "asthma" is worth showing meanwhile
    controller.search_now()
    controller.set_filters(SearchFilters(billable_only=True))  # ... but not once the filters changed
    engine.release("asthma")
    qtbot.waitUntil(lambda: answers == ["asthma with"], timeout=5000)
    assert engine.filters[-1] == SearchFilters(billable_only=True)


def test_a_clear_is_not_undone_by_a_late_answer(qtbot: QtBot, make_controller) -> None:
    engine = FakeEngine(hold=("gout",))
    controller = make_controller(engine, debounce_ms=0)
    answers: list[str] = []
    controller.results_ready.connect(lambda result: answers.append(result.query))
    controller.set_text("gout")
    controller.search_now()
    qtbot.waitUntil(lambda: engine.calls == ["gout"], timeout=5000)
    with qtbot.waitSignal(controller.results_cleared, timeout=2000):
        controller.set_text("")
        controller.search_now()
    engine.release("gout")
    controller.set_text("g")  # the running query finishes while the box holds a prefix of it
    controller.search_now()
    qtbot.waitUntil(lambda: answers == ["g"], timeout=5000)


def test_load_more_asks_again_with_a_larger_limit(qtbot: QtBot, make_controller) -> None:
    engine = PacedEngine(0, total=80)
    controller = make_controller(engine, debounce_ms=0)
    with qtbot.waitSignal(controller.results_ready, timeout=5000) as first:
        controller.set_text("fracture")
    assert controller.page == 30  # pages of 30 rows, the engine's PAGE
    assert len(first.args[0].hits) == 30 and controller.can_load_more()
    extended: list[SearchResult] = []
    controller.results_extended.connect(extended.append)
    assert controller.load_more()
    assert not controller.load_more()  # scrolling to the end asks again and again: one load at a time
    qtbot.waitUntil(lambda: len(extended) == 1, timeout=5000)
    assert len(extended[0].hits) == 60 and controller.can_load_more()
    assert controller.load_more()
    qtbot.waitUntil(lambda: len(extended) == 2, timeout=5000)
    assert len(extended[1].hits) == 80 and not controller.can_load_more()
    assert not controller.load_more()
    assert engine.calls == [("fracture", 30), ("fracture", 60), ("fracture", 90)]


def test_typing_overtakes_a_load_more(qtbot: QtBot, make_controller) -> None:
    engine = PacedEngine(0, total=120)
    controller = make_controller(engine, debounce_ms=0)
    with qtbot.waitSignal(controller.results_ready, timeout=5000):
        controller.set_text("fracture")
    extended: list[SearchResult] = []
    controller.results_extended.connect(extended.append)
    answers: list[str] = []
    controller.results_ready.connect(lambda result: answers.append(result.query))
    assert controller.load_more()
    controller.set_text("fracture of")
    assert not controller.load_more()  # new words are on their way: no more rows of the old ones
    controller.search_now()
    qtbot.waitUntil(lambda: answers == ["fracture of"], timeout=5000)
    assert extended == []  # the load for "fracture" came back after new words were asked for: dropped
    assert engine.calls[-1] == ("fracture of", 30)

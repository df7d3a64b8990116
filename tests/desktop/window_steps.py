"""Steps the window tests share: type a query and wait for its answer, read the code the detail shows."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from desktop.core.records import SearchResult
from desktop.main_window import MainWindow


def answers(text: str) -> Callable[[SearchResult], bool]:
    """For waitSignal(results_ready): the answer to the whole text, not the one the first key got at once."""
    return lambda result: result.query == text


def type_search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search_panel.edit.clear()
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000, check_params_cb=answers(text)):
        qtbot.keyClicks(window.search_panel.edit, text)


def shown_code(window: MainWindow) -> str:
    detail = window.detail_view.detail
    return detail.record.code if detail is not None else ""

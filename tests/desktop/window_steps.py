"""Steps the window tests share: type a query and wait for its answer, read the code the detail shows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow


def type_search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search_panel.edit.clear()
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_panel.edit, text)


def shown_code(window: MainWindow) -> str:
    detail = window.detail_view.detail
    return detail.record.code if detail is not None else ""

"""The results column in the real window: families, more rows, what the search did, the cleared detail pane."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.core.engine import PAGE
from desktop.core.records import CodeSet, Kind, SearchResult
from desktop.core.userdata import UserData
from desktop.main_window import MainWindow
from desktop.search.result_rows import RowKind
from desktop.theme import ThemeManager
from tests.desktop.fakes import PacedEngine, ScriptedEngine, make_hit
from tests.desktop.test_search_controller import (
    KEY_INTERVAL_MS,
    MAX_LAG_KEYS,
    lag_in_keys,
    type_at_rhythm,
    words_behind,
)
from tests.desktop.window_steps import shown_code
from tests.desktop.window_steps import type_search as search

FEMUR = tuple(
    make_hit(f"S72.001{char}", f"Fracture of unspecified part of neck of right femur, {meaning}", parent="S72.001")
    for char, meaning in (("A", "initial encounter"), ("D", "subsequent encounter"), ("S", "sequela"))
)
ANSWERS = {
    "femur": SearchResult(
        "femur", (make_hit("S72", "Fracture of femur", kind=Kind.CATEGORY, billable=False), *FEMUR), 4, 1
    ),
    "pnuemonia": SearchResult(
        "pnuemonia",
        (make_hit("J18.9", "Pneumonia, unspecified organism"),),
        1,
        1,
        note="Showing results for pneumonia",
        corrected_query="pneumonia",
    ),
    "zzz999 %%% ;drop": SearchResult(
        "zzz999 %%% ;drop",
        (make_hit("J9035", "Injection", code_set=CodeSet.HCPCS),),
        1,
        1,
        ignored_words=("zzz999", "%%%"),
    ),
    "<b>bold</b> asthma": SearchResult(
        "<b>bold</b> asthma", (make_hit("E11.9", "Type 2"),), 1, 1, ignored_words=("<b>bold</b>",)
    ),
}


@pytest.fixture
def make_window(qtbot: QtBot, userdata: UserData, light: ThemeManager) -> Iterator[Callable[[object], MainWindow]]:
    made: list[MainWindow] = []

    def make(engine: object) -> MainWindow:
        window = MainWindow(engine, userdata, light)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.resize(1024, 700)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture
def scripted(make_window, engine: object) -> MainWindow:
    return make_window(ScriptedEngine(engine.index, ANSWERS))  # type: ignore[attr-defined]


def current(window: MainWindow) -> tuple[str, str] | None:
    return window.results_model.place(window.results_view.currentIndex().row())


def layout(window: MainWindow) -> list[str]:
    out = []
    for row in window.results_model.rows():
        mark = {RowKind.FAMILY: "-" if row.expanded else "+", RowKind.MORE: "more", RowKind.GROUP: "#"}.get(
            row.kind, ""
        )
        out.append(mark + " " * row.depth + row.code if row.kind != RowKind.MORE else mark)
    return out


def test_a_family_opens_and_closes_by_keyboard_and_mouse(qtbot: QtBot, scripted: MainWindow) -> None:
    window, edit = scripted, scripted.search_panel.edit
    search(qtbot, window, "femur")
    assert layout(window) == ["S72", "+S72.001"]
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert current(window) == ("ICD-10-CM", "S72.001") and shown_code(window) == "S72.001"  # the parent's detail
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter on a family opens it (and typing stays possible)
    assert layout(window) == ["S72", "-S72.001", " S72.001A", " S72.001D", " S72.001S"] and edit.hasFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert layout(window) == ["S72", "+S72.001"]

    view = window.results_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # opens
    assert layout(window)[1] == "-S72.001" and current(window) == ("ICD-10-CM", "S72.001")
    qtbot.keyClick(view, Qt.Key.Key_Right)  # steps onto the first child
    assert current(window) == ("ICD-10-CM", "S72.001A") and shown_code(window) == "S72.001A"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert shown_code(window) == "S72.001D"
    qtbot.keyClick(view, Qt.Key.Key_Left)  # steps out to the family
    assert current(window) == ("ICD-10-CM", "S72.001")
    qtbot.keyClick(view, Qt.Key.Key_Left)  # closes it
    assert layout(window) == ["S72", "+S72.001"]

    triangle = view.visualRect(window.results_model.index(1, 0)).topLeft() + QPoint(4, 8)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=triangle)
    assert layout(window)[1] == "-S72.001"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(window.results_model.index(1, 0)).center()
    )
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(window.results_model.index(1, 0)).center()
    )
    assert layout(window)[1] == "+S72.001"  # double-click (activation) folds it again


def test_more_rows_load_at_the_end_and_keep_the_highlight_and_the_scroll(
    qtbot: QtBot, make_window, engine: object
) -> None:
    paced = PacedEngine(0, total=90, index=engine.index)  # type: ignore[attr-defined]
    window = make_window(paced)
    search(qtbot, window, "fracture")
    model, view = window.results_model, window.results_view
    assert PAGE == 30  # the figures below are for pages of 30 rows
    assert model.rowCount() == 31 and layout(window)[-1] == "more"
    assert model.row(30).label == "Show 30 more \u00b7 30 of 90 shown"  # type: ignore[union-attr]
    assert window.count_label.text().startswith("30 of 90 results")
    view.set_current_row(7)
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(window.controller.results_extended, timeout=5000):
        bar.setValue(bar.maximum())  # the user scrolled to the end
    position = bar.value()
    assert model.rowCount() == 61 and current(window) == ("ICD-10-CM", "A007")
    assert bar.value() == position and position > 0  # the rows on screen did not move
    assert window.count_label.text().startswith("60 of 90 results")
    # The first key searched at once ("f"); the whole word once, then once more with a larger limit.
    assert paced.calls[0] == ("f", 30)
    assert [call for call in paced.calls if call[0] == "fracture"] == [("fracture", 30), ("fracture", 60)]

    # The keyboard reaches "Show more" too: it loads the rest, the highlight steps onto the first new
    # row, and the "more" row goes away.
    with qtbot.waitSignal(window.controller.results_extended, timeout=5000):
        for _ in range(10):
            qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_PageDown)
    assert model.rowCount() == 90 and layout(window)[-1] != "more"
    assert current(window) == ("ICD-10-CM", "A060")
    assert window.count_label.text().startswith("90 results")
    assert not window.actions_.show_more.isEnabled()


class _FailingMore(PacedEngine):
    """Answers a first page; every larger limit fails."""

    def search(self, text: str, filters: object = None, limit: int = PAGE) -> SearchResult:  # type: ignore[override]
        if limit > PAGE:
            with self.lock:
                self.calls.append((text, limit))
            raise RuntimeError("index closed")
        return super().search(text, limit=limit)


def test_a_list_taller_than_its_rows_asks_for_more_by_itself(qtbot: QtBot, make_window, engine: object) -> None:
    paced = PacedEngine(0, total=400, index=engine.index)  # type: ignore[attr-defined]
    window = make_window(paced)
    model, bar = window.results_model, window.results_view.verticalScrollBar()
    search(qtbot, window, "fracture")
    qtbot.wait(300)
    assert model.rowCount() == PAGE + 1 and bar.maximum() > 0  # 30 rows fill a 700 px window: no more asked
    assert [call for call in paced.calls if call[0] == "fracture"] == [("fracture", PAGE)]

    window.resize(1024, 3000)  # a tall screen: the rows leave room, so pages come until they fill it
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    qtbot.wait(300)
    grown = model.rowCount()
    assert PAGE + 1 < grown < 400 and bar.maximum() > 0
    asked = [limit for text, limit in paced.calls if text == "fracture"]
    assert asked == [PAGE * n for n in range(1, len(asked) + 1)]  # one page at a time
    assert window.count_label.text().startswith(f"{grown - 1} of 400 results")


def test_a_tall_list_waits_for_a_pause_in_typing_before_it_asks_for_more(
    qtbot: QtBot, make_window, engine: object
) -> None:
    """Asked while keys still come, the next key's search would wait behind the load."""
    paced = PacedEngine(0, total=400, index=engine.index)  # type: ignore[attr-defined]
    window = make_window(paced)
    window.resize(1024, 3000)
    window.controller._timer.setInterval(1500)  # a long debounce: the pause is known to be ahead
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_panel.edit, "f")  # the leading-edge search answers at once
    qtbot.wait(200)
    assert paced.calls == [("f", PAGE)]  # the list has room, but typing has not paused
    with qtbot.waitSignal(window.controller.results_extended, timeout=5000):
        pass  # the pause comes: the list asks for the next page
    assert paced.calls[1] == ("f", 2 * PAGE)


def test_a_failed_load_is_not_asked_again_by_the_list_itself(qtbot: QtBot, make_window, engine: object) -> None:
    failing = _FailingMore(0, total=400, index=engine.index)  # type: ignore[attr-defined]
    window = make_window(failing)
    window.resize(1024, 3000)
    search(qtbot, window, "fracture")
    qtbot.waitUntil(lambda: len(failing.calls) >= 2, timeout=5000)
    qtbot.wait(500)
    assert [call for call in failing.calls if call[0] == "fracture"] == [("fracture", PAGE), ("fracture", 2 * PAGE)]
    assert window.results_model.rowCount() == PAGE + 1  # the first page stays, with its "more" row to ask by hand


def test_show_more_is_also_a_command(qtbot: QtBot, make_window, engine: object) -> None:
    window = make_window(PacedEngine(0, total=50, index=engine.index))  # type: ignore[attr-defined]
    search(qtbot, window, "fracture")
    assert window.actions_.show_more.isEnabled()
    with qtbot.waitSignal(window.controller.results_extended, timeout=5000):
        qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.results_model.rowCount() == 50 and not window.actions_.show_more.isEnabled()
    assert current(window) == ("ICD-10-CM", "A000")  # the highlight stayed where it was


def test_above_the_results_the_window_says_what_the_search_did(qtbot: QtBot, scripted: MainWindow) -> None:
    notice = scripted.results_pane.notice
    search(qtbot, scripted, "pnuemonia")
    assert notice.isVisible() and notice.text() == "Showing results for <b>pneumonia</b>"
    search(qtbot, scripted, "zzz999 %%% ;drop")
    assert notice.text() == "No match for zzz999, %%%: searched <b>drop</b>"
    search(qtbot, scripted, "<b>bold</b> asthma")  # typed text is shown as typed, never as markup
    assert notice.text() == "No match for &lt;b&gt;bold&lt;/b&gt;: searched <b>asthma</b>"
    search(qtbot, scripted, "femur")
    assert not notice.isVisible()
    search(qtbot, scripted, "nothing like it")
    assert notice.isVisible() and "No results for \u201cnothing like it\u201d" in notice.text()


def test_an_empty_search_or_no_results_leaves_no_code_on_screen(qtbot: QtBot, make_window, engine: object) -> None:
    window = make_window(engine)
    search(qtbot, window, "E11.9")
    assert shown_code(window) == "E11.9" and window.windowTitle().startswith("E11.9")
    search(qtbot, window, "qqqqzzzz")
    assert window.results_model.rowCount() == 0
    assert window.detail_view.detail is None and shown_code(window) == ""
    message = window.detail_view.findChild(QLabel, "detail-message")
    assert message is not None and message.isVisible()
    assert "No code selected" in message.text() and "qqqqzzzz" in message.text()
    assert window.windowTitle() == "CodeAtlas"
    search(qtbot, window, "E11.9")
    assert shown_code(window) == "E11.9"
    with qtbot.waitSignal(window.controller.results_cleared, timeout=5000):
        window.search_panel.edit.clear()
    assert window.detail_view.detail is None and "No code selected" in message.text()


def test_back_and_forward_move_the_highlight_to_the_code_shown(qtbot: QtBot, scripted: MainWindow) -> None:
    window, edit = scripted, scripted.search_panel.edit
    search(qtbot, window, "femur")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # opens S72
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # unfolds S72.001
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    window.results_pane.activate_current()  # opens S72.001A
    assert window.history.current is not None and window.history.current.code == "S72.001A"
    window.go_back()
    assert shown_code(window) == "S72" and current(window) == ("ICD-10-CM", "S72")
    window.results_model.set_expanded(1, False)  # folded again: going forward must find it anyway
    window.go_forward()
    assert shown_code(window) == "S72.001A" and current(window) == ("ICD-10-CM", "S72.001A")
    assert layout(window)[1] == "-S72.001"  # its family opened to show it
    window.open_code("ICD-10-CM", "E11.9")  # a code the list does not hold: no row stays highlighted
    assert not window.results_view.selectionModel().hasSelection()
    window.go_back()
    assert current(window) == ("ICD-10-CM", "S72.001A")


@pytest.mark.parametrize("delay_ms", [45, 170], ids=["p95-45ms", "every-query-170ms"])
def test_typing_in_the_window_at_normal_speed_keeps_the_list_current(
    qtbot: QtBot, make_window, engine: object, delay_ms: int
) -> None:
    window = make_window(PacedEngine(delay_ms, index=engine.index))  # type: ignore[attr-defined]
    edit = window.search_panel.edit
    phrase = "open reduction of left femur"
    blank: list[int] = []

    def look() -> str | None:
        shown = window.controller.shown
        if shown is not None and window.results_model.rowCount() == 0:
            blank.append(len(edit.text()))
        return shown.query if shown is not None and window.results_model.rowCount() else None

    seen = type_at_rhythm(qtbot, phrase, lambda typed: qtbot.keyClick(edit, phrase[typed - 1]), look)
    qtbot.waitUntil(
        lambda: window.controller.shown is not None and window.controller.shown.query == phrase, timeout=5000
    )
    lags = lag_in_keys(seen)
    assert None not in lags[4:], lags
    assert max(lag for lag in lags[4:] if lag is not None) <= MAX_LAG_KEYS, lags
    assert words_behind(seen, phrase) <= 1, seen
    assert blank == []
    assert KEY_INTERVAL_MS == 150


def test_a_family_whose_parent_is_no_code_of_the_index_says_so(qtbot: QtBot, make_window, engine: object) -> None:
    """The highlight on such a family must not leave the previous code's detail on screen."""
    orphans = tuple(make_hit(f"S72.009{c}", f"Unlisted femur fracture, {c}", parent="S72.009") for c in "AD")
    answers = {"femur": SearchResult("femur", (make_hit("S72.001A", "Right femur"), *orphans), 3, 1)}
    window = make_window(ScriptedEngine(engine.index, answers))  # type: ignore[attr-defined]
    search(qtbot, window, "femur")
    assert shown_code(window) == "S72.001A"
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Down)
    assert current(window) == ("ICD-10-CM", "S72.009") and window.detail_view.detail is None
    message = window.detail_view.findChild(QLabel, "detail-message")
    assert message is not None and "S72.009 is not in this index as a code of its own" in message.text()


def test_the_best_answer_is_highlighted_inside_its_opened_family(qtbot: QtBot, make_window, engine: object) -> None:
    answers = {"S72.001D": SearchResult("S72.001D", (FEMUR[1], FEMUR[0], FEMUR[2]), 3, 1)}
    window = make_window(ScriptedEngine(engine.index, answers))  # type: ignore[attr-defined]
    search(qtbot, window, "S72.001D")
    assert layout(window) == ["-S72.001", " S72.001D", " S72.001A", " S72.001S"]
    assert current(window) == ("ICD-10-CM", "S72.001D") and shown_code(window) == "S72.001D"

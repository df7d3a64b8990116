"""The real main window on the small index: typing, the keyboard flow, history, copy, favourites."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.records import CodeSet
from desktop.core.userdata import UserData
from desktop.detail.links import code_url
from desktop.detail.view import TABS
from desktop.main_window import MainWindow
from desktop.theme import ThemeManager
from tests.desktop.window_steps import shown_code, type_search


@pytest.fixture
def window(qtbot: QtBot, engine: object, userdata: UserData, light: ThemeManager) -> Iterator[MainWindow]:
    shown = MainWindow(engine, userdata, light)  # type: ignore[arg-type]
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)
    yield shown
    shown.close()


def test_end_to_end_type_select_and_read_all_three_tabs(qtbot: QtBot, window: MainWindow) -> None:
    expected = {
        "E11.9": ("Billable: can be reported on a claim", "Excludes1", "takes no 7th character"),
        "0DTJ4ZZ": ("Percutaneous Endoscopic", "B3.4a Resection", "0DTJ0ZZ"),
        "J9035": ("Bevacizumab injection", "Synthetic processing note", "Anatomic sites"),
    }
    for code, (descriptor, guidelines, modifiers) in expected.items():
        type_search(qtbot, window, code)
        first = window.results_model.hit(0)
        assert first is not None and first.code == code
        rect = window.results_view.visualRect(window.results_model.index(0, 0))
        qtbot.mouseClick(window.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.keyClick(window.results_view, Qt.Key.Key_Return)
        assert shown_code(window) == code
        texts = []
        for number in range(3):
            window.detail_view.tabs.setCurrentIndex(number)
            texts.append(window.detail_view.browsers[TABS[number]].toPlainText())
        assert descriptor in texts[0] and code in texts[0]
        assert guidelines in texts[1]
        assert modifiers in texts[2]
        window.detail_view.tabs.setCurrentIndex(0)
    assert "result" in window.count_label.text() and "ms" in window.count_label.text()


def test_a_guideline_section_hit_opens_the_section(qtbot: QtBot, window: MainWindow) -> None:
    type_search(qtbot, window, "I.C.4.a")
    first = window.results_model.hit(0)
    assert first is not None and (first.code, str(first.kind)) == ("I.C.4.a", "guideline")
    rect = window.results_view.visualRect(window.results_model.index(0, 0))
    qtbot.mouseClick(window.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(window.results_view, Qt.Key.Key_Return)
    assert shown_code(window) == "I.C.4.a" and window.windowTitle().startswith("I.C.4.a Diabetes mellitus")
    texts = []
    for number in range(3):
        window.detail_view.tabs.setCurrentIndex(number)
        texts.append(window.detail_view.browsers[TABS[number]].toPlainText())
    assert "The diabetes mellitus codes are combination codes." in texts[0] and "Chapter 4" in texts[0]
    assert "The diabetes mellitus codes are combination codes." in texts[1]
    assert "no modifiers" in texts[2]
    window.detail_view.tabs.setCurrentIndex(0)
    type_search(qtbot, window, "diabetes")  # words: the codes first, the section below them
    hits = window.results_model.hits()
    assert str(hits[0].kind) != "guideline" and str(hits[-1].kind) == "guideline" and hits[-1].code == "I.C.4.a"


def test_keyboard_flow(qtbot: QtBot, window: MainWindow) -> None:
    edit = window.search_panel.edit
    qtbot.waitUntil(edit.hasFocus)  # the search bar has the focus at start
    type_search(qtbot, window, "diabetes")
    # The hits the first two rows show (a folded 7th-character family's row shows its parent).
    hits = [window.results_model.hit(row) for row in range(2)]
    assert None not in hits and len(window.results_model.hits()) >= 2
    assert window.results_view.currentIndex().row() == 0 and shown_code(window) == hits[0].code

    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert window.results_view.currentIndex().row() == 1 and shown_code(window) == hits[1].code
    assert edit.hasFocus()  # moving through results keeps typing possible
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    qtbot.keyClick(edit, Qt.Key.Key_Up)  # stays on the first row
    assert window.results_view.currentIndex().row() == 0
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # opens: history, recent codes, focus on the tab
    assert window.history.current is not None and window.history.current.code == hits[1].code
    assert window.userdata.recent[0].code == hits[1].code
    browser = window.detail_view.tabs.currentWidget()
    qtbot.waitUntil(browser.hasFocus)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(browser, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # nothing selected: the code
    assert QGuiApplication.clipboard().text() == hits[1].code

    qtbot.keyClick(browser, Qt.Key.Key_Escape)  # back to the search bar
    qtbot.waitUntil(edit.hasFocus)
    assert edit.selectedText() == "diabetes"
    edit.deselect()
    qtbot.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == hits[1].code
    qtbot.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == f"{hits[1].code} {hits[1].title}"

    window.detail_view.setFocus()
    qtbot.keyClick(window.results_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(edit.hasFocus)


def test_a_previewed_code_opened_with_enter_is_drawn_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    html_for = window.detail_view.html_for
    monkeypatch.setattr(window.detail_view, "html_for", lambda tab: drawn.append(tab) or html_for(tab))
    type_search(qtbot, window, "E11.9")
    assert shown_code(window) == "E11.9" and drawn[-1] == "Descriptor"  # the first row is previewed
    drawn.clear()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)  # opened: history and recent, not redrawn
    assert window.history.current is not None and window.history.current.code == "E11.9"
    assert window.userdata.recent[0].code == "E11.9"
    assert drawn == []
    assert "E11.9" in window.detail_view.browsers["Descriptor"].toPlainText()
    window.detail_view.refresh()  # a theme change draws the tab again
    assert drawn == ["Descriptor"]


def test_links_back_and_forward(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.actions_.back.isEnabled()
    assert window.open_code("ICD-10-CM", "E11.9")
    guidelines = window.detail_view.browsers["Guidelines"]
    guidelines.anchorClicked.emit(QUrl(code_url(CodeSet.ICD10CM, "E11")))
    assert shown_code(window) == "E11"
    assert window.actions_.back.isEnabled()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shown_code(window) == "E11.9"
    assert window.actions_.forward.isEnabled()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert shown_code(window) == "E11"
    # A link to a code the index does not hold says so and goes nowhere.
    guidelines.anchorClicked.emit(QUrl(code_url(CodeSet.ICD10CM, "P70-P74")))
    assert shown_code(window) == "E11"
    assert "P70-P74 is not in this index" in window.statusBar().currentMessage()


def test_preview_then_link_makes_the_preview_a_step_back(qtbot: QtBot, window: MainWindow) -> None:
    type_search(qtbot, window, "J9035")
    assert shown_code(window) == "J9035"  # previewed, not opened
    assert window.history.current is None
    window.detail_view.code_requested.emit("HCPCS", "LT")
    assert shown_code(window) == "LT"
    window.go_back()
    assert shown_code(window) == "J9035"


def test_resolve_accepts_codes_as_written_in_notes(window: MainWindow) -> None:
    for written, found in (
        ("e119", "E11.9"),
        ("E11.-", "E11"),
        ("S72.001A-S72.001S", "S72.001A"),
        ("0dtj4zz", "0DTJ4ZZ"),
    ):
        code_set = "ICD-10-PCS" if written.lower().startswith("0d") else "ICD-10-CM"
        detail = window.resolve(code_set, written)
        assert detail is not None and detail.record.code == found, written


def test_favourites_star_and_side_list(qtbot: QtBot, window: MainWindow, user_data_dir) -> None:
    window.open_code("HCPCS", "J9035")
    star = window.detail_view._star
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert window.userdata.is_favourite("HCPCS", "J9035")
    assert "Favourite" in star.text() and star.isChecked()
    assert [s.code for s in window.saved_panel.favourites.codes()] == ["J9035"]
    assert "J9035" in (user_data_dir / "favourites.json").read_text(encoding="utf-8")
    window.open_code("ICD-10-CM", "E11.9")
    assert not star.isChecked()
    view = window.saved_panel.favourites_view
    rect = view.visualRect(window.saved_panel.favourites.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown_code(window) == "J9035" and star.isChecked()
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not window.userdata.is_favourite("HCPCS", "J9035")
    assert [s.code for s in window.saved_panel.recent.codes()][:2] == ["J9035", "E11.9"]


def test_filters_narrow_results_and_are_remembered(
    qtbot: QtBot, window: MainWindow, engine: object, user_data_dir, light: ThemeManager
) -> None:
    type_search(qtbot, window, "injection")
    assert {h.code_set for h in window.results_model.hits()} == {CodeSet.HCPCS}
    chip = window.search_panel.chips[CodeSet.ICD10CM]
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000):
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.results_model.rowCount() == 0
    assert window.count_label.text().startswith("No results")
    assert CodeSet.CPT not in window.search_panel.chips  # CPT only when its data exists
    window.close()

    again = MainWindow(engine, UserData(user_data_dir), light)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    assert again.search_panel.chips[CodeSet.ICD10CM].isChecked()
    assert not again.search_panel.chips[CodeSet.HCPCS].isChecked()
    assert again.search_panel.filters().code_sets == frozenset({CodeSet.ICD10CM})
    again.close()


def test_window_state_is_kept_in_the_user_folder(qtbot: QtBot, window: MainWindow, user_data_dir) -> None:
    window.detail_view.tabs.setCurrentIndex(2)
    window.close()
    settings = (user_data_dir / "settings.json").read_text(encoding="utf-8")
    for key in ("window_geometry", "splitter", "saved_splitter", '"tab": 2'):
        assert key in settings


def test_theme_switch_repaints(qtbot: QtBot, window: MainWindow) -> None:
    window.open_code("ICD-10-CM", "E11.9")
    with qtbot.waitSignal(window.theme.theme_changed) as blocker:
        window.actions_.theme_actions["dark"].trigger()
    assert blocker.args == [True]
    assert window.userdata.setting("theme") == "dark"
    assert QApplication.palette().base().color().lightness() < 80
    assert window.theme.colours.dark


def test_about_box_shows_version_and_releases(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.actions_.about.trigger()
    box = window.findChild(QMessageBox, "about-box")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    for text in ("CodeAtlas 0.1.0", "ICD-10-CM</b>: FY2026 (April 1, 2026 update)", "HCPCS</b>: July 2026"):
        assert text in box.text()
    box.close()


def test_a_damaged_document_is_reported_not_raised(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(*_args: object) -> None:
        raise ValueError("invalid stored detail")

    monkeypatch.setattr(window.index, "detail", damaged)
    assert not window.open_code("ICD-10-CM", "E11.9")
    assert "could not be read from the index (invalid stored detail)" in window.statusBar().currentMessage()

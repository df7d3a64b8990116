"""Imported (synthetic) CPT data in the app: search hits labelled CPT, the three tabs, chips, About."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.about import about_html
from desktop.app import Shell
from desktop.core import paths
from desktop.core.engine import open_engine
from desktop.core.records import CodeSet
from desktop.core.search.combined import CombinedEngine, CombinedIndex
from desktop.core.userdata import UserData
from desktop.main_window import MainWindow
from desktop.search.results_model import Role
from desktop.theme import ThemeManager
from index_build import cpt_import
from tests.desktop.window_steps import answers

AMA_STYLE = ("LONGULT.txt", "MEDU.txt", "SHORTU.txt", "MODUL.txt")
CARDIO = "Synthetic test procedure cardiovascular one, long form"


@pytest.fixture
def cpt_data(fixtures_dir: Path, user_data_dir: Path) -> Path:
    """The synthetic fixture files imported into this test's own data folder."""
    cpt_import.write(cpt_import.inspect([fixtures_dir / "cpt" / name for name in AMA_STYLE]), lambda line: None)
    assert paths.cpt_index_dir().is_relative_to(user_data_dir)
    return paths.cpt_index_dir()


@pytest.fixture
def cpt_engine(small_index: Path, cpt_data: Path) -> Iterator[Any]:
    opened = open_engine(small_index)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, cpt_engine: Any, userdata: UserData, light: ThemeManager) -> Iterator[MainWindow]:
    shown = MainWindow(cpt_engine, userdata, light)
    qtbot.addWidget(shown)
    yield shown
    shown.close()


def test_open_engine_adds_the_cpt_index(cpt_engine: Any) -> None:
    assert isinstance(cpt_engine, CombinedEngine) and cpt_engine.cpt is not None
    assert isinstance(cpt_engine.index, CombinedIndex)
    detail = cpt_engine.index.detail(CodeSet.CPT, "33999")
    assert detail is not None and detail.record.title == CARDIO


@pytest.mark.parametrize("text", ["33999", "cardiovascular"])
def test_search_gives_a_cpt_labelled_hit(qtbot: QtBot, window: MainWindow, text: str) -> None:
    assert CodeSet.CPT in window.search_panel.chips
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000, check_params_cb=answers(text)):
        qtbot.keyClicks(window.search_panel.edit, text)
    model = window.results_model
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    labels = {(str(row.data(Role.CODE)), str(row.data(Role.CODE_SET))) for row in rows}
    assert ("33999", "CPT") in labels
    if text == "33999":
        assert model.hits()[0].code == "33999"  # the exact code comes first


def test_three_tabs_render_for_a_cpt_code(window: MainWindow) -> None:
    assert window.open_code("CPT", "33999")
    view = window.detail_view
    descriptor = view.html_for("Descriptor")
    assert CARDIO in descriptor and "Synthetic short cardiova 1" in descriptor
    assert "CPT, CPT (your licensed data files, imported" in descriptor
    assert "33016-37799" in descriptor and "Cardiovascular System" in descriptor  # the range it falls in
    assert "Synthetic med CARDIOVASCULAR ONE" in descriptor
    guidelines = view.html_for("Guidelines")
    assert "33016-37799" in guidelines and "holds no CPT guidelines" in guidelines
    modifiers = view.html_for("Modifiers")
    assert "CPT modifiers (your licensed copy) (5)" in modifiers
    assert "Synthetic modifier twenty-five" in modifiers


def test_cpt_modifier_descriptor_says_cpt(window: MainWindow) -> None:
    assert window.open_code("CPT", "25")
    assert "CPT modifier" in window.detail_view.html_for("Descriptor")
    assert "is a CPT modifier from your imported CPT data" in window.detail_view.html_for("Modifiers")


def test_hcpcs_modifiers_tab_lists_cpt_modifiers_beside_level_two(window: MainWindow) -> None:
    assert window.open_code("HCPCS", "J9035")
    html = window.detail_view.html_for("Modifiers")
    assert "Level II modifiers" in html
    assert "CPT modifiers (your licensed copy) (5)" in html
    assert "Synthetic modifier twenty-five" not in html  # folded until clicked
    window.detail_view._flipped["Modifiers"].add("group:cpt")
    assert "Synthetic modifier twenty-five" in window.detail_view.html_for("Modifiers")


def test_about_shows_the_ama_notice(window: MainWindow) -> None:
    html = about_html(window.index.manifest, "9.9")
    assert "registered trademark of the American Medical Association" in html
    assert "CPT is not included" not in html
    assert "<b>CPT</b>" in html


def test_without_cpt_data_nothing_changes(qtbot: QtBot, engine: Any, userdata: UserData, light: ThemeManager) -> None:
    assert not cpt_import.has_cpt()
    shown = MainWindow(engine, userdata, light)
    qtbot.addWidget(shown)
    assert CodeSet.CPT not in shown.search_panel.chips
    assert not isinstance(shown.index, CombinedIndex)
    assert shown.open_code("HCPCS", "J9035")
    assert "CPT modifiers" not in shown.detail_view.html_for("Modifiers")
    about = about_html(shown.index.manifest, "9.9")
    assert "CPT is not included" in about and "American Medical Association" not in about
    shown.close()


def test_damaged_cpt_index_is_reported_not_blocking(
    qtbot: QtBot, small_index: Path, userdata: UserData, light: ThemeManager
) -> None:
    folder = paths.cpt_index_dir()
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")  # no index files, wrong schema
    shell = Shell(userdata, light, small_index)
    try:
        shell.start()
        assert shell.window is not None and shell.problem_window is None
        assert "CPT" in shell.window.statusBar().currentMessage()
        assert CodeSet.CPT not in shell.window.search_panel.chips
    finally:
        if shell.window is not None:
            shell.window.close()
            shell.window.deleteLater()
        shell.close()

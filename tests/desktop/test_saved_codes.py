"""The side lists: favourites keep the order the user gives (drag or Ctrl+Up/Down, saved), whole titles on hover."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from desktop.core.userdata import SavedCode, UserData
from desktop.saved_codes import SavedCodesModel, SavedCodesPanel

A = SavedCode(
    "ICD-10-CM",
    "S72.001A",
    "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",
)
B = SavedCode("HCPCS", "J9035", "Injection, bevacizumab, 10 mg")
C = SavedCode("ICD-10-CM", "E11.9", "Type 2 diabetes mellitus without complications")


def codes(model: SavedCodesModel) -> list[str]:
    return [saved.code for saved in model.codes()]


def test_models_pass_qtmodeltester_through_moves(qtmodeltester) -> None:
    favourites = SavedCodesModel(reorderable=True)
    favourites.set_codes([A, B, C])
    qtmodeltester.check(favourites)  # stays attached: the moves below are checked too
    assert favourites.moveRow(QModelIndex(), 0, QModelIndex(), 3)
    assert favourites.moveRow(QModelIndex(), 2, QModelIndex(), 0)
    recent = SavedCodesModel()
    recent.set_codes([A, B])
    qtmodeltester.check(recent)


def test_rows_move_where_they_are_dropped(qtbot: QtBot) -> None:
    model = SavedCodesModel(reorderable=True)
    model.set_codes([A, B, C])
    with qtbot.waitSignal(model.reordered) as told:
        assert model.moveRow(QModelIndex(), 0, QModelIndex(), 3)  # the first dropped below the last
    assert codes(model) == ["J9035", "E11.9", "S72.001A"] and told.args[0] == [B, C, A]
    assert model.moveRow(QModelIndex(), 2, QModelIndex(), 0)  # and back to the top
    assert codes(model) == ["S72.001A", "J9035", "E11.9"]
    for row, child in ((0, 0), (0, 1), (3, 0), (0, 9)):  # onto itself, past the end
        assert not model.moveRow(QModelIndex(), row, QModelIndex(), child)
    assert codes(model) == ["S72.001A", "J9035", "E11.9"]
    # What Qt's drag and drop needs for a move inside the list: rows drag, the gaps accept a move.
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.supportedDropActions() == Qt.DropAction.MoveAction
    recent = SavedCodesModel()
    recent.set_codes([A, B])
    assert not recent.moveRow(QModelIndex(), 0, QModelIndex(), 2) and not recent.flags(QModelIndex())


def test_whole_titles_on_hover(qtbot: QtBot) -> None:
    panel = SavedCodesPanel()
    qtbot.addWidget(panel)
    panel.favourites.set_codes([A])
    tip = panel.favourites.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:2] == ["S72.001A (ICD-10-CM)", A.title]
    assert panel.favourites_view.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove


def test_ctrl_up_and_down_reorder_the_favourites(qtbot: QtBot) -> None:
    panel = SavedCodesPanel()
    qtbot.addWidget(panel)
    panel.favourites.set_codes([A, B, C])
    orders: list[list[SavedCode]] = []
    panel.favourites_reordered.connect(orders.append)
    view = panel.favourites_view
    view.setCurrentIndex(panel.favourites.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert codes(panel.favourites) == ["J9035", "S72.001A", "E11.9"] and view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # already last: stays
    assert codes(panel.favourites) == ["J9035", "E11.9", "S72.001A"] and view.currentIndex().row() == 2
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert codes(panel.favourites) == ["J9035", "S72.001A", "E11.9"]
    assert [[s.code for s in order] for order in orders][-1] == ["J9035", "S72.001A", "E11.9"]
    assert len(orders) == 3


def test_the_window_saves_the_order_and_puts_new_favourites_first(
    qtbot: QtBot, engine: object, userdata: UserData, light, user_data_dir: Path
) -> None:
    from desktop.main_window import MainWindow

    window = MainWindow(engine, userdata, light)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    for code_set, code in (("HCPCS", "J9035"), ("ICD-10-CM", "E11.9"), ("ICD-10-CM", "S72.001A")):
        window.open_code(code_set, code)
        window.actions_.toggle_favourite.trigger()
    panel = window.saved_panel
    assert codes(panel.favourites) == ["S72.001A", "E11.9", "J9035"]  # newest first
    panel.favourites_view.setCurrentIndex(panel.favourites.index(2, 0))
    assert panel.move_favourite(-1) and panel.move_favourite(-1)
    assert codes(panel.favourites) == ["J9035", "S72.001A", "E11.9"]
    assert [f.code for f in UserData(user_data_dir).favourites] == ["J9035", "S72.001A", "E11.9"]
    window.close()

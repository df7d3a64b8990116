"""The side panel: favourite and recent codes, each a list model the coder can click through."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QSplitter, QVBoxLayout, QWidget

from desktop.core.userdata import SavedCode

_Index = QModelIndex | QPersistentModelIndex
SAVED_CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class SavedCodesModel(QAbstractListModel):
    """Read-only rows over a tuple of SavedCode."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._codes: tuple[SavedCode, ...] = ()

    def set_codes(self, codes: list[SavedCode]) -> None:
        self.beginResetModel()
        self._codes = tuple(codes)
        self.endResetModel()

    def codes(self) -> tuple[SavedCode, ...]:
        return self._codes

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._codes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._codes):
            return None
        saved = self._codes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{saved.code}  {saved.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{saved.code} ({saved.code_set})\n{saved.title}"
        if role == SAVED_CODE_ROLE:
            return saved
        return None


class SavedCodesPanel(QWidget):
    """Favourites above, recent codes below; clicking or Enter on a row opens the code."""

    code_chosen = Signal(str, str)  # code set, code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.favourites = SavedCodesModel(self)
        self.recent = SavedCodesModel(self)
        self.splitter = QSplitter()
        self.splitter.setOrientation(Qt.Orientation.Vertical)
        self.splitter.setObjectName("saved-splitter")
        self.favourites_view = self._section(
            "Favourites", self.favourites, "favourites-view", "Star a code (Ctrl+D) to keep it here."
        )
        self.recent_view = self._section("Recent", self.recent, "recent-view", "Codes you open appear here.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _section(self, title: str, model: SavedCodesModel, name: str, hint: str) -> QListView:
        view = QListView()
        view.setObjectName(name)
        view.setModel(model)
        view.setUniformItemSizes(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.activated.connect(self._on_view_activated)
        view.clicked.connect(self._on_view_activated)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(f"<b>{title}</b>")
        label.setBuddy(view)
        empty = QLabel(hint)
        empty.setWordWrap(True)
        empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        model.modelReset.connect(lambda: empty.setVisible(model.rowCount() == 0))
        layout.addWidget(label)
        layout.addWidget(empty)
        layout.addWidget(view)
        self.splitter.addWidget(box)
        return view

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        saved = index.data(SAVED_CODE_ROLE)
        if isinstance(saved, SavedCode):
            self.code_chosen.emit(saved.code_set, saved.code)

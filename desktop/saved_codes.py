"""The side panel: favourites (in the order the user gives) and recent codes, each a list model to click through."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QSplitter, QVBoxLayout, QWidget

from desktop.core.userdata import SavedCode

_Index = QModelIndex | QPersistentModelIndex
SAVED_CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class SavedCodesModel(QAbstractListModel):
    """Rows over a tuple of SavedCode; a reorderable one moves rows (drag or keys) and says so."""

    reordered = Signal(object)  # list[SavedCode] in the order the user gave

    def __init__(self, parent: QObject | None = None, reorderable: bool = False) -> None:
        super().__init__(parent)
        self._codes: tuple[SavedCode, ...] = ()
        self._reorderable = reorderable

    def set_codes(self, codes: list[SavedCode]) -> None:
        self.beginResetModel()
        self._codes = tuple(codes)
        self.endResetModel()

    def codes(self) -> tuple[SavedCode, ...]:
        return self._codes

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._codes)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():  # between rows: where a dragged favourite may land
            return Qt.ItemFlag.ItemIsDropEnabled if self._reorderable else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return flags | Qt.ItemFlag.ItemIsDragEnabled if self._reorderable else flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction if self._reorderable else Qt.DropAction.IgnoreAction

    def moveRows(
        self, source: _Index, row: int, count: int, destination: _Index, child: int
    ) -> bool:  # Qt's names: move count rows from row to before child
        if not self._reorderable or source.isValid() or destination.isValid() or count < 1:
            return False
        if (
            row < 0
            or row + count > len(self._codes)
            or not 0 <= child <= len(self._codes)
            or row <= child <= row + count
        ):
            return False
        if not self.beginMoveRows(QModelIndex(), row, row + count - 1, QModelIndex(), child):
            return False
        codes = list(self._codes)
        moving = codes[row : row + count]
        del codes[row : row + count]
        at = child if child < row else child - count
        self._codes = tuple(codes[:at] + moving + codes[at:])
        self.endMoveRows()
        self.reordered.emit(list(self._codes))
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._codes):
            return None
        saved = self._codes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{saved.code}  {saved.title}"
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole title: the list cuts it at its width
            tip = f"{saved.code} ({saved.code_set})\n{saved.title}"
            return tip + ("\nDrag, or Ctrl+Up / Ctrl+Down, to reorder" if self._reorderable else "")
        if role == SAVED_CODE_ROLE:
            return saved
        return None


class SavedCodesPanel(QWidget):
    """Favourites above, recent codes below; clicking or Enter on a row opens the code."""

    code_chosen = Signal(str, str)  # code set, code
    favourites_reordered = Signal(object)  # list[SavedCode]: the order the user gave

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.favourites = SavedCodesModel(self, reorderable=True)
        self.recent = SavedCodesModel(self)
        self.splitter = QSplitter()
        self.splitter.setOrientation(Qt.Orientation.Vertical)
        self.splitter.setObjectName("saved-splitter")
        self.favourites_view = self._section(
            "Favourites", self.favourites, "favourites-view", "Star a code (Ctrl+D) to keep it here."
        )
        self.recent_view = self._section("Recent", self.recent, "recent-view", "Codes you open appear here.")
        self.favourites_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.favourites_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.favourites_view.installEventFilter(self)
        self.favourites.reordered.connect(self.favourites_reordered)
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

    def move_favourite(self, delta: int) -> bool:
        """Move the highlighted favourite up (-1) or down (1) and keep it highlighted."""
        view = self.favourites_view
        row = view.currentIndex().row()
        target = row + delta
        if row < 0 or not 0 <= target < self.favourites.rowCount():
            return False
        moved = self.favourites.moveRow(QModelIndex(), row, QModelIndex(), target + 1 if delta > 0 else target)
        if moved:
            view.setCurrentIndex(self.favourites.index(target, 0))
        return moved

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = getattr(self, "favourites_view", None)  # events can come while the panel is torn down
        if (
            view is not None
            and watched is view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self.move_favourite(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        saved = index.data(SAVED_CODE_ROLE)
        if isinstance(saved, SavedCode):
            self.code_chosen.emit(saved.code_set, saved.code)

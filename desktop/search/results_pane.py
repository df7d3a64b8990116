"""The results column: a line saying what the search did, the list, its highlight, and loading more."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.colours import Colours
from desktop.core.records import SearchResult
from desktop.search.notice import search_notice
from desktop.search.result_rows import RowKind
from desktop.search.results_delegate import ResultDelegate
from desktop.search.results_model import ResultsModel
from desktop.search.results_view import ResultsView


def more_label(result: SearchResult, page: int) -> str:
    """The last row's text while more rows can load: 'Show 30 more · 30 of 353 shown'."""
    shown = len(result.hits)
    return f"Show {min(page, result.total - shown):,} more \u00b7 {shown:,} of {result.total:,} shown"


LOADING = "Loading more\u2026"


class ResultsPane(QWidget):
    """Owns the results model and view; says which code a row stands for, never opens one itself."""

    current_changed = Signal(str, str)  # code set, code: the highlighted row (a family: its parent)
    code_activated = Signal(str, str)  # Enter or double-click on a code row
    more_requested = Signal()  # the user reached the end of the list or chose "Show more"
    room_left = Signal()  # the rows shown do not fill the list and more can load

    def __init__(self, colours: Callable[[], Colours], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice = QLabel()
        self.notice.setObjectName("search-notice")
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.model = ResultsModel(self)
        self.view = ResultsView(self.model)
        self.view.setObjectName("results-view")
        self.view.setItemDelegate(ResultDelegate(colours, self.view))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.activated.connect(self._on_view_activated)
        self.view.end_reached.connect(self.more_requested)
        self.view.room_left.connect(self.room_left)

    def show_result(self, result: SearchResult, more: str, say_empty: bool = True) -> None:
        """A new search: rows from the top, the first code highlighted."""
        self._set_notice(search_notice(result, say_empty))
        self.model.set_hits(result.hits, more)
        self.view.scrollToTop()
        # The engine's best answer gets the highlight, also when it is a child in an opened family.
        top = result.hits[0] if result.hits else None
        first = self.model.find(str(top.code_set), top.code) if top is not None else -1
        first = first if first >= 0 else self._step(-1, 1)
        if first >= 0:
            self.view.set_current_row(first)

    def extend(self, result: SearchResult, more: str) -> None:
        """More rows of the shown search: the highlighted code and the scroll position stay."""
        bar = self.view.verticalScrollBar()
        position = bar.value()
        row = self.view.currentIndex().row()
        current = self.model.place(row)
        on_more = (found := self.model.row(row)) is not None and found.kind == RowKind.MORE
        self.model.set_hits(result.hits, more, keep=True)
        self.view.doItemsLayout()  # the new rows' heights, before the old position is put back
        bar.setValue(position)
        if on_more:  # the keyboard asked from the "more" row: step onto the first row that came
            self.view.set_current_row(min(row, self.model.rowCount() - 1))
        elif current is not None and self.model.place(self.view.currentIndex().row()) != current:
            found_row = self.model.find(*current)
            if found_row >= 0:
                self.view.set_current_row(found_row)

    def set_more(self, more: str) -> None:
        self.model.set_more(more)

    def clear(self) -> None:
        self._set_notice("")
        self.model.set_hits(())

    def highlight(self, code_set: str, code: str) -> None:
        """Put the highlight on the row of a code shown elsewhere (back, forward, a link); none if absent."""
        row = self.model.find(code_set, code, reveal=True)
        selection = self.view.selectionModel()
        if row < 0:
            selection.clear()
        elif row != self.view.currentIndex().row():
            self.view.set_current_row(row)

    def move_highlight(self, delta: int) -> None:
        """Up/Down/PageUp/PageDown typed in the search bar, passing over group headers."""
        if not self.model.rowCount():
            return
        current = self.view.currentIndex()
        row = self._step(current.row() if current.isValid() else -1, delta)
        if row >= 0:
            self.view.set_current_row(row)

    def activate_current(self) -> None:
        """Enter in the search bar: open the highlighted code (or the first), fold a family, load more."""
        current = self.view.currentIndex()
        if not current.isValid():
            first = self._step(-1, 1)
            if first < 0:
                return
            current = self.model.index(first, 0)
        self._on_view_activated(current)

    def _step(self, row: int, delta: int) -> int:
        """The row delta rows away from row that the highlight may sit on (clamped), -1 if there is none."""
        count = self.model.rowCount()
        target = min(max(row + delta, 0), count - 1)
        direction = 1 if delta > 0 else -1
        for candidate in (*range(target, count if direction > 0 else -1, direction), *range(target, -1, -1)):
            found = self.model.row(candidate)
            if found is not None and found.kind != RowKind.GROUP:
                return candidate
        return -1

    def _set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        found = self.model.row(current.row()) if current.isValid() else None
        if found is None or self.model.changing:
            return
        if found.kind == RowKind.MORE:
            self.more_requested.emit()  # the keyboard reached the end of the list
            return
        place = self.model.place(current.row())
        if place is not None:
            self.current_changed.emit(*place)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        found = self.model.row(index.row())
        if found is None:
            return
        if found.kind == RowKind.MORE:
            self.more_requested.emit()
        elif found.kind == RowKind.FAMILY:
            self.model.toggle(index.row())
        elif found.kind == RowKind.HIT and found.code_set is not None:
            self.code_activated.emit(str(found.code_set), found.code)

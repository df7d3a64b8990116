"""The results list view: folds and unfolds families by key and mouse, and asks for more at the end."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QFontMetrics, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop.search.result_rows import RowKind
from desktop.search.results_delegate import ResultDelegate
from desktop.search.results_model import ResultsModel


class ResultsView(QListView):
    """Right opens a family (or steps into it), Left closes it (or steps out to it); a click on the
    triangle toggles it. Scrolling to the last row emits end_reached, and rows too few to scroll emit
    room_left, so more rows can load."""

    end_reached = Signal()
    room_left = Signal()  # the rows do not fill the list and more can load

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._results = model
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Rows wrap their titles to the list's width: lay them out again when it changes.
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Laid out in one pass: in batches, a list taller than its first batch stopped laying out when the
        # next batch brought the scroll bar (rows past it stayed blank). Pages are 30 rows; a thousand
        # wrapped rows, the most a search gives, take about 75 ms.
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_bar_value_changed)
        model.family_toggled.connect(self._on_model_family_toggled)

    def set_current_row(self, row: int) -> None:
        index = self._results.index(row, 0)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def step_in_or_out(self, row: int, inward: bool) -> bool:
        """Right (inward) / Left on a row; True when it did something."""
        found = self._results.row(row)
        if found is None:
            return False
        if found.kind == RowKind.FAMILY:
            if inward and not found.expanded:
                return self._results.set_expanded(row, True)
            if inward:
                self.set_current_row(row + 1)
                return True
            return self._results.set_expanded(row, False)
        if not inward and found.depth:
            self.set_current_row(self._results.family_row(row))
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Left) and modifiers == Qt.KeyboardModifier.NoModifier:
            current = self.currentIndex()
            if current.isValid() and self.step_in_or_out(current.row(), event.key() == Qt.Key.Key_Right):
                event.accept()
                return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        found = self._results.row(index.row()) if index.isValid() else None
        if found is not None and found.kind == RowKind.FAMILY and event.button() == Qt.MouseButton.LeftButton:
            gutter = ResultDelegate.gutter(QFontMetrics(self.font()))
            rect = self.visualRect(index)
            if event.position().x() < rect.left() + gutter + self.fontMetrics().averageCharWidth():
                self.set_current_row(index.row())
                self._results.toggle(index.row())
                event.accept()
                return
        super().mousePressEvent(event)

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self.check_room()

    @Slot()
    def check_room(self) -> None:
        """Emit room_left when rows that do not fill the list leave nothing to scroll to the end of (a
        tall window, a page of 30): checked after each layout and when typing pauses; the window asks
        for one more page at a time until the list is full. The "more" row must be laid out (its rect
        is invalid until then) and in sight."""
        last = self._results.rowCount() - 1
        found = self._results.row(last) if last >= 0 else None
        if found is None or found.kind != RowKind.MORE:
            return
        rect = self.visualRect(self._results.index(last, 0))
        if rect.isValid() and self.verticalScrollBar().maximum() == 0 and rect.bottom() < self.viewport().height():
            self.room_left.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # a new width can change how many lines each title takes

    @Slot(int)
    def _on_scroll_bar_value_changed(self, value: int) -> None:
        bar = self.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum():
            self.end_reached.emit()

    @Slot(int, bool)
    def _on_model_family_toggled(self, row: int, expanded: bool) -> None:
        found = self._results.row(row)
        if expanded and found is not None:  # show the children that opened, as many as fit below it
            self.scrollTo(self._results.index(row + found.count, 0))
            self.scrollTo(self._results.index(row, 0))

"""The search bar with its code-set chips and the billable and terminated toggles."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from desktop.core.coverage import placeholder
from desktop.core.records import CodeSet, SearchFilters

# Keys the search bar hands to the results list, so a coder never has to leave the keyboard.
MOVES = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 10,
    Qt.Key.Key_PageUp: -10,
}


# Chips read as pills; checked ones take the selection colour so the active filters stand out.
CHIP_STYLE = (
    "QToolButton { padding: 0.15em 0.7em; border: 1px solid palette(mid); border-radius: 0.7em; }"
    "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
    " border-color: palette(highlight); }"
)


class SearchPanel(QWidget):
    """Emits what the user typed and the filters; forwards Up/Down/Enter as requests."""

    text_changed = Signal(str)
    filters_changed = Signal(object)  # SearchFilters
    move_requested = Signal(int)  # rows to move the current result by
    open_requested = Signal()

    def __init__(self, code_sets: Iterable[CodeSet], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        code_sets = tuple(code_sets)
        self.edit = QLineEdit()
        self.edit.setObjectName("search-edit")
        self.edit.setPlaceholderText(placeholder(code_sets))  # only queries this index can answer
        self.edit.setClearButtonEnabled(True)
        font = QFont(self.edit.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.edit.setFont(font)
        self.edit.textChanged.connect(self.text_changed)
        self.edit.installEventFilter(self)

        self.chips: dict[CodeSet, QToolButton] = {}
        chips_row = QHBoxLayout()
        chips_row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Code sets:")
        chips_row.addWidget(label)
        for code_set in code_sets:
            chip = self._toggle(str(code_set), f"Only {code_set} (none checked: every code set)")
            chip.setObjectName(f"chip-{code_set}")
            self.chips[code_set] = chip
            chips_row.addWidget(chip)
        chips_row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        self.billable_only = self._toggle("Billable only", "Hide headers that cannot go on a claim")
        self.billable_only.setObjectName("billable-only")
        self.include_terminated = self._toggle("Include terminated", "Show HCPCS codes that were terminated")
        self.include_terminated.setObjectName("include-terminated")
        chips_row.addWidget(self.billable_only)
        chips_row.addWidget(self.include_terminated)
        chips_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.restyle()
        layout.addLayout(chips_row)

    def restyle(self) -> None:
        """Re-apply the chip style so palette() colours follow a theme change."""
        for button in (*self.chips.values(), self.billable_only, self.include_terminated):
            button.setStyleSheet(CHIP_STYLE)

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.toggled.connect(self._on_toggle_toggled)
        return button

    def filters(self) -> SearchFilters:
        chosen = frozenset(code_set for code_set, chip in self.chips.items() if chip.isChecked())
        return SearchFilters(chosen, self.billable_only.isChecked(), self.include_terminated.isChecked())

    def set_filters(self, filters: SearchFilters) -> None:
        """Restore saved filters without emitting once per button."""
        buttons = [*self.chips.values(), self.billable_only, self.include_terminated]
        for button in buttons:
            button.blockSignals(True)
        for code_set, chip in self.chips.items():
            chip.setChecked(code_set in filters.code_sets)
        self.billable_only.setChecked(filters.billable_only)
        self.include_terminated.setChecked(filters.include_terminated)
        for button in buttons:
            button.blockSignals(False)
        self.filters_changed.emit(self.filters())

    def focus_search(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    @Slot(bool)
    def _on_toggle_toggled(self, _checked: bool) -> None:
        self.filters_changed.emit(self.filters())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: Qt can still deliver events while the wrapper is being torn down.
        edit: QLineEdit | None = getattr(self, "edit", None)
        if edit is None or watched is not edit:
            return super().eventFilter(watched, event)
        # Let the window's "copy code" shortcut have Ctrl+C when nothing is selected here.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
            and not edit.hasSelectedText()
        ):
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in MOVES and modifiers == Qt.KeyboardModifier.NoModifier:
                self.move_requested.emit(MOVES[Qt.Key(event.key())])
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_requested.emit()
                return True
        return super().eventFilter(watched, event)

"""The main window's actions, menus and toolbar: one place that lists every shortcut."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStyle, QToolBar

from desktop.theme import THEME_CHOICES


def _keys(*keys: str | QKeySequence.StandardKey) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in keys:
        sequence = QKeySequence(key)
        if not sequence.isEmpty() and sequence not in out:
            out.append(sequence)
    return out


class WindowActions(QObject):
    """Creates the actions on a window; the window connects their triggered signals."""

    theme_chosen = Signal(str)

    def __init__(self, window: QMainWindow, theme_preference: str) -> None:
        super().__init__(window)
        style = window.style()
        self.back = self._action(
            window, "&Back", _keys("Alt+Left", QKeySequence.StandardKey.Back), "Back to the previous code (Alt+Left)"
        )
        self.back.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.forward = self._action(
            window, "&Forward", _keys("Alt+Right", QKeySequence.StandardKey.Forward), "Forward again (Alt+Right)"
        )
        self.forward.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        self.show_more = self._action(
            window, "Show &more results", _keys("Alt+Down"), "Load the next results of this search (Alt+Down)"
        )
        self.show_more.setEnabled(False)
        self.find = self._action(
            window, "&Search", _keys("Ctrl+K", "Ctrl+L", "Esc"), "Go to the search bar (Ctrl+K, Ctrl+L or Esc)"
        )
        self.copy_code = self._action(window, "&Copy code", _keys("Ctrl+C"), "Copy the code (Ctrl+C)")
        self.copy_description = self._action(
            window,
            "Copy code and &description",
            _keys("Ctrl+Shift+C"),
            "Copy the code and its description (Ctrl+Shift+C)",
        )
        self.toggle_favourite = self._action(
            window, "Add to or remove from &favourites", _keys("Ctrl+D"), "Star or unstar the code (Ctrl+D)"
        )
        self.side_panel = self._action(
            window, "&Favourites and recent codes", _keys("Ctrl+B"), "Show or hide the side panel (Ctrl+B)"
        )
        self.side_panel.setCheckable(True)
        self.side_panel.setChecked(True)
        self.clear_recent = self._action(window, "Clear &recent codes", [], "Forget the recent codes")
        self.about = self._action(window, "&About CodeAtlas", [], "Version, code-set releases and sources")
        self.about.triggered.connect(self._on_about_triggered)
        self.update_code_sets = self._action(
            window, "Add or &update code sets\u2026", [], "Rebuild the index from newer official files"
        )
        self.import_cpt = self._action(window, "&Import CPT\u2026", [], "Import your own AMA-licensed CPT files")
        self.remove_cpt = self._action(window, "&Remove CPT data\u2026", [], "Delete the imported CPT data")
        self.quit = self._action(window, "&Quit", _keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"), "Quit")
        self.quit.triggered.connect(window.close)
        self._window = window

        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in THEME_CHOICES:
            action = QAction(
                f"{choice.capitalize()} theme" if choice != "system" else "Follow the system", self.theme_group
            )
            action.setCheckable(True)
            action.setChecked(choice == theme_preference)
            action.setData(choice)
            action.triggered.connect(self._on_theme_action_triggered)
            self.theme_actions[choice] = action

        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.update_code_sets, self.import_cpt, self.remove_cpt):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        for action in (self.find, self.copy_code, self.copy_description, self.toggle_favourite, self.clear_recent):
            edit.addAction(action)
        go = bar.addMenu("&Go")
        go.addAction(self.back)
        go.addAction(self.forward)
        go.addSeparator()
        go.addAction(self.show_more)
        view = bar.addMenu("&View")
        view.addAction(self.side_panel)
        view.addSeparator()
        for action in self.theme_actions.values():
            view.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about)

        toolbar = QToolBar("Navigation")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.back, self.forward):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.copy_code)
        toolbar.addAction(self.copy_description)
        window.addToolBar(toolbar)
        self.toolbar = toolbar

    @staticmethod
    def _action(window: QMainWindow, text: str, keys: list[QKeySequence], tip: str) -> QAction:
        action = QAction(text, window)
        action.setShortcuts(keys)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        window.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    @Slot()
    def _on_theme_action_triggered(self) -> None:
        action = self.theme_group.checkedAction()
        if action is not None:
            self.theme_chosen.emit(str(action.data()))

    @Slot()
    def _on_about_triggered(self) -> None:
        from desktop.about import show_about

        show_about(self._window)

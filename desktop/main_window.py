"""The main window: layout and signal wiring of search bar, results, detail tabs and side panel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from desktop.actions import WindowActions
from desktop.core.codes import code_key, display_code
from desktop.core.coverage import coverage_of
from desktop.core.engine import CodeReader, Engine
from desktop.core.index import CodeDetail
from desktop.core.records import CodeSet, SearchFilters, SearchResult
from desktop.core.userdata import SavedCode, UserData
from desktop.coverage_notice import CoverageNotice, empty_result_html
from desktop.detail.view import DetailView
from desktop.history import History, Place
from desktop.saved_codes import SavedCodesPanel
from desktop.search.controller import SearchController
from desktop.search.panel import SearchPanel
from desktop.search.results_pane import LOADING, ResultsPane, more_label
from desktop.theme import ThemeManager
from desktop.window_state import restore_window, save_window


def present_code_sets(index: CodeReader) -> list[CodeSet]:
    """The code sets the index holds, in the usual order; CPT only when its data was imported."""
    listed = {str(item.get("code_set")) for item in index.releases()}
    found = [code_set for code_set in CodeSet if str(code_set) in listed]
    return found or [CodeSet.ICD10CM, CodeSet.ICD10PCS, CodeSet.HCPCS]


class MainWindow(QMainWindow):
    """Wires the pieces; the work happens in the controller, the models and the detail tabs."""

    index_reopen_requested = Signal()  # the index was rebuilt or released: the shell opens it again

    def __init__(self, engine: Engine, userdata: UserData, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("CodeAtlas")
        self.engine = engine
        self.index = engine.index
        self.userdata = userdata
        self.theme = theme
        self.history = History()
        self._shown: Place | None = None
        self._read_failed = False
        self._released_for_cpt = False

        self.search_panel = SearchPanel(present_code_sets(self.index))
        self.coverage_notice = CoverageNotice(coverage_of(self.index.manifest))
        # The closures capture the theme, not the window: no reference cycle through the window.
        self.results_pane = ResultsPane(lambda: theme.colours)
        self.results_model = self.results_pane.model
        self.results_view = self.results_pane.view
        self.detail_view = DetailView(lambda: theme.colours)
        self.detail_view.set_index(self.index)
        self.saved_panel = SavedCodesPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main-splitter")
        for widget in (self.saved_panel, self.results_pane, self.detail_view):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search_panel)
        layout.addWidget(self.coverage_notice)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.count_label = QLabel()
        self.count_label.setObjectName("count-label")
        self.statusBar().addPermanentWidget(self.count_label)

        self.controller = SearchController(engine, self)
        self.actions_ = WindowActions(self, theme.preference)
        self._wire()
        self._refresh_saved()
        restore_window(self, userdata)
        self._update_navigation()
        self.search_panel.focus_search()
        if userdata.problems:
            self.statusBar().showMessage(" ".join(userdata.problems), 20000)

    def _wire(self) -> None:
        panel, actions = self.search_panel, self.actions_
        panel.text_changed.connect(self.controller.set_text)
        panel.filters_changed.connect(self._on_search_panel_filters_changed)
        panel.move_requested.connect(self.results_pane.move_highlight)
        panel.open_requested.connect(self.results_pane.activate_current)
        self.controller.results_ready.connect(self._on_controller_results_ready)
        self.coverage_notice.add_requested.connect(self._on_update_code_sets_triggered)
        self.controller.results_extended.connect(self._on_controller_results_extended)
        self.controller.results_cleared.connect(self._on_controller_results_cleared)
        self.controller.search_failed.connect(self._on_controller_search_failed)
        self.results_pane.current_changed.connect(self._on_results_current_changed)
        self.results_pane.code_activated.connect(self._on_results_code_activated)
        self.results_pane.more_requested.connect(self._on_results_more_requested)
        self.results_pane.room_left.connect(self._on_results_room_left)
        self.controller.typing_paused.connect(self.results_pane.view.check_room)
        self.detail_view.code_requested.connect(self.open_code)
        self.detail_view.favourite_toggled.connect(self._on_detail_favourite_toggled)
        self.saved_panel.code_chosen.connect(self.open_code)
        self.saved_panel.favourites_reordered.connect(self._on_saved_panel_favourites_reordered)
        self.theme.theme_changed.connect(self._on_theme_changed)
        actions.back.triggered.connect(self.go_back)
        actions.forward.triggered.connect(self.go_forward)
        actions.find.triggered.connect(self.search_panel.focus_search)
        actions.show_more.triggered.connect(self._on_results_more_requested)
        actions.copy_code.triggered.connect(self.copy_code)
        actions.copy_description.triggered.connect(self.copy_code_and_description)
        actions.toggle_favourite.triggered.connect(self._on_toggle_favourite_triggered)
        actions.theme_chosen.connect(self._on_actions_theme_chosen)
        actions.side_panel.toggled.connect(self.saved_panel.setVisible)
        actions.clear_recent.triggered.connect(self._on_clear_recent_triggered)
        actions.update_code_sets.triggered.connect(self._on_update_code_sets_triggered)
        actions.import_cpt.triggered.connect(self._on_import_cpt_triggered)
        actions.remove_cpt.triggered.connect(self._on_remove_cpt_triggered)

    # Navigation

    def resolve(self, code_set: str, code: str) -> CodeDetail | None:
        """The detail of a code as written in a link or list: 'E11.-', 'N18.1-N18.6', 'e119'."""
        cs = CodeSet(code_set)
        self._read_failed = False
        candidates = [code, code.rstrip("-").rstrip("."), display_code(cs, code_key(code))]
        if "-" in code.strip("-"):
            start = code.split("-")[0]
            candidates += [start, display_code(cs, code_key(start))]
        for candidate in dict.fromkeys(c for c in candidates if c):
            detail = self._detail(cs, candidate)
            if detail is not None:
                return detail
        return None

    def _detail(self, code_set: CodeSet, code: str) -> CodeDetail | None:
        """The index's detail of a code; a damaged document is reported, not raised into Qt."""
        try:
            return self.index.detail(code_set, code)
        except Exception as exc:  # a damaged stored document must not take the window down
            self._read_failed = True
            self.statusBar().showMessage(f"The details of {code} could not be read from the index ({exc}).", 10000)
            return None

    @Slot(str, str)
    def open_code(self, code_set: str, code: str) -> bool:
        """Show a code and remember it in history and recent codes; False when it is not in the index."""
        shown = self.detail_view.detail
        if shown is not None and (str(shown.record.code_set), shown.record.code) == (code_set, code):
            detail: CodeDetail | None = shown  # the previewed code opened with Enter: not read again
        else:
            detail = self.resolve(code_set, code)
        if detail is None:
            if not self._read_failed:
                self.statusBar().showMessage(f"{code} is not in this index.", 6000)
            return False
        if self._shown is not None and self._shown != self.history.current:
            self.history.visit(self._shown)  # a previewed code becomes a step back
        self._show(detail)
        record = detail.record
        self.history.visit(Place(str(record.code_set), record.code))
        self.userdata.add_recent(SavedCode(str(record.code_set), record.code, record.title))
        self._refresh_saved()
        self._update_navigation()
        return True

    def _show(self, detail: CodeDetail) -> None:
        record = detail.record
        self._shown = Place(str(record.code_set), record.code)
        self.detail_view.show_detail(detail, self.userdata.is_favourite(str(record.code_set), record.code))
        self.setWindowTitle(f"{record.code} {record.title} - CodeAtlas")
        # The list's highlight follows the code shown (back, forward, links), or leaves a row it is not.
        self.results_pane.highlight(str(record.code_set), record.code)

    def _show_nothing(self, reason: str) -> None:
        """No code selected: the pane says so rather than keep the last code on screen."""
        self._shown = None
        self.detail_view.show_nothing_selected(reason)
        self.setWindowTitle("CodeAtlas")
        self._update_navigation()

    def _go_to(self, place: Place | None) -> None:
        if place is not None:
            detail = self.resolve(place.code_set, place.code)
            if detail is not None:
                self._show(detail)
        self._update_navigation()

    @Slot()
    def go_back(self) -> None:
        if self._shown is not None and self._shown != self.history.current:
            self.history.visit(self._shown)
        self._go_to(self.history.back())

    @Slot()
    def go_forward(self) -> None:
        self._go_to(self.history.forward())

    def _update_navigation(self) -> None:
        previewing = self._shown is not None and self._shown != self.history.current
        self.actions_.back.setEnabled(self.history.can_go_back() or (previewing and self.history.current is not None))
        self.actions_.forward.setEnabled(self.history.can_go_forward())

    def _refresh_saved(self) -> None:
        self.saved_panel.favourites.set_codes(self.userdata.favourites)
        self.saved_panel.recent.set_codes(self.userdata.recent)

    # Index maintenance (the dialogs live in their own modules)

    def release_index(self) -> None:
        """Stop searching and close the index files so a rebuild can replace them (Windows locks open files)."""
        self.controller.shutdown()
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()

    def _release_for_cpt(self) -> bool:
        """Close the indexes before the CPT files are replaced or deleted (Windows locks open files).

        Once only: a retried import in the same dialog finds them closed already.
        """
        if not self._released_for_cpt:
            self._released_for_cpt = True
            self.release_index()
        return True

    @Slot()
    def _on_update_code_sets_triggered(self) -> None:
        from desktop.dialogs.update_dialog import open_update_dialog

        if open_update_dialog(self, self.release_index):
            self.index_reopen_requested.emit()

    @Slot()
    def _on_import_cpt_triggered(self) -> None:
        from desktop.dialogs.cpt_dialog import open_import_dialog

        released: list[bool] = []
        if open_import_dialog(self, lambda: released.append(self._release_for_cpt())) or released:
            self.index_reopen_requested.emit()  # also after a failed import: the indexes were closed

    @Slot()
    def _on_remove_cpt_triggered(self) -> None:
        from desktop.dialogs.cpt_dialog import confirm_remove

        released: list[bool] = []
        if confirm_remove(self, lambda: released.append(self._release_for_cpt())) or released:
            self.index_reopen_requested.emit()

    # Clipboard

    @Slot()
    def copy_code(self) -> None:
        detail = self.detail_view.detail
        if detail is not None:
            QGuiApplication.clipboard().setText(detail.record.code)
            self.statusBar().showMessage(f"Copied {detail.record.code}", 3000)

    @Slot()
    def copy_code_and_description(self) -> None:
        detail = self.detail_view.detail
        if detail is not None:
            QGuiApplication.clipboard().setText(f"{detail.record.code} {detail.record.title}")
            self.statusBar().showMessage(f"Copied {detail.record.code} and its description", 3000)

    # Slots

    @Slot(object)
    def _on_search_panel_filters_changed(self, filters: SearchFilters) -> None:
        self.controller.set_filters(filters)
        self.userdata.set_settings(
            filters={
                "code_sets": sorted(str(c) for c in filters.code_sets),
                "billable_only": filters.billable_only,
                "include_terminated": filters.include_terminated,
            }
        )

    def _count_text(self, result: SearchResult) -> str:
        shown = len(result.hits)
        noun = "result" if result.total == 1 else "results"
        text = f"{result.total:,} {noun}" if result.total == shown else f"{shown:,} of {result.total:,} {noun}"
        if result.total == 0:
            text = "No results"
        return f"{text} in {result.elapsed_ms:.0f} ms"

    def _more_label(self, result: SearchResult) -> str:
        more = self.controller.can_load_more()
        self.actions_.show_more.setEnabled(more)
        return more_label(result, self.controller.page) if more else ""

    @Slot(object)
    def _on_controller_results_ready(self, result: SearchResult) -> None:
        self.count_label.setText(self._count_text(result))
        code_sets = self.search_panel.filters().code_sets
        self.coverage_notice.show_result(result.query, code_sets, result.total)
        # When the coverage notice explains an empty result (a code set the index lacks), it is not said twice.
        explained = not result.hits and bool(empty_result_html(self.coverage_notice.coverage, result.query, code_sets))
        self.results_pane.show_result(result, self._more_label(result), say_empty=not explained)
        if not result.hits:
            self._show_nothing(f"No code matches \u201c{result.query.strip()}\u201d.")

    @Slot(object)
    def _on_controller_results_extended(self, result: SearchResult) -> None:
        self.count_label.setText(self._count_text(result))
        self.results_pane.extend(result, self._more_label(result))

    @Slot()
    def _on_controller_results_cleared(self) -> None:
        self.actions_.show_more.setEnabled(False)
        self.results_pane.clear()
        self.count_label.setText("")
        self.coverage_notice.show_result("", (), 1)
        self._show_nothing("Type a code or words in the search bar to find a code.")

    @Slot(str)
    def _on_controller_search_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        shown = self.controller.shown
        if shown is not None:  # a failed "load more" may be asked again
            self.results_pane.set_more(self._more_label(shown))

    @Slot()
    def _on_results_more_requested(self) -> None:
        if self.controller.load_more():
            self.results_pane.set_more(LOADING)

    @Slot()
    def _on_results_room_left(self) -> None:
        """A tall list not filled by its rows: the next page, unless the last load for it failed."""
        if self.controller.load_more(fill=True):
            self.results_pane.set_more(LOADING)

    @Slot(str, str)
    def _on_results_current_changed(self, code_set: str, code: str) -> None:
        if self._shown == Place(code_set, code):
            return  # the highlight followed the code shown (back, forward, reloads): nothing to redo
        detail = self._detail(CodeSet(code_set), code)
        if detail is not None:
            self._show(detail)
        elif not self._read_failed:  # e.g. a family whose parent the index does not hold as a code
            self._show_nothing(f"{code} is not in this index as a code of its own; its codes are listed under it.")
        self._update_navigation()

    @Slot(str, str)
    def _on_results_code_activated(self, code_set: str, code: str) -> None:
        if self.open_code(code_set, code):
            self.detail_view.tabs.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(bool)
    def _on_detail_favourite_toggled(self, starred: bool) -> None:
        detail = self.detail_view.detail
        if detail is None:
            return
        record = detail.record
        self.userdata.set_favourite(SavedCode(str(record.code_set), record.code, record.title), starred)
        self._refresh_saved()

    @Slot()
    def _on_toggle_favourite_triggered(self) -> None:
        detail = self.detail_view.detail
        if detail is not None:
            starred = not self.userdata.is_favourite(str(detail.record.code_set), detail.record.code)
            self.detail_view.set_favourite(starred)
            self._on_detail_favourite_toggled(starred)

    @Slot(object)
    def _on_saved_panel_favourites_reordered(self, ordered: list[SavedCode]) -> None:
        self.userdata.order_favourites(ordered)

    @Slot()
    def _on_clear_recent_triggered(self) -> None:
        self.userdata.clear_recent()
        self._refresh_saved()

    @Slot(str)
    def _on_actions_theme_chosen(self, preference: str) -> None:
        self.theme.set_preference(preference)
        self.userdata.set_settings(theme=preference)

    @Slot(bool)
    def _on_theme_changed(self, _dark: bool) -> None:
        self.detail_view.refresh()
        self.search_panel.restyle()
        self.results_view.viewport().update()

    def closeEvent(self, event: QCloseEvent) -> None:
        save_window(self, self.userdata)
        self.controller.shutdown()
        super().closeEvent(event)

"""The detail pane: the code's header with its star, and the Descriptor, Guidelines and Modifiers tabs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.colours import Colours
from desktop.core import pcs_builder
from desktop.core.coverage import EXAMPLE_QUERIES, coverage_of, example_queries
from desktop.core.engine import CodeReader
from desktop.core.index import CodeDetail
from desktop.core.records import CodeRecord, CodeSet, Kind
from desktop.detail import guideline_page, pcs
from desktop.detail.builder import TAB_TITLE, start_picks
from desktop.detail.descriptor import descriptor_html
from desktop.detail.guidelines import guidelines_html
from desktop.detail.html import badge, esc
from desktop.detail.links import PICK_CLEAR, PICK_RESET, parse_link
from desktop.detail.modifiers import modifiers_html

TABS = ("Descriptor", "Guidelines", "Modifiers")


def _browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setObjectName(name)
    # Links navigate inside the app only: nothing is ever handed to a web browser.
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    return browser


class DetailView(QWidget):
    """Shows one CodeDetail; tabs render when first looked at, links come out as code_requested."""

    code_requested = Signal(str, str)  # code set, code: a link in a tab was clicked
    favourite_toggled = Signal(bool)

    def __init__(self, colours: Callable[[], Colours], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colours = colours
        self._index: CodeReader | None = None
        self._detail: CodeDetail | None = None
        self._modifiers: list[CodeRecord] | None = None
        self._examples = example_queries(EXAMPLE_QUERIES)  # until an index says what it holds
        self._flipped: dict[str, set[str]] = {name: set() for name in TABS}
        self._stale: set[str] = set()
        self._picks: dict[int, str] | None = None  # the PCS builder's picks; None = the code's own values

        self._code_label = QLabel()
        self._code_label.setTextFormat(Qt.TextFormat.PlainText)
        self._code_label.setObjectName("detail-code")
        self._code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self._code_label.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.5)
        self._code_label.setFont(font)
        self._badge_label = QLabel()
        self._star = QToolButton()
        self._star.setObjectName("favourite-star")
        self._star.setCheckable(True)
        self._star.setToolTip("Add this code to your favourites (or remove it)")
        self._star.toggled.connect(self._on_star_toggled)
        self._title_label = QLabel()
        self._title_label.setTextFormat(Qt.TextFormat.PlainText)  # titles hold '&' and '<'; shown as written
        self._title_label.setObjectName("detail-title")
        self._title_label.setWordWrap(True)
        self._title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._title_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        top = QHBoxLayout()
        top.addWidget(self._code_label)
        top.addWidget(self._badge_label)
        top.addStretch(1)
        top.addWidget(self._star)
        header = QVBoxLayout()
        header.addLayout(top)
        header.addWidget(self._title_label)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail-tabs")
        self.browsers: dict[str, QTextBrowser] = {}
        for name in TABS:
            browser = _browser(f"{name.lower()}-browser")
            browser.anchorClicked.connect(self._on_browser_anchor_clicked)
            self.browsers[name] = browser
            self.tabs.addTab(browser, name)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        shown = QWidget()
        layout = QVBoxLayout(shown)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self._message = QLabel()
        self._message.setObjectName("detail-message")
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._message)
        self._stack.addWidget(shown)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.show_message("")

    @property
    def detail(self) -> CodeDetail | None:
        return self._detail

    def set_index(self, index: CodeReader) -> None:
        self._index = index
        self._modifiers = None
        # Suggest only what this index can answer (a first run without sources holds ICD-10-CM only).
        self._examples = example_queries(coverage_of(index.manifest).held_sets) or self._examples
        if self._detail is None:
            self.show_message("")

    def show_message(self, text: str) -> None:
        self._detail = None
        self._message.setText(
            text
            or (
                "<p>Type a code or words in the search bar above, e.g. "
                + ", ".join(f"<b>{esc(query)}</b>" for query in self._examples)
                + ".</p><p>Up and Down move through the results, Enter opens "
                "one, Esc comes back to the search bar.</p>"
            )
        )
        self._stack.setCurrentIndex(0)

    def show_nothing_selected(self, reason: str) -> None:
        """No code is selected (an empty search, or one without results): no code stays on screen."""
        self.show_message(f"<p><b>No code selected.</b></p><p>{esc(reason)}</p>")

    def show_detail(self, detail: CodeDetail, favourite: bool, redraw: bool = False) -> None:
        """Show a code; the same detail shown again (a previewed code opened with Enter) is not redrawn."""
        same = self._detail is not None and self._detail.record == detail.record
        unchanged = same and not redraw and self._detail == detail and self._stack.currentIndex() == 1
        self._detail = detail
        if not same:
            self._flipped = {name: set() for name in TABS}
            self._picks = None
        record = detail.record
        # For ICD-10-PCS the third tab builds codes; the name says so.
        self.tabs.setTabText(TABS.index("Modifiers"), TAB_TITLE if record.code_set is CodeSet.ICD10PCS else "Modifiers")
        self._code_label.setText(record.code)
        self._badge_label.setText(badge(str(record.code_set), self._colours()))
        self._title_label.setText(record.title)
        self.set_favourite(favourite)
        self._stack.setCurrentIndex(1)
        if not unchanged:
            self._stale = set(TABS)
        self._render(self.current_tab())

    def set_favourite(self, favourite: bool) -> None:
        self._star.blockSignals(True)
        self._star.setChecked(favourite)
        self._star.blockSignals(False)
        self._star.setText("\u2605 Favourite" if favourite else "\u2606 Add to favourites")

    def current_tab(self) -> str:
        return TABS[max(0, self.tabs.currentIndex())]

    def refresh(self) -> None:
        """Re-render (the theme changed)."""
        if self._detail is not None:
            self.show_detail(self._detail, self._star.isChecked(), redraw=True)

    def _modifier_records(self) -> list[CodeRecord]:
        if self._modifiers is None:
            self._modifiers = [] if self._index is None else self._index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER)
        return self._modifiers

    def html_for(self, tab: str) -> str:
        """The page of one tab for the shown code ('' when nothing is shown)."""
        if self._detail is None or self._index is None:
            return ""
        colours = self._colours()
        if guideline_page.is_section(self._detail):  # a guideline section opened from the results
            return guideline_page.tab_html(tab, self._detail, colours)
        if tab == "Descriptor":
            return descriptor_html(self._index, self._detail, colours)
        if tab == "Guidelines":
            return guidelines_html(self._index, self._detail, colours, self._flipped[tab])
        # Only HCPCS and CPT codes list the HCPCS modifiers: an ICD code's tab never reads them.
        wanted = self._detail.record.code_set in (CodeSet.HCPCS, CodeSet.CPT)
        modifiers = self._modifier_records() if wanted else []
        return modifiers_html(self._index, self._detail, colours, modifiers, self._flipped[tab], self._picks)

    def _render(self, tab: str, keep_scroll: bool = False) -> None:
        if tab not in self._stale and not keep_scroll:
            return
        browser = self.browsers[tab]
        position = browser.verticalScrollBar().value() if keep_scroll else 0
        try:
            page = self.html_for(tab)
        except Exception as exc:  # a damaged index document: say so in the tab, keep the window
            page = f"<p>This tab could not be shown: the index gave an error ({esc(str(exc))}).</p>"
        browser.setHtml(page)
        browser.verticalScrollBar().setValue(position)
        self._stale.discard(tab)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(TABS):
            self._render(TABS[index])

    @Slot(bool)
    def _on_star_toggled(self, checked: bool) -> None:
        self.set_favourite(checked)
        self.favourite_toggled.emit(checked)

    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        link = parse_link(url.toString())
        if link is None:
            return
        if link.toggle:
            tab = self.current_tab()
            self._flipped[tab] ^= {link.toggle}
            self._render(tab, keep_scroll=True)
        elif link.pick:
            self._on_builder_pick(link.pick)
        elif link.tab:
            names = [name.lower() for name in TABS]
            if link.tab in names:
                self.tabs.setCurrentIndex(names.index(link.tab))
        elif link.code_set is not None:
            self.code_requested.emit(str(link.code_set), link.code)

    def _on_builder_pick(self, key: str) -> None:
        """Apply one builder pick; the pick that completes a code other than the shown one opens it."""
        detail = self._detail
        table = pcs.table_record(detail) if detail is not None else None
        if detail is None or table is None:
            return
        current = start_picks(detail) if self._picks is None else self._picks
        opened = ""
        if key == PICK_RESET:
            self._picks = None
        elif key == PICK_CLEAR:
            self._picks = {}
        else:
            position, _, value = key.partition("-")
            if not position.isdigit() or len(value) != 1:
                return
            self._picks = pcs_builder.pick(table, current, int(position), value)
            if self._picks.get(int(position)) == value:  # a pick, not a value taken back
                opened = pcs_builder.build_state(table, self._picks).code
        self._render("Modifiers", keep_scroll=True)
        if opened and opened != detail.record.code:
            self.code_requested.emit(str(CodeSet.ICD10PCS), opened)

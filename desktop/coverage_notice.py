"""The line above the results that says which code sets the index lacks and where their official files are."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QWidget

from desktop.core.coverage import CPT_NOTE, Coverage, code_shapes, essential_file
from desktop.core.records import CodeSet

ADD_LINK = "codeatlas:add-code-sets"
STYLE = (
    "QLabel#coverage-notice { background: palette(alternate-base); border: 1px solid palette(mid);"
    " border-radius: 4px; padding: 0.3em 0.6em; }"
)


def _file_html(code_set: CodeSet) -> str:
    """'HCPCS (<i>july-2026-...zip</i> from the <a>CMS HCPCS quarterly update page</a>)', escaped."""
    entry = essential_file(code_set)
    esc = html.escape
    return (
        f"{esc(str(code_set))} (<i>{esc(entry.name)}</i> from the "
        f"<a href='{esc(entry.page.url, quote=True)}'>{esc(entry.page.name)}</a>)"
    )


def banner_html(coverage: Coverage) -> str:
    """What the index holds and lacks; '' when it holds every public code set."""
    if not coverage.missing:
        return ""
    return (
        f"This index holds {html.escape(coverage.held_text())}. <b>Missing:</b> "
        + ", ".join(_file_html(code_set) for code_set in coverage.missing)
        + f". <a href='{ADD_LINK}'>Add code sets…</a>"
    )


def empty_result_html(coverage: Coverage, text: str, code_sets: Iterable[CodeSet]) -> str:
    """Why a query found nothing when it is aimed at a code set the index lacks; '' otherwise."""
    chosen = frozenset(code_sets)
    aimed = coverage.aimed_at_missing(text, chosen)
    if not aimed:
        if coverage.wants_cpt(text, chosen):
            return f"<b>No results for “{html.escape(text.strip())}”:</b> {html.escape(CPT_NOTE)}"
        return ""
    names = html.escape(" or ".join(str(c) for c in aimed))
    if code_shapes(text) is not None and not chosen:
        article = "an" if names.startswith("I") else "a"
        why = f"it looks like {article} {names} code, and this index has no {names}"
    else:
        why = f"this index has no {names}"
    return (
        f"<b>No results for “{html.escape(text.strip())}”:</b> {why} "
        f"(it holds {html.escape(coverage.held_text())}). Get "
        + ", ".join(_file_html(code_set) for code_set in aimed)
        + f", then <a href='{ADD_LINK}'>add code sets…</a>"
    )


class CoverageNotice(QLabel):
    """Shown while the index lacks a code set; explains an empty result aimed at one."""

    add_requested = Signal()  # the user clicked "Add code sets…"

    def __init__(self, coverage: Coverage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverage-notice")
        self.coverage = coverage
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setStyleSheet(STYLE)
        self.linkActivated.connect(self._on_link_activated)
        self.show_result("", (), 1)

    def show_result(self, text: str, code_sets: Iterable[CodeSet], total: int) -> None:
        """After each answer: the empty-result reason when it applies, else the standing banner."""
        shown = (empty_result_html(self.coverage, text, code_sets) if total == 0 else "") or banner_html(self.coverage)
        self.setText(shown)
        self.setVisible(bool(shown))

    @Slot(str)
    def _on_link_activated(self, link: str) -> None:
        if link == ADD_LINK:
            self.add_requested.emit()
        else:  # an official download page: the user's browser, never a download by CodeAtlas itself
            QDesktopServices.openUrl(QUrl(link))

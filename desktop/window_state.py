"""Remembers window geometry, splitter positions, filters and the open tab in the user's settings."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication

from desktop.core.records import CodeSet, SearchFilters
from desktop.core.userdata import UserData

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:
        return None


def filters_from_settings(value: Any) -> SearchFilters:
    """Saved filters; anything unreadable falls back to no filter."""
    if not isinstance(value, dict):
        return SearchFilters()
    known = {str(c): c for c in CodeSet}
    code_sets = value.get("code_sets", [])
    chosen = frozenset(known[c] for c in code_sets if c in known) if isinstance(code_sets, list) else frozenset()
    return SearchFilters(chosen, value.get("billable_only") is True, value.get("include_terminated") is True)


def restore_window(window: MainWindow, userdata: UserData) -> None:
    """Saved geometry and splitters, or a first-run layout sized from the font (scales with DPI)."""
    geometry = _decode(userdata.setting("window_geometry"))
    if geometry is None or not window.restoreGeometry(geometry):
        char = window.fontMetrics().averageCharWidth()
        line = window.fontMetrics().lineSpacing()
        width, height = char * 160, line * 46
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            # A reference tool open all day: take most of the screen on first run, never all of it.
            width = min(max(width, int(available.width() * 0.85)), int(available.width() * 0.95))
            height = min(max(height, int(available.height() * 0.85)), int(available.height() * 0.95))
        window.resize(width, height)
    state = _decode(userdata.setting("window_state"))
    if state is not None:
        window.restoreState(state)
    splitter = _decode(userdata.setting("splitter"))
    if splitter is None or not window.splitter.restoreState(splitter):
        # Side panel, results, detail: the results get room for most titles, the detail the rest.
        total = window.width()
        side = window.fontMetrics().averageCharWidth() * 24
        window.splitter.setSizes([side, int((total - side) * 0.4), int((total - side) * 0.6)])
    saved_splitter = _decode(userdata.setting("saved_splitter"))
    if saved_splitter is not None:
        window.saved_panel.splitter.restoreState(saved_splitter)
    side_panel = userdata.setting("side_panel", True) is not False
    window.actions_.side_panel.setChecked(side_panel)
    window.saved_panel.setVisible(side_panel)
    tab = userdata.setting("tab")
    if isinstance(tab, int) and 0 <= tab < window.detail_view.tabs.count():
        window.detail_view.tabs.setCurrentIndex(tab)
    window.search_panel.set_filters(filters_from_settings(userdata.setting("filters")))


def save_window(window: MainWindow, userdata: UserData) -> None:
    userdata.set_settings(
        window_geometry=_encode(window.saveGeometry()),
        window_state=_encode(window.saveState()),
        splitter=_encode(window.splitter.saveState()),
        saved_splitter=_encode(window.saved_panel.splitter.saveState()),
        side_panel=window.actions_.side_panel.isChecked(),
        tab=window.detail_view.tabs.currentIndex(),
    )

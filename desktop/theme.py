"""Light and dark Fusion palettes that follow the system; the matching Colours come from desktop.colours."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop.colours import DARK, LIGHT, Colours

THEME_CHOICES = ("system", "light", "dark")


def light_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f3f3f3",
        QPalette.ColorRole.WindowText: "#1a1a1a",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.Text: "#1a1a1a",
        QPalette.ColorRole.Button: "#ececec",
        QPalette.ColorRole.ButtonText: "#1a1a1a",
        QPalette.ColorRole.ToolTipBase: "#ffffdc",
        QPalette.ColorRole.ToolTipText: "#1a1a1a",
        QPalette.ColorRole.Highlight: "#2f6fc6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#1a56b0",
        QPalette.ColorRole.LinkVisited: "#6a3aa0",
        QPalette.ColorRole.PlaceholderText: "#6b6b6b",
        QPalette.ColorRole.Mid: "#b8b8b8",
        QPalette.ColorRole.Dark: "#9a9a9a",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e3e3e3",
        QPalette.ColorRole.Shadow: "#767676",
        QPalette.ColorRole.BrightText: "#b3261e",
    }
    _fill(palette, roles, disabled_text="#9a9a9a")
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3d41",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.ToolTipBase: "#3a3d41",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
        QPalette.ColorRole.PlaceholderText: "#8c8f94",
        QPalette.ColorRole.Mid: "#505357",
        QPalette.ColorRole.Dark: "#1a1b1d",
        QPalette.ColorRole.Light: "#4a4d52",
        QPalette.ColorRole.Midlight: "#3f4246",
        QPalette.ColorRole.Shadow: "#111111",
        QPalette.ColorRole.BrightText: "#ff8a80",
    }
    _fill(palette, roles, disabled_text="#73767b")
    return palette


def _fill(palette: QPalette, roles: dict[QPalette.ColorRole, str], disabled_text: str) -> None:
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))


class ThemeManager(QObject):
    """Applies the Fusion style with a light or dark palette: the user's choice or the system's."""

    theme_changed = Signal(bool)  # True when dark

    def __init__(self, app: QApplication, preference: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._preference = preference if preference in THEME_CHOICES else "system"
        self._dark = False
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)
        self.apply()

    @property
    def preference(self) -> str:
        return self._preference

    @property
    def is_dark(self) -> bool:
        return self._dark

    @property
    def colours(self) -> Colours:
        return DARK if self._dark else LIGHT

    def set_preference(self, preference: str) -> None:
        self._preference = preference if preference in THEME_CHOICES else "system"
        self.apply()

    def system_is_dark(self) -> bool:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def apply(self) -> None:
        dark = self.system_is_dark() if self._preference == "system" else self._preference == "dark"
        changed = dark != self._dark
        self._dark = dark
        self._app.setPalette(dark_palette() if dark else light_palette())
        if changed:
            self.theme_changed.emit(dark)

    @Slot(Qt.ColorScheme)
    def _on_style_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._preference == "system":
            self.apply()

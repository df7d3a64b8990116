"""Regenerate the screenshots: xvfb-run -s '-screen 0 1600x1000x24' python docs/screenshots/take_screenshots.py.

Runs the real window on the index named by CODEATLAS_INDEX with a throwaway user folder, types each
code into the search bar, opens it with Enter, picks a tab and saves the window as PNG here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.app import make_application  # noqa: E402
from desktop.core import paths  # noqa: E402
from desktop.core.engine import open_engine  # noqa: E402
from desktop.core.userdata import UserData  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.theme import ThemeManager  # noqa: E402

OUT = Path(__file__).resolve().parent
SHOTS = [  # (search text, tab, file name, theme)
    ("E11.9", "Descriptor", "e11-9.png", "light"),
    ("E11.9", "Guidelines", "e11-9-guidelines.png", "light"),
    ("0DTJ4ZZ", "Descriptor", "0dtj4zz.png", "light"),
    ("0DTJ4ZZ", "Modifiers", "0dtj4zz-modifiers.png", "light"),
    ("J9035", "Descriptor", "j9035.png", "light"),
    ("J9035", "Modifiers", "j9035-modifiers.png", "light"),
    ("heart attack", "Guidelines", "heart-attack-dark.png", "dark"),
]


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    app = make_application(sys.argv[:1])
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as scratch:
        userdata = UserData(Path(scratch))
        theme = ThemeManager(app, "light")
        engine = open_engine(paths.index_dir())
        window = MainWindow(engine, userdata, theme)
        screen = QGuiApplication.primaryScreen().availableGeometry()
        window.resize(min(1500, screen.width()), min(900, screen.height()))
        window.show()
        settle()
        for text, tab, name, scheme in SHOTS:
            if only and name not in only:
                continue
            theme.set_preference(scheme)
            window.search_panel.edit.clear()
            window.search_panel.edit.setText(text)
            settle(600)
            if text[0].isdigit() or text[1:2].isdigit():
                window.search_panel.open_requested.emit()
            window.detail_view.tabs.setCurrentIndex(["Descriptor", "Guidelines", "Modifiers"].index(tab))
            window.search_panel.focus_search()
            settle()
            window.grab().save(str(OUT / name))
            print("saved", OUT / name)
        window.close()
        engine.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Regenerate the screenshots: xvfb-run -s '-screen 0 1600x1000x24' python docs/screenshots/take_screenshots.py.

Runs the real window on the index named by CODEATLAS_INDEX with a throwaway user folder, types each
code into the search bar, opens it with Enter, picks a tab and saves the window as PNG here.
Under QT_SCALE_FACTOR=1.5 or 2 (on a 1920x1080 or 2560x1440 screen, the size of a laptop that scales)
it takes the SCALED shots only, named e.g. s72-001a-modifiers-150.png. Names on the command line pick shots.
"""

from __future__ import annotations

import os
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
TABS = ["Descriptor", "Guidelines", "Modifiers"]
SHOTS = [  # (search text, tab, file name, theme); "../" names land in docs/
    ("lap chole", "Descriptor", "../screenshot.png", "light"),
    ("E11.9", "Descriptor", "e11-9.png", "light"),
    ("E11", "Descriptor", "e11.png", "light"),
    ("E11.9", "Guidelines", "e11-9-guidelines.png", "light"),
    ("E11.22", "Guidelines", "e11-22-guidelines.png", "light"),
    ("S72.009A", "Descriptor", "s72-009a.png", "light"),
    ("S72.001A", "Modifiers", "s72-001a-modifiers.png", "light"),
    ("0DTJ4ZZ", "Descriptor", "0dtj4zz.png", "light"),
    ("0DTJ4ZZ", "Modifiers", "0dtj4zz-modifiers.png", "light"),
    ("0DT", "Modifiers", "0dt-builder.png", "light"),
    ("J9035", "Descriptor", "j9035.png", "light"),
    ("J9035", "Modifiers", "j9035-modifiers.png", "light"),
    ("heart attack", "Guidelines", "heart-attack-dark.png", "dark"),
    ("I.C.4.a", "Descriptor", "guideline-section.png", "light"),
    ("sequencing of diabetes", "Descriptor", "guideline-search.png", "light"),
    ("hemorrhoidectomy", "Descriptor", "hemorrhoidectomy.png", "light"),
]
# Taken again at 150% and 200%: the pages where tables once broke codes and headers.
SCALED = {"e11.png", "s72-001a-modifiers.png", "0dtj4zz-modifiers.png", "j9035-modifiers.png"}


def scaled_name(name: str, scale: float) -> str:
    return name if scale == 1 else name.replace(".png", f"-{round(scale * 100)}.png")


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    app = make_application(sys.argv[:1])
    only = set(sys.argv[1:])
    scale = float(os.environ.get("QT_SCALE_FACTOR") or 1)
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
            if (only and name not in only) or (scale != 1 and name not in SCALED):
                continue
            theme.set_preference(scheme)
            window.search_panel.edit.clear()
            window.search_panel.edit.setText(text)
            settle(600)
            window.search_panel.open_requested.emit()  # opens the top result, as Enter does
            window.detail_view.tabs.setCurrentIndex(TABS.index(tab))
            window.search_panel.focus_search()
            settle()
            target = (OUT / scaled_name(name, scale)).resolve()
            window.grab().save(str(target))
            print("saved", target)
        window.close()
        engine.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())

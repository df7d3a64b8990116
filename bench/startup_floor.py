"""The start-up floor: the least a frozen PySide6 program does before it can show a result.

bench/frozen_bench.py --floor freezes this with PyInstaller and times it exactly as it times CodeAtlas
(launch to the first `ok` line, the first run after a page-cache drop): Python, Qt's libraries, a
QApplication and one shown window with a line of text, nothing of CodeAtlas. What CodeAtlas takes
beyond it is what its own imports, index and window cost.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication, QLabel

if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the smoke test: no screen needed
    app = QApplication(sys.argv[:1])
    label = QLabel("E11.9  Type 2 diabetes mellitus without complications")
    label.show()
    app.processEvents()
    print("ok   window shown", flush=True)

"""PyInstaller runtime hook, run before the standard ones: no cyclic garbage collection during start-up.

The standard hooks and PySide6's start-up (shiboken's signature module, inspect, zipfile) and then
CodeAtlas's imports create hundreds of thousands of objects and almost no garbage; the collections they
trigger cost tens of milliseconds of a cold start. main.py switches collection off as well when run from
source, and desktop.gc_guard.GuiThreadCollector collects on the GUI thread from the QApplication on.
"""

import gc

gc.disable()

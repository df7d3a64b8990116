"""PyInstaller runtime hook, run before the standard ones: no cyclic garbage collection during start-up.

The standard hooks and PySide6's start-up (shiboken's signature module, inspect, zipfile) and then
CodeAtlas's imports leave ~62,000 objects and almost no garbage; the collections they triggered took
13-20 ms of each start of the frozen build (81 collections, measured with a timing hook in this place).
main.py switches collection off as well when run from source, and desktop.gc_guard.after_start_up
freezes what start-up made and collects on the GUI thread from the QApplication on.
"""

import gc

gc.disable()

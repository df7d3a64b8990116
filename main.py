"""CodeAtlas entry point: python main.py [--smoke-test]."""

from __future__ import annotations

import gc
import sys

if __name__ == "__main__":
    # No cyclic collection while the program starts: importing the core, Whoosh and the shell ran 88
    # collections (26 ms) that found next to nothing. desktop.gc_guard's collector takes over once the
    # QApplication exists (the frozen build's runtime hook packaging/rthook_startup.py does the same
    # before Python's and PySide6's own start-up modules load).
    gc.disable()

# The Qt-free core with Whoosh (about 200 modules, all needed for the first result) is imported before
# PySide6: once PySide6 is loaded, its __feature__ import hook inspects every module imported after it
# (about 0.1 s of start-up).
import desktop.core.engine  # noqa: F401  (imported for its side effect: loaded before PySide6)
from desktop.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv))

"""Runs Python's cyclic garbage collector on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate; when that is the search worker
and the garbage holds Qt widgets, they are destroyed off the GUI thread and the process crashes.
Automatic collection is switched off and a timer on the GUI thread collects instead, using the
same generation thresholds (the approach long used by PyQt applications such as calibre).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


def collect_due(thresholds: tuple[int, int, int]) -> int:
    """Collect the generations whose allocation counts passed their thresholds (gc.get_threshold(), taken
    before collection was switched off), as the interpreter would have; the number of objects found.
    The search benchmark collects this way between queries, as the app does between keystrokes."""
    counts = gc.get_count()
    if counts[0] <= thresholds[0]:
        return 0
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if counts[2] > thresholds[2] else 1
    return gc.collect(generation)


class GuiThreadCollector(QObject):
    """While alive, cycles are collected here, on the thread that created it."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.check()

    def check(self) -> int:
        """Collect the generations whose allocation counts passed their threshold; the number found."""
        return collect_due(self._thresholds)

    def stop(self) -> None:
        """Give collection back to the interpreter."""
        self._timer.stop()
        gc.enable()


def after_start_up(parent: QObject) -> GuiThreadCollector:
    """The program's collector, made once start-up has loaded its modules and made the QApplication.

    Collection is off while the program starts (main.py, packaging/rthook_startup.py), and what start-up
    made (modules, classes, Qt's wrappers, about 60,000 objects) lives as long as the program; it is
    frozen out of the collector's sight first, or the first collection on the GUI thread would walk all
    of it (~20 ms) half a second after the window opens.
    """
    gc.freeze()
    return GuiThreadCollector(parent)

"""Cyclic garbage is collected on the GUI thread, never by a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication

from desktop import gc_guard
from desktop.gc_guard import GuiThreadCollector


class _Cycle:
    collected_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.collected_in.append(threading.current_thread().name)


def test_cycles_made_in_a_worker_are_collected_on_the_gui_thread(qapp: QApplication) -> None:
    collector = GuiThreadCollector(qapp)
    was_enabled = gc.isenabled()
    try:
        assert not gc.isenabled()

        def churn() -> None:
            _Cycle()
            junk: list[list[int]] = [[] for _ in range(50_000)]  # far past the threshold: would trigger a collection
            del junk

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert _Cycle.collected_in == []  # nothing was collected on the worker
        collector.check()
        gc.collect()
        assert _Cycle.collected_in == [threading.main_thread().name]
    finally:
        collector.stop()
        if not was_enabled:
            gc.disable()


def test_after_start_up_freezes_what_start_up_made_before_collecting_on_the_gui_thread(qapp: QApplication) -> None:
    """The start-up's objects are out of the collector's sight, so its first collection does not walk them."""
    kept = [[n] for n in range(20_000)]  # stands in for the modules and classes start-up made
    was_enabled = gc.isenabled()
    collector = gc_guard.after_start_up(qapp)
    try:
        assert not gc.isenabled() and gc.get_freeze_count() >= len(kept)
        assert not any(found is kept[0] for generation in range(3) for found in gc.get_objects(generation=generation))
    finally:
        collector.stop()
        gc.unfreeze()
        if not was_enabled:
            gc.disable()

"""Typing into the real window at one key every 150 ms on the full index: how far behind the list is; prints JSON.

QT_QPA_PLATFORM=offscreen python bench/typing_bench.py [--index DIR] [--interval-ms 150]

For each key it notes what the list shows (the query of the answer on screen, or blank) and reports
how many keys behind the typing the list was (median, p95, max) and how often it was blank, per
phrase and overall, with the engine's own time per answer and the machine's load (a busy 2-core
machine makes every query slower, and the list can be no more current than the engine answers);
plus how long the list takes to lay out 1000 wrapped rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.app import open_engine  # noqa: E402
from desktop.core import paths  # noqa: E402
from desktop.core.records import SearchResult  # noqa: E402
from desktop.core.userdata import UserData  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.theme import ThemeManager  # noqa: E402

PHRASES = (
    "fracture of left femoral neck, initial encounter",
    "open reduction internal fixation of left femur",
    "laparoscopic appendectomy",
    "type 2 diabetes mellitus with hyperglycemia",
    "esophagogastroduodenoscopy with biopsy",
    "acetaminophen overdose",
)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def type_phrase(window: MainWindow, phrase: str, interval_ms: int) -> list[int | None]:
    """Keys behind at each key press (None: the list was blank)."""
    window.search_panel.edit.clear()
    wait(400)
    lags: list[int | None] = []
    typed = [0]
    timer = QTimer()
    timer.setInterval(interval_ms)
    loop = QEventLoop()

    def tick() -> None:
        shown = window.controller.shown
        if typed[0]:
            on_screen = shown is not None and window.results_model.rowCount() > 0
            lags.append(typed[0] - len(shown.query) if on_screen and shown is not None else None)
        if typed[0] == len(phrase):
            timer.stop()
            loop.quit()
            return
        typed[0] += 1
        window.search_panel.edit.setText(phrase[: typed[0]])

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    return lags


def summary(lags: list[int | None]) -> dict[str, float | int]:
    shown = sorted(lag for lag in lags if lag is not None)
    p95 = shown[min(len(shown) - 1, int(len(shown) * 0.95))] if shown else -1
    return {
        "keys": len(lags),
        "blank_after_3rd_key": sum(1 for lag in lags[3:] if lag is None),
        "lag_keys_median": statistics.median(shown) if shown else -1,
        "lag_keys_p95": p95,
        "lag_keys_max": max(shown) if shown else -1,
    }


def layout_ms(window: MainWindow, engine: object) -> float:
    result: SearchResult = engine.search("fracture", limit=1000)  # type: ignore[attr-defined]
    started = time.perf_counter()
    window.results_pane.show_result(result, "")
    window.results_view.doItemsLayout()
    QApplication.processEvents()
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--interval-ms", type=int, default=150)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    engine = open_engine(args.index or paths.index_dir())
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(engine, UserData(Path(scratch)), ThemeManager(app, "light"))  # type: ignore[arg-type]
        window.resize(1024, 700)
        window.show()
        engine.search("warm up the search cache")
        answered: list[float] = []  # the engine's own time for each answer shown
        window.controller.results_ready.connect(lambda result: answered.append(result.elapsed_ms))
        load_before = os.getloadavg()[0]
        per_phrase = {phrase: type_phrase(window, phrase, args.interval_ms) for phrase in PHRASES}
        every = [lag for lags in per_phrase.values() for lag in lags]
        report = {
            "interval_ms": args.interval_ms,
            "debounce_ms": window.controller.debounce_ms,
            "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "engine_ms_of_answers_shown": {
                "median": round(statistics.median(answered), 1) if answered else -1,
                "max": round(max(answered), 1) if answered else -1,
            },
            "overall": summary(every),
            "phrases": {phrase: summary(lags) for phrase, lags in per_phrase.items()},
            "layout_1000_rows_ms": layout_ms(window, engine),
        }
        window.close()
    close = getattr(engine, "close", None)
    if close is not None:
        close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

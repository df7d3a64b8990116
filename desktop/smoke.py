"""python main.py --smoke-test: open the real window offscreen, find a known code per code set, check tabs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.coverage import coverage_of
from desktop.core.engine import open_engine
from desktop.core.index import IndexProblem
from desktop.core.records import CodeSet, Kind, SearchResult
from desktop.core.userdata import UserData
from desktop.detail.view import TABS
from desktop.theme import ThemeManager

KNOWN_CODES = {CodeSet.ICD10CM: "E11.9", CodeSet.ICD10PCS: "0DTJ4ZZ", CodeSet.HCPCS: "J9035"}
TIMEOUT_MS = 15000


def _wait_for_results(window: object, text: str) -> SearchResult | None:
    """Type text into the search bar and wait for the answer (None on timeout)."""
    answer: list[SearchResult] = []
    loop = QEventLoop()
    controller = window.controller  # type: ignore[attr-defined]

    def done(result: SearchResult) -> None:
        answer.append(result)
        loop.quit()

    controller.results_ready.connect(done)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    window.search_panel.edit.setText(text)  # type: ignore[attr-defined]
    loop.exec()
    controller.results_ready.disconnect(done)
    return answer[0] if answer else None


def check_code(window: object, code_set: CodeSet, code: str) -> tuple[bool, str]:
    """Search the code, open it with Enter, visit each tab; (ok, one report line)."""
    result = _wait_for_results(window, code)
    if result is None:
        return False, f"FAIL {code_set} {code}: no answer from the search within {TIMEOUT_MS // 1000} s"
    first = result.hits[0] if result.hits else None
    if first is None or first.code != code or first.code_set != code_set:
        found = f"{first.code} ({first.code_set})" if first else "nothing"
        return False, f"FAIL {code_set} {code}: the first result was {found}"
    # The moment a coder sees the code at the top of the list (bench/frozen_bench.py times this line).
    print(f"listed {code_set} {code} first of {len(result.hits)} results", flush=True)
    window.search_panel.open_requested.emit()  # type: ignore[attr-defined]
    detail_view = window.detail_view  # type: ignore[attr-defined]
    if detail_view.detail is None or detail_view.detail.record.code != code:
        return False, f"FAIL {code_set} {code}: Enter did not open the code"
    sizes = []
    for number, tab in enumerate(TABS):
        detail_view.tabs.setCurrentIndex(number)
        QApplication.processEvents()
        text = detail_view.browsers[tab].toPlainText()
        if not text.strip():
            return False, f"FAIL {code_set} {code}: the {tab} tab is empty"
        if tab == "Descriptor" and code not in text:
            return False, f"FAIL {code_set} {code}: the Descriptor tab does not show the code"
        sizes.append(f"{tab} {len(text):,} chars")
    return True, f"ok   {code_set} {code}: found in {result.elapsed_ms:.0f} ms; " + ", ".join(sizes)


def check_sources_extras(window: object, index: object) -> list[tuple[bool, str]]:
    """One guideline section (E11.9 shows I.C.4.a, which is also a result of its own) and one GEM mapping
    (250.00 -> E11.9), when present."""
    checks: list[tuple[bool, str]] = []
    detail = index.detail(CodeSet.ICD10CM, "E11.9")  # type: ignore[attr-defined]
    if detail is not None and index.guidelines(CodeSet.ICD10CM, ["chapter:4"]):  # type: ignore[attr-defined]
        window.detail_view.show_detail(detail, False)  # type: ignore[attr-defined]
        browsers = window.detail_view.browsers  # type: ignore[attr-defined]
        window.detail_view.tabs.setCurrentIndex(TABS.index("Guidelines"))  # type: ignore[attr-defined]
        QApplication.processEvents()
        shown = "I.C.4.a" in browsers["Guidelines"].toPlainText()
        checks.append((shown, f"{'ok  ' if shown else 'FAIL'} guidelines: E11.9 shows section I.C.4.a"))
        if shown:  # the section is also a result of its own, and opens as itself
            result = _wait_for_results(window, "I.C.4.a")
            first = result.hits[0] if result is not None and result.hits else None
            found = first is not None and (first.code, first.kind) == ("I.C.4.a", Kind.GUIDELINE)
            if found:
                window.search_panel.open_requested.emit()  # type: ignore[attr-defined]
                window.detail_view.tabs.setCurrentIndex(TABS.index("Descriptor"))  # type: ignore[attr-defined]
                QApplication.processEvents()
                found = "Diabetes mellitus" in browsers["Descriptor"].toPlainText()
            checks.append((found, f"{'ok  ' if found else 'FAIL'} guidelines: 'I.C.4.a' finds and opens the section"))
    if index.record(CodeSet.ICD9CM, "250.00") is not None:  # type: ignore[attr-defined]
        result = _wait_for_results(window, "250.00")
        mapped = result is not None and any(h.code == "E11.9" and h.code_set is CodeSet.ICD10CM for h in result.hits)
        checks.append((mapped, f"{'ok  ' if mapped else 'FAIL'} GEMs: ICD-9-CM 250.00 finds ICD-10-CM E11.9"))
    return checks


def run_smoke_test(app: QApplication, folder: Path) -> int:
    from desktop.main_window import MainWindow, present_code_sets

    print(f"CodeAtlas smoke test on {folder} ({app.platformName()} platform)")
    try:
        engine = open_engine(folder)
    except IndexProblem as exc:
        print(f"FAIL: {exc}")
        return 1
    ok = True
    with tempfile.TemporaryDirectory(prefix="codeatlas-smoke-") as scratch:
        # A throwaway user folder: the smoke test never touches a coder's favourites or settings.
        theme = ThemeManager(app, "light")
        window = MainWindow(engine, UserData(Path(scratch)), theme)
        window.show()
        code_sets = [c for c in present_code_sets(engine.index) if c in KNOWN_CODES]
        # Missing code sets are reported, not failed: a first run without sources holds ICD-10-CM only.
        for line in coverage_of(engine.index.manifest).summary():
            print(line)
        if not code_sets:
            print("FAIL: the index lists none of ICD-10-CM, ICD-10-PCS, HCPCS")
            ok = False
        for code_set in code_sets:
            passed, line = check_code(window, code_set, KNOWN_CODES[code_set])
            ok = ok and passed
            print(line)
        for passed, line in check_sources_extras(window, engine.index):
            ok = ok and passed
            print(line)
        window.close()
        engine.close()
    print("smoke test passed" if ok else "smoke test FAILED")
    return 0 if ok else 1

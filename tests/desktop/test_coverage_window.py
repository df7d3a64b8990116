"""A first-run index with ICD-10-CM only: the window, the empty result, the smoke test and the update dialog
say what is missing and name the official file and page of each missing code set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.core.coverage import CMS_HCPCS, CMS_ICD10, coverage_of
from desktop.core.records import CodeSet
from desktop.core.userdata import UserData
from desktop.dialogs.update_dialog import UpdateDialog
from desktop.main_window import MainWindow
from desktop.smoke import run_smoke_test
from desktop.theme import ThemeManager
from tests.cm_only import write_cm_only_index

HCPCS_ZIP = "july-2026-alpha-numeric-hcpcs-file.zip"
PCS_ZIP = "2026-icd-10-pcs-code-tables-and-index.zip"


@pytest.fixture(scope="module")
def cm_only_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cm_only_index(tmp_path_factory.mktemp("cm-only") / "index")


@pytest.fixture
def cm_window(qtbot: QtBot, cm_only_index: Path, userdata: UserData, light: ThemeManager) -> Iterator[MainWindow]:
    from desktop.core.engine import open_engine

    engine = open_engine(cm_only_index)
    shown = MainWindow(engine, userdata, light)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()
    engine.close()


def search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    with qtbot.waitSignal(window.controller.results_ready, timeout=5000):
        window.search_panel.edit.setText(text)


def test_the_window_says_what_is_missing_and_suggests_only_icd10cm(qtbot: QtBot, cm_window: MainWindow) -> None:
    notice = cm_window.coverage_notice
    assert notice.isVisible()
    text = notice.text()
    assert "This index holds ICD-10-CM FY2026 (April 1, 2026 update)" in text
    assert PCS_ZIP in text and CMS_ICD10.url in text and HCPCS_ZIP in text and CMS_HCPCS.url in text
    assert cm_window.search_panel.edit.placeholderText() == "Search a code or words: E11.9, heart attack"
    hint = cm_window.detail_view.findChild(QLabel, "detail-message")
    assert "E11.9" in hint.text() and "J9035" not in hint.text() and "appendectomy" not in hint.text()


def test_an_empty_result_aimed_at_hcpcs_names_its_file(qtbot: QtBot, cm_window: MainWindow) -> None:
    search(qtbot, cm_window, "j9035")
    assert cm_window.results_model.rowCount() == 0
    text = cm_window.coverage_notice.text()
    assert "No results for “j9035”:</b> it looks like a HCPCS code, and this index has no HCPCS" in text
    assert HCPCS_ZIP in text and PCS_ZIP not in text
    search(qtbot, cm_window, "E11.9")
    assert "No results" not in cm_window.coverage_notice.text()  # back to the standing line
    assert "Missing:" in cm_window.coverage_notice.text()


def test_the_query_is_escaped_in_the_notice(qtbot: QtBot, cm_window: MainWindow) -> None:
    search(qtbot, cm_window, "<b>zz")
    assert "&lt;b&gt;zz" in cm_window.coverage_notice.text()


def test_add_code_sets_link_opens_the_update_dialog(
    qtbot: QtBot, cm_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[bool] = []
    monkeypatch.setattr("desktop.dialogs.update_dialog.open_update_dialog", lambda *args: opened.append(True))
    cm_window.coverage_notice.linkActivated.emit("codeatlas:add-code-sets")
    assert opened == [True]


def test_a_full_index_shows_no_notice(qtbot: QtBot, engine: object, userdata: UserData, light: ThemeManager) -> None:
    window = MainWindow(engine, userdata, light)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    assert not window.coverage_notice.isVisible()
    assert window.search_panel.edit.placeholderText().endswith("appendectomy, J9035")
    search(qtbot, window, "99213")  # CPT is never in the public files: the notice says how to import it
    assert window.coverage_notice.isVisible() and "File &gt; Import CPT…" in window.coverage_notice.text()
    search(qtbot, window, "E11.9")
    assert not window.coverage_notice.isVisible()
    window.close()


def test_the_smoke_test_reports_the_missing_code_sets_and_passes(
    qapp: QApplication, cm_only_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_smoke_test(qapp, cm_only_index) == 0
    out = capsys.readouterr().out
    assert "This index holds ICD-10-CM FY2026 (April 1, 2026 update)." in out
    assert f"  HCPCS: {HCPCS_ZIP} from the CMS HCPCS quarterly update page ({CMS_HCPCS.url})" in out
    assert f"  ICD-10-PCS: {PCS_ZIP} from the CMS ICD-10 page ({CMS_ICD10.url})" in out
    assert "ok   ICD-10-CM E11.9" in out and "smoke test passed" in out


def test_the_update_dialog_names_the_missing_files_and_pages(qtbot: QtBot, cm_only_index: Path) -> None:
    from desktop.core.manifest import Manifest

    dialog = UpdateDialog(None, coverage=coverage_of(Manifest.read(cm_only_index)))
    qtbot.addWidget(dialog)
    shown = dialog.summary_view.toPlainText()
    assert "Missing: ICD-10-PCS, HCPCS" in shown
    assert f"ICD-10-PCS (missing)\n{PCS_ZIP}" in shown and f"HCPCS (missing)\n{HCPCS_ZIP}" in shown
    assert CMS_ICD10.url in shown and CMS_HCPCS.url in shown
    assert shown.index(HCPCS_ZIP) < shown.index("icd10cm-index-April-1-2026-XML.xml")  # missing ones first


def test_the_update_dialog_reads_the_open_index_by_default(
    qtbot: QtBot, cm_only_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODEATLAS_INDEX", str(cm_only_index))
    dialog = UpdateDialog(None)
    qtbot.addWidget(dialog)
    assert dialog.coverage.missing == (CodeSet.ICD10PCS, CodeSet.HCPCS)


def test_the_update_summary_names_what_would_still_be_missing() -> None:
    from types import SimpleNamespace

    from desktop.dialogs.update_dialog import plan_html

    plan = SimpleNamespace(
        recognised=[], rejected=[], after={"ICD-10-CM": "FY2026", "HCPCS": "July 2026"}, current={}, warnings=[]
    )
    plan.buildable = True
    shown = plan_html(plan)  # type: ignore[arg-type]
    assert "<h3>Still missing after this update</h3>" in shown
    assert f"ICD-10-PCS: {PCS_ZIP} from the" in shown and CMS_ICD10.url in shown
    assert HCPCS_ZIP not in shown

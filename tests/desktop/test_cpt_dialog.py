"""The Import CPT dialog driven programmatically (no real file dialogs), offscreen."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.core import paths
from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet
from desktop.dialogs import cpt_dialog
from desktop.dialogs.cpt_dialog import (
    CptImportDialog,
    confirm_remove,
    cpt_notice_html,
    open_import_dialog,
    summary_html,
)
from index_build import cpt_import

AMA_STYLE = ("LONGULT.txt", "MEDU.txt", "SHORTU.txt", "MODUL.txt")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "user"))
    return tmp_path / "user"


@pytest.fixture
def cpt_files(fixtures_dir: Path) -> list[Path]:
    return [fixtures_dir / "cpt" / name for name in AMA_STYLE]


def _dialog(qtbot: QtBot, **kwargs: object) -> CptImportDialog:
    dialog = CptImportDialog(None, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def _import(qtbot: QtBot, dialog: CptImportDialog) -> list[bool]:
    with qtbot.waitSignal(dialog.import_finished, timeout=20000) as blocker:
        dialog.import_button.click()
    return list(blocker.args or [])


def test_notice_names_the_ama_and_the_users_copy() -> None:
    text = cpt_notice_html()
    assert "CPT® is a registered trademark of the American Medical Association" in text
    assert "your own licensed copy" in text
    assert "Imported" not in text


def test_summary_then_import(qtbot: QtBot, cpt_files: list[Path]) -> None:
    released: list[bool] = []
    dialog = _dialog(qtbot, release_index=lambda: released.append(True))
    assert dialog.first_import and not dialog.notice_label.isHidden()
    assert not dialog.import_button.isEnabled()
    dialog.set_files(cpt_files)
    assert dialog.pickers == []  # every file has the AMA layout
    shown = dialog.summary_view.toPlainText()
    assert "LONGULT.txt: 12 codes, 0 modifiers (long descriptors, tab-delimited" in shown
    assert "MEDU.txt: 8 codes" in shown and "header line skipped" in shown
    assert "Category I: 8 codes" in shown and "Modifiers: 5" in shown
    assert dialog.import_button.isEnabled()

    assert _import(qtbot, dialog) == [True]
    assert released == [True] and dialog.succeeded and not dialog.running
    assert dialog.close_button.text() == "Close" and dialog.import_button.isHidden()
    assert "Imported 12 CPT codes and 5 modifiers" in dialog.status_label.text()
    index = CodeIndex(paths.cpt_index_dir())
    try:
        record = index.record(CodeSet.CPT, "0599T")
        assert record is not None and record.title.startswith("Synthetic test procedure category three")
    finally:
        index.close()
    assert "Imported" in cpt_notice_html()
    again = _dialog(qtbot)
    assert not again.first_import and again.notice_label.isHidden()


def test_csv_columns_are_picked_with_combo_boxes(qtbot: QtBot, fixtures_dir: Path) -> None:
    dialog = _dialog(qtbot)
    dialog.set_files([fixtures_dir / "cpt" / "charges.csv"])
    [picker] = dialog.pickers
    assert picker.code_combo.currentText() == "Column 3: Procedure Code, 99201, 0598T"
    assert picker.descriptor_combo.currentIndex() == 3
    assert dialog.plan is not None and dialog.plan.codes == 3 and dialog.import_button.isEnabled()
    picker.code_combo.setCurrentIndex(1)  # the fee column: no codes there
    assert dialog.plan.codes == 0 and not dialog.import_button.isEnabled()
    assert "charges.csv: not used: it has no valid rows" in dialog.summary_view.toPlainText()
    picker.code_combo.setCurrentIndex(2)
    assert dialog.plan.codes == 3 and dialog.import_button.isEnabled()
    assert _import(qtbot, dialog) == [True]
    assert cpt_import.has_cpt()


def test_choose_files_uses_the_file_dialog(
    qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *args, **kwargs: ([str(p) for p in cpt_files[:1]], ""))
    )
    dialog = _dialog(qtbot)
    dialog.choose_button.click()
    assert dialog.plan is not None and [f.name for f in dialog.plan.files] == ["LONGULT.txt"]


def test_file_text_is_escaped(qtbot: QtBot, tmp_path: Path) -> None:
    hostile = tmp_path / "<b>codes & more.txt"
    hostile.write_text("99999\tSynthetic <i>styled</i> procedure\n<img src=x>\tSynthetic bad row\n", encoding="utf-8")
    dialog = _dialog(qtbot)
    dialog.set_files([hostile])
    assert dialog.plan is not None
    rich = summary_html(dialog.plan)
    assert "&lt;b&gt;codes &amp; more.txt" in rich and "<b><b>codes" not in rich
    assert "&quot;&lt;img src=x&gt;&quot; is not a CPT code" in rich and "<img" not in rich
    assert '"<img src=x>" is not a CPT code' in dialog.summary_view.toPlainText()


def test_nothing_importable(qtbot: QtBot, fixtures_dir: Path) -> None:
    dialog = _dialog(qtbot)
    dialog.set_files([fixtures_dir / "cpt" / "empty.txt", fixtures_dir / "cpt" / "notes.txt"])
    shown = dialog.summary_view.toPlainText()
    assert "Nothing can be imported from these files." in shown
    assert "empty.txt: not used: it is empty" in shown
    assert not dialog.import_button.isEnabled()


def test_failed_import_is_reported_and_keeps_the_previous(
    qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot)
    dialog.set_files(cpt_files)
    real_write = cpt_import.write

    def broken(plan, log, out_dir=None):
        raise OSError("disk full")

    monkeypatch.setattr(cpt_import, "write", broken)
    assert _import(qtbot, dialog) == [False]
    assert "The import failed: disk full" in dialog.status_label.text()
    assert "Nothing was imported." in dialog.status_label.text()
    assert dialog.import_button.isEnabled() and not dialog.succeeded
    monkeypatch.setattr(cpt_import, "write", real_write)
    assert _import(qtbot, dialog) == [True]


def test_dialog_stays_open_while_writing(qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    real_write = cpt_import.write

    def slow(plan, log, out_dir=None):
        log("Writing the CPT index")
        gate.wait(10)
        return real_write(plan, log, out_dir)

    monkeypatch.setattr(cpt_import, "write", slow)
    dialog = _dialog(qtbot)
    dialog.show()
    dialog.set_files(cpt_files)
    with qtbot.waitSignal(dialog.import_finished, timeout=20000):
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.status_label.text() == "Writing the CPT index")
        assert dialog.running and not dialog.progress.isHidden()
        assert not dialog.close_button.isEnabled()
        dialog.reject()
        assert dialog.isVisible()  # not closed under a running thread
        gate.set()
    assert dialog.succeeded and dialog.progress.isHidden()


def test_open_import_dialog_reports_success(
    qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def drive(self: CptImportDialog) -> int:
        self.set_files(cpt_files)
        self.start_import()
        qtbot.waitUntil(lambda: not self.running, timeout=20000)
        return 1

    monkeypatch.setattr(CptImportDialog, "exec", drive)
    assert open_import_dialog(None) is True
    monkeypatch.setattr(CptImportDialog, "exec", lambda self: 0)
    assert open_import_dialog(None) is False


def test_confirm_remove(qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: told.append(text)))
    assert confirm_remove(None) is False and told == ["No CPT data has been imported."]
    cpt_import.write(cpt_import.inspect(cpt_files), lambda _: None)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    released: list[bool] = []
    assert confirm_remove(None, lambda: released.append(True)) is False
    assert cpt_import.has_cpt() and released == []
    assert confirm_remove(None, lambda: released.append(True)) is True
    assert not cpt_import.has_cpt() and not paths.cpt_index_dir().exists() and released == [True]
    assert "Your original AMA files are not touched" in asked[0]


def test_remove_failure_is_explained(qtbot: QtBot, cpt_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    cpt_import.write(cpt_import.inspect(cpt_files), lambda _: None)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text: warned.append(text)))

    def locked(out_dir=None):
        raise PermissionError("the file is in use <locked>")

    monkeypatch.setattr(cpt_dialog.cpt_import, "remove", locked)
    assert confirm_remove(None) is False
    assert "the file is in use &lt;locked&gt;" in warned[0]

"""The "Add or update code sets..." dialog driven programmatically (no real file dialogs), offscreen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.core.index import CodeIndex
from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet
from desktop.dialogs.update_dialog import UpdateDialog
from desktop.gc_guard import GuiThreadCollector
from index_build import update
from tests.reliability.helpers import BROKEN, MINI_TABULAR, Installed, release_file, snapshot

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
NEW_TITLE = "Left side, July wording"


@pytest.fixture(scope="module", autouse=True)
def collect_on_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: the worker thread must never be the one that collects dead widgets."""
    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


def _dialog(qtbot: QtBot, **kwargs: Any) -> UpdateDialog:
    dialog = UpdateDialog(None, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def _build(qtbot: QtBot, dialog: UpdateDialog) -> bool:
    with qtbot.waitSignal(dialog.update_finished, timeout=60000) as blocker:
        dialog.build_button.click()
    return bool(blocker.args and blocker.args[0])


def test_summary_then_build(qtbot: QtBot, installed: Installed, tmp_path: Path) -> None:
    july = release_file(tmp_path / "download", "JUL", "06152030", NEW_TITLE)
    (july.parent / "notes.txt").write_text("not a code set", encoding="utf-8")
    dialog = _dialog(qtbot)
    assert not dialog.build_button.isEnabled()
    dialog.set_paths([july.parent])
    shown = dialog.summary_view.toPlainText()
    assert f"download/{july.name}" in shown and "HCPCS July 2030" in shown and "hcpcs-anweb-txt" in shown
    assert "download/notes.txt is not a recognised code-set file" in shown
    assert "HCPCS July 2030 (now April 2030)" in shown and "ICD-10-PCS FY2026" in shown
    assert dialog.build_button.isEnabled()

    updated: list[Manifest] = []
    dialog.index_updated.connect(updated.append)
    assert _build(qtbot, dialog)
    assert not dialog.running and dialog.manifest is not None and updated == [dialog.manifest]
    releases = {entry["code_set"]: entry["release"] for entry in updated[0].code_sets}
    assert releases["HCPCS"] == "July 2030" and releases["ICD-10-PCS"].startswith("FY2026")
    assert "It now holds: ICD-10-CM" in dialog.status_label.text()
    assert dialog.cancel_button.text() == "Close" and dialog.build_button.isHidden()
    assert "Writing index to" in dialog.log_view.toPlainText()
    assert not dialog.released  # on Linux the open index is left alone: the swap works under it
    index = CodeIndex(installed.index)
    try:
        record = index.record(CodeSet.HCPCS, "LT")
        assert record is not None and record.title == NEW_TITLE
    finally:
        index.close()


def test_failed_build_says_why_and_changes_nothing(qtbot: QtBot, installed: Installed) -> None:
    before = snapshot(installed.data)
    dialog = _dialog(qtbot)
    dialog.set_paths([BROKEN / "icd10pcs_tables_2026_mismatched_tag.xml"])
    assert "ICD-10-PCS FY2026" in dialog.summary_view.toPlainText()
    assert not _build(qtbot, dialog)
    status = dialog.status_label.text()
    assert status.startswith("The update failed: icd10pcs_tables_2026_mismatched_tag.xml, line 26: malformed XML")
    assert status.endswith("Your index and your files are unchanged.")
    assert dialog.build_button.isEnabled() and dialog.files_button.isEnabled()
    assert dialog.manifest is None
    assert snapshot(installed.data) == before


def test_cancel_during_the_build(
    qtbot: QtBot, installed: Installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(installed.data)
    started, gate = threading.Event(), threading.Event()
    real_build = update.build_index

    def held_build(*args: Any, **kwargs: Any) -> dict:
        started.set()
        gate.wait(30)  # the test clicks Cancel while the build is under way
        return real_build(*args, **kwargs)

    monkeypatch.setattr(update, "build_index", held_build)
    dialog = _dialog(qtbot)
    dialog.set_paths([release_file(tmp_path / "download", "JUL", "06152030", NEW_TITLE)])
    with qtbot.waitSignal(dialog.update_finished, timeout=60000) as blocker:
        dialog.build_button.click()
        qtbot.waitUntil(started.is_set)
        assert dialog.running and not dialog.build_button.isEnabled()
        dialog.cancel_button.click()
        assert dialog.status_label.text() == "Cancelling…" and not dialog.cancel_button.isEnabled()
        gate.set()
    assert blocker.args == [False]
    assert dialog.status_label.text() == "Cancelled. Your index and your files are unchanged."
    assert snapshot(installed.data) == before


def test_the_open_index_is_released_just_before_the_swap(qtbot: QtBot, installed: Installed, tmp_path: Path) -> None:
    """Windows: the app closes its own index on the GUI thread while the worker waits, then swaps."""
    released: list[tuple[str, int]] = []

    def release() -> None:
        files = sorted(p.name for p in installed.index.iterdir())
        released.append((threading.current_thread().name, len(files)))

    dialog = _dialog(qtbot, release_index=release, release_before_swap=True)
    dialog.set_paths([release_file(tmp_path / "download", "JUL", "06152030", NEW_TITLE)])
    old_manifest = (installed.index / "manifest.json").read_text()
    assert _build(qtbot, dialog)
    assert released and released[0][0] == threading.main_thread().name and len(released) == 1
    assert dialog.released
    assert (installed.index / "manifest.json").read_text() != old_manifest


def test_a_build_that_would_drop_a_code_set_asks_first(
    qtbot: QtBot, installed: Installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CODEATLAS_SOURCES")
    manifest = (installed.index / "manifest.json").read_text().replace(str(installed.sources), "/nowhere")
    (installed.index / "manifest.json").write_text(manifest)
    asked: list[str] = []

    def say_no(*args: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    dialog = _dialog(qtbot)
    dialog.set_paths([release_file(tmp_path / "download", "JUL", "06152030"), MINI_TABULAR])
    assert "would not have ICD-10-PCS" in dialog.summary_view.toPlainText()
    dialog.build_button.click()
    assert len(asked) == 1 and "ICD-10-PCS" in asked[0]
    assert not dialog.running and (installed.index / "manifest.json").read_text() == manifest

"""Start-up: the no-index screen and its build, the smoke test, the About box, the themes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.about import about_html, app_version
from desktop.app import Shell
from desktop.core.manifest import Manifest
from desktop.core.userdata import UserData
from desktop.dialogs.index_problem import BuildDialog, IndexProblemWindow
from desktop.smoke import run_smoke_test
from desktop.theme import ThemeManager, dark_palette, light_palette


def copying_build(source: Path) -> Callable[[Path, Path | None, Callable[[str], None]], None]:
    """A stand-in for index_build: 'builds' by copying the small index, logging as the builder does."""

    def build(out_dir: Path, sources: Path | None, log: Callable[[str], None]) -> None:
        log(f"Looking for official files in {sources}")
        shutil.copytree(source, out_dir)
        log("Done: 42 documents")

    return build


def failing_build(out_dir: Path, sources: Path | None, log: Callable[[str], None]) -> None:
    log("Building ICD-10-PCS")
    raise ValueError("icd10pcs_tables_2026.xml, line 12: damaged pcsTable")


def test_missing_index_shows_a_plain_screen_then_opens_the_built_one(
    qtbot: QtBot, tmp_path: Path, small_index: Path, light: ThemeManager
) -> None:
    shell = Shell(UserData(tmp_path / "user"), light, tmp_path / "nowhere")
    shell.start()
    problem = shell.problem_window
    assert isinstance(problem, IndexProblemWindow) and shell.window is None
    qtbot.addWidget(problem)
    assert "No CodeAtlas index was found" in problem.problem.text()
    assert "Traceback" not in problem.problem.text()

    problem._build = copying_build(small_index)
    problem._out_dir = tmp_path / "built"
    with qtbot.waitSignal(problem.index_ready, timeout=10000) as blocker:
        qtbot.mouseClick(problem.build_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [tmp_path / "built"]
    assert shell.window is not None and shell.window.isVisible()
    qtbot.addWidget(shell.window)
    assert shell.problem_window is None
    shell.window.close()
    shell.close()


def test_a_rebuilt_index_is_reopened_in_a_fresh_window(
    qtbot: QtBot, tmp_path: Path, small_index: Path, light: ThemeManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODEATLAS_INDEX", str(small_index))
    shell = Shell(UserData(tmp_path / "user"), light, small_index)
    shell.start()
    first = shell.window
    assert first is not None
    qtbot.addWidget(first)
    first.release_index()  # what the update dialog asks for before it swaps the index in
    first.index_reopen_requested.emit()
    second = shell.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    assert second.isVisible() and not first.isVisible()
    assert second.open_code("HCPCS", "J9035")
    second.close()
    shell.close()


def test_damaged_index_is_explained(qtbot: QtBot, tmp_path: Path, light: ThemeManager) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "manifest.json").write_text("{ half a manifest", encoding="utf-8")
    shell = Shell(UserData(tmp_path / "user"), light, folder)
    shell.start()
    qtbot.addWidget(shell.problem_window)
    assert "cannot be read" in shell.problem_window.problem.text()


def test_checksum_mismatch_found_after_start_offers_a_rebuild(
    qtbot: QtBot, tmp_path: Path, small_index: Path, light: ThemeManager
) -> None:
    import json

    folder = tmp_path / "index"
    shutil.copytree(small_index, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    segment = next(name for name in manifest["index_files"] if name.endswith(".seg"))
    manifest["index_files"][segment]["sha256"] = "0" * 64  # same size, other content
    (folder / "manifest.json").write_text(json.dumps(manifest))
    shell = Shell(UserData(tmp_path / "user"), light, folder)
    shell.start()
    qtbot.waitUntil(lambda: shell.problem_window is not None and shell.problem_window.isVisible(), timeout=10000)
    assert segment in shell.problem_window.problem.text()
    assert "Build it again" in shell.problem_window.problem.text()
    assert shell.window is None and shell.engine is None
    shell.problem_window.close()


def test_a_sound_index_stays_open_after_the_check(
    qtbot: QtBot, tmp_path: Path, small_index: Path, light: ThemeManager
) -> None:
    shell = Shell(UserData(tmp_path / "user"), light, small_index)
    with qtbot.waitSignal(shell.integrity_checked, timeout=10000) as blocker:
        shell.start()
    assert blocker.args == [str(small_index), []]
    assert shell.window is not None and shell.window.isVisible() and shell.problem_window is None
    shell.window.close()
    shell.close()


def test_the_integrity_check_never_holds_the_shell(
    qtbot: QtBot, tmp_path: Path, small_index: Path, light: ThemeManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shell gone while its check still runs is freed in the GUI thread and the late answer is dropped.

    Held by the checking thread, the shell's Python object died in that thread when the check ended,
    and the queued answer reached a C++ object without one: the test run crashed (about one in two)."""
    import gc
    import threading
    import weakref

    import desktop.app

    release, started = threading.Event(), threading.Event()

    def slow_verify(folder: Path) -> list[str]:
        started.set()
        release.wait(10)
        return ["damaged.seg"]

    monkeypatch.setattr(desktop.app, "verify_index", slow_verify)
    shell = Shell(UserData(tmp_path / "user"), light, small_index)
    shell._check_integrity(small_index)
    assert started.wait(10)
    other = Shell(UserData(tmp_path / "other"), light, small_index)
    answers: list[tuple[str, list[str]]] = []
    other.integrity_checked.connect(lambda folder, damaged: answers.append((folder, damaged)))
    gone = weakref.ref(shell)
    del shell
    gc.collect()
    assert gone() is None  # nothing but the test held it: not the running check
    relay = desktop.app._integrity_relay()
    with qtbot.waitSignal(relay.checked, timeout=10000):
        release.set()
    qtbot.wait(50)
    assert answers == []  # another shell's answer, though for the same folder, is not this one's
    assert other.window is None and other.problem_window is None


def test_build_dialog_shows_log_lines_and_the_failure(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = BuildDialog(tmp_path / "out", None, failing_build)
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.buttons.isEnabled()
    with qtbot.assertNotEmitted(dialog.built):
        dialog.start()
        qtbot.waitUntil(lambda: dialog.succeeded is False, timeout=10000)
    log = dialog.log_view.toPlainText()
    assert "Building ICD-10-PCS" in log
    assert "The index could not be built: icd10pcs_tables_2026.xml, line 12: damaged pcsTable" in log
    assert "Traceback" not in log
    assert dialog.buttons.isEnabled()


def test_smoke_test_passes_on_the_small_index(
    qapp: QApplication, small_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_smoke_test(qapp, small_index) == 0
    out = capsys.readouterr().out
    for line in ("ok   ICD-10-CM E11.9", "ok   ICD-10-PCS 0DTJ4ZZ", "ok   HCPCS J9035", "smoke test passed"):
        assert line in out
    # bench/frozen_bench.py times the moment the code is listed, before it is opened.
    assert out.index("listed ICD-10-CM E11.9 first of ") < out.index("ok   ICD-10-CM E11.9")


def test_smoke_test_fails_without_an_index(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_smoke_test(qapp, tmp_path) == 1
    assert "FAIL: No CodeAtlas index was found" in capsys.readouterr().out


def test_about_lists_version_releases_and_sources() -> None:
    manifest = Manifest(
        code_sets=[{"code_set": "HCPCS", "release": "July 2026", "effective": "2026-07-01"}],
        files=[{"name": "hcpcs-2026.xlsx", "code_set": "HCPCS", "release": "July 2026"}],
        built_at="2026-07-02T10:00:00+00:00",
    )
    html = about_html(manifest, "0.1.0")
    for text in ("CodeAtlas 0.1.0", "HCPCS</b>: July 2026, effective 2026-07-01", "hcpcs-2026.xlsx", "2026-07-02"):
        assert text in html
    assert app_version() == "0.1.0"


def test_palettes_differ_and_follow_the_choice(qtbot: QtBot, light: ThemeManager) -> None:
    assert light_palette().color(QPalette.ColorRole.Base).lightness() > 200
    assert dark_palette().color(QPalette.ColorRole.Base).lightness() < 60
    light.set_preference("dark")
    assert light.is_dark and QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    light.set_preference("system")  # the offscreen platform reports no dark scheme
    assert light.is_dark == light.system_is_dark()
    light.set_preference("nonsense")
    assert light.preference == "system"

"""The test set-up itself: markers land on the right tests, and core/builder tests cannot take a QApplication."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _collect(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ids(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_tests_on_the_official_files_carry_real_sources() -> None:
    files = ("tests/index_build/hcpcs/test_real_sources.py", "tests/core/test_synonyms.py")
    every = _ids(_collect(*files))
    marked = _ids(_collect("-m", "real_sources", *files))
    real = {node for node in every if "test_real_sources.py" in node}
    assert real and real <= marked
    assert marked < every  # test_synonyms.py also tests its own table, without the official files


def test_the_full_real_build_is_slow() -> None:
    quick = _ids(_collect("-m", "not slow", "tests/test_real_index.py"))
    every = _ids(_collect("tests/test_real_index.py"))
    assert every and quick == set()


def test_a_core_test_asking_for_qt_stops_the_run(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    (tests / "core").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "core" / "test_widget.py").write_text("def test_widget(qtbot):\n    pass\n", encoding="utf-8")
    (tests / "test_fine.py").write_text("def test_fine(qtbot):\n    pass\n", encoding="utf-8")
    result = _collect("tests", cwd=tmp_path)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "core and builder tests run without a QApplication" in out
    assert "tests/core/test_widget.py::test_widget" in out and "test_fine" not in out.split("QApplication")[1]

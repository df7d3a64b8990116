"""tasks.py: arguments reach the tool a task runs, installs happen once per requirement, a stale index is
noticed and rebuilt (the installs and the tools are replaced by recorders; nothing is installed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import tasks
from tests.cm_only import write_cm_only_index

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


class Recorder:
    """Stands in for run_in_env: remembers each command, answers 0."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.stdout: list[object] = []

    def __call__(self, python: Path, *args: str, stdout: object = None) -> int:
        self.calls.append(args)
        self.stdout.append(stdout)
        return 0


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Recorder:
    recorded = Recorder()
    monkeypatch.setattr(tasks, "run_in_env", recorded)
    monkeypatch.setattr(tasks, "ensure_env", lambda extras: Path(sys.executable))
    monkeypatch.setenv("CODEATLAS_INDEX", str(write_cm_only_index(tmp_path / "index")))
    monkeypatch.delenv("CODEATLAS_SOURCES", raising=False)
    return recorded


def test_test_passes_pytest_arguments_through_after_the_lint_steps(recorder: Recorder) -> None:
    assert tasks.main(["test", "-x", "-q", "tests/core", "-k", "not slow"]) == 0
    assert recorder.calls[-1] == ("-m", "pytest", "-x", "-q", "tests/core", "-k", "not slow")
    assert [call for call in recorder.calls[:-1]] == [tuple(args) for _name, args in tasks.LINT_STEPS]


def test_a_failing_step_stops_the_test_task(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "run_in_env", lambda python, *args, stdout=None: 5 if args[:2] == ("-m", "ruff") else 0)
    assert tasks.main(["test", "-x"]) == 5


def test_bench_passes_its_arguments_to_the_measured_run_only(recorder: Recorder) -> None:
    assert tasks.main(["bench", "--cold-runs", "3"]) == 0
    assert recorder.calls == [("bench/measured_run.py", "--cold-runs", "3")]


def test_lookup_passes_the_query_and_options_to_the_cli(recorder: Recorder) -> None:
    assert tasks.main(["lookup", "j9035", "--json", "--limit", "3"]) == 0
    assert recorder.calls == [("-m", "desktop.core", "j9035", "--json", "--limit", "3")]


def test_smoke_runs_the_smoke_test_and_package_passes_its_arguments(recorder: Recorder) -> None:
    assert tasks.main(["smoke"]) == 0
    assert tasks.main(["package", "--skip-tests"]) == 0
    assert recorder.calls == [("main.py", "--smoke-test"), ("packaging/build.py", "--skip-tests")]


def test_run_refuses_arguments_it_does_not_know(recorder: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        tasks.main(["run", "--cold-runs", "3"])
    assert "unrecognized arguments for run: --cold-runs 3" in capsys.readouterr().err
    assert recorder.calls == []


def test_without_an_index_run_builds_one_first(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CODEATLAS_INDEX", str(tmp_path / "none"))
    assert tasks.main(["run"]) == 0
    assert recorder.calls == [("-m", "index_build", "--out", str(tmp_path / "none")), ("main.py",)]


# Installs


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[str]]:
    """A .venv with a python in place and a pyproject of our own; pip calls are recorded, not run."""
    venv = tmp_path / ".venv"
    monkeypatch.setattr(tasks, "VENV", venv)
    python = tasks.venv_python()
    python.parent.mkdir(parents=True)
    python.write_text("")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["whoosh3==3.54.0", "platformdirs>=4.2"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8.0", "ruff==0.17.6"]\nbuild = ["pyinstaller>=6.10"]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(tasks, "PYPROJECT", pyproject)
    installs: list[list[str]] = []

    def pip(command: list[str], check: bool) -> None:
        installs.append(command[command.index("-q") + 1 :])

    monkeypatch.setattr(tasks.subprocess, "run", pip)
    return installs


def test_switching_between_run_and_test_installs_once(fake_env: list[list[str]]) -> None:
    tasks.ensure_env([])
    tasks.ensure_env(["test"])
    tasks.ensure_env([])
    tasks.ensure_env(["test"])
    tasks.ensure_env(["test", "build"])
    tasks.ensure_env([])
    assert fake_env == [
        ["whoosh3==3.54.0", "platformdirs>=4.2"],
        ["pytest>=8.0", "ruff==0.17.6"],
        ["pyinstaller>=6.10"],
    ]


def test_a_changed_pin_installs_that_requirement_again(fake_env: list[list[str]]) -> None:
    tasks.ensure_env(["test"])
    text = tasks.PYPROJECT.read_text(encoding="utf-8").replace("ruff==0.17.6", "ruff==0.18.0")
    tasks.PYPROJECT.write_text(text, encoding="utf-8")
    tasks.ensure_env(["test"])
    assert fake_env[-1] == ["ruff==0.18.0"]
    assert json.loads(tasks.installed_stamp().read_text(encoding="utf-8"))["ruff"] == "ruff==0.18.0"


def test_package_names_are_normalised() -> None:
    assert tasks.package_name("PySide6-Essentials==6.11.3") == "pyside6-essentials"
    assert tasks.package_name("simple_icd_10_cm == 1.5.0") == "simple-icd-10-cm"
    assert tasks.package_name("import-linter==2.17") == "import-linter"


# A stale index: the sources hold code sets the index lacks


def test_run_with_sources_the_index_lacks_says_so_and_rebuilds(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tasks.sys.stdin, "isatty", lambda: False, raising=False)  # nobody there: rebuild
    index = tasks.default_index()
    assert tasks.main(["run", "--sources", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "HCPCS April 2030 (the index has no HCPCS)" in out
    assert "ICD-10-PCS FY2026 (the index has no ICD-10-PCS)" in out
    assert recorder.calls == [("-m", "index_build", "--out", str(index), "--sources", str(FIXTURES)), ("main.py",)]


def test_a_terminal_user_is_asked_and_may_keep_the_index(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tasks.sys.stdin, "isatty", lambda: True, raising=False)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    assert tasks.main(["run", "--sources", str(FIXTURES / "hcpcs")]) == 0
    assert "HCPCS April 2030 (the index has no HCPCS)" in capsys.readouterr().out
    assert asked and asked[0].startswith("Rebuild the index now?")
    assert recorder.calls == [("main.py",)]


def test_sources_holding_nothing_new_keep_the_index(recorder: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    assert tasks.main(["run", "--sources", str(FIXTURES / "icd10cm")]) == 0
    assert "The sources hold" not in capsys.readouterr().out
    assert recorder.calls == [("main.py",)]


def test_keep_index_skips_the_check(recorder: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    assert tasks.main(["run", "--keep-index", "--sources", str(FIXTURES)]) == 0
    assert "Checking what" not in capsys.readouterr().out
    assert recorder.calls == [("main.py",)]


def test_unreadable_sources_keep_the_index(
    recorder: Recorder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "codes.zip").write_bytes(b"PK\x03\x04 not really a zip")
    assert tasks.main(["run", "--sources", str(broken)]) == 0
    assert "Could not read the sources (codes.zip: damaged or truncated zip archive" in capsys.readouterr().out
    assert recorder.calls == [("main.py",)]


def test_a_first_lookup_builds_with_its_progress_on_stderr(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CODEATLAS_INDEX", str(tmp_path / "none"))
    assert tasks.main(["lookup", "e11.9", "--json"]) == 0
    assert recorder.calls == [
        ("-m", "index_build", "--out", str(tmp_path / "none")),
        ("-m", "desktop.core", "e11.9", "--json"),
    ]
    assert recorder.stdout == [sys.stderr, None]  # the build's lines never mix with the JSON on stdout
    captured = capsys.readouterr()
    assert "No index yet" in captured.err and captured.out == ""

"""The lint step of `tasks.py test`: every tool runs, the first failure stops it, the tools are pinned."""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import tasks

ROOT = Path(__file__).resolve().parents[1]


def test_lint_stops_at_the_first_failing_tool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    steps = [
        ("passes", ["-c", "pass"]),
        ("fails", ["-c", "raise SystemExit(3)"]),
        ("after", ["-c", f"open({str(marker)!r}, 'w')"]),
    ]
    monkeypatch.setattr(tasks, "LINT_STEPS", steps)
    assert tasks.lint(Path(sys.executable)) == 3
    assert not marker.exists()


def test_lint_runs_ruff_format_mypy_and_the_contracts() -> None:
    commands = [" ".join(args) for _, args in tasks.LINT_STEPS]
    assert "-m ruff check ." in commands
    assert "-m ruff format --check ." in commands
    assert any(c.startswith("-m mypy desktop index_build") for c in commands)
    assert any("lint_imports_command" in c for c in commands)


@pytest.mark.parametrize("tool", ["ruff", "mypy", "import-linter"])
def test_lint_tools_are_pinned_to_what_is_installed(tool: str) -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = dict(line.split("==") for line in extra["test"] if "==" in line)
    assert pins[tool] == metadata.version(tool)

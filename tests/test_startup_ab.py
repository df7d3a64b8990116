"""bench/startup_ab.py: builds started in alternating order, figures per build, a failed start stops it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import startup_ab  # noqa: E402

SMOKE_LINES = (
    "CodeAtlas smoke test on here",
    "This index holds ICD-10-CM",
    "listed ICD-10-CM E11.9 first",
    "ok   E11.9",
)


def _program(folder: Path, name: str, log: Path, code: int = 0) -> Path:
    """A stand-in for a frozen build: notes that it ran, prints the smoke test's lines, exits with code."""
    script = folder / name
    body = "".join(f"echo '{line}'\n" for line in SMOKE_LINES)
    script.write_text(f"#!/bin/sh\necho {name} >> {log}\n{body}exit {code}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-ins are shell scripts")
def test_each_round_starts_every_build_alternating_the_order(tmp_path: Path) -> None:
    log = tmp_path / "started"
    builds = {"a": _program(tmp_path, "a", log), "b": _program(tmp_path, "b", log)}
    figures = startup_ab.compare(builds, runs=3, cold=False)
    assert log.read_text().split() == ["a", "b", "b", "a", "a", "b"]
    assert figures["cold"] is False and figures["runs"] == 3
    for name in ("a", "b"):
        found = figures["builds"][name]  # type: ignore[index]
        spread = found["first_result_s"]
        assert spread["min"] <= spread["p25"] <= spread["median"] <= spread["max"]
        milestones = found["milestones_median"]
        assert set(milestones) == {
            "modules_and_qt_loaded_s",
            "index_open_and_window_shown_s",
            "first_hit_listed_s",
            "first_result_s",
        }
        assert None not in milestones.values()


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-ins are shell scripts")
def test_a_build_whose_smoke_test_fails_stops_the_comparison(tmp_path: Path) -> None:
    log = tmp_path / "started"
    builds = {"good": _program(tmp_path, "good", log), "bad": _program(tmp_path, "bad", log, code=1)}
    with pytest.raises(SystemExit, match="bad: the smoke test failed"):
        startup_ab.compare(builds, runs=2, cold=False)

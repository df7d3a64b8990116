"""python -m index_build: the build runs without the cyclic collector, whose state is put back afterwards."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from index_build import __main__ as command_line
from index_build.sources.base import SourceError


@pytest.fixture(params=[True, False], ids=["collecting", "not-collecting"])
def collecting(request: pytest.FixtureRequest) -> Any:
    """The collector on or off before the command line runs (the Qt tests leave it off), as it was after."""
    was = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    yield request.param
    (gc.enable if was else gc.disable)()


def test_the_build_runs_without_the_collector_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collecting: bool
) -> None:
    seen: list[bool] = []

    def build_index(out: Path, sources: Any, log: Any) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(command_line, "build_index", build_index)
    assert command_line.main(["--out", str(tmp_path / "ix"), "--sources", str(tmp_path), "--quiet"]) == 0
    assert seen == [False]
    assert gc.isenabled() is collecting


def test_a_failed_build_gives_the_collector_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collecting: bool
) -> None:
    def build_index(out: Path, sources: Any, log: Any) -> None:
        raise SourceError("tables.xml", "is damaged", line=3)

    monkeypatch.setattr(command_line, "build_index", build_index)
    assert command_line.main(["--out", str(tmp_path / "ix"), "--sources", str(tmp_path), "--quiet"]) == 2
    assert gc.isenabled() is collecting

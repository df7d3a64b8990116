"""Shared set-up of the ICD-10-PCS parser tests: detected fixture files and one build of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index_build.sources import icd10pcs
from index_build.sources.base import Parsed, SourceFile


def detect_folder(folder: Path) -> list[SourceFile]:
    """Every PCS file under folder, as the builder would hand them over (zips not opened here)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                source = icd10pcs.detect(path, "", handle.read(64 * 1024))
            if source is not None:
                found.append(source)
    return found


@pytest.fixture(scope="session")
def pcs_detect() -> Callable[[Path], list[SourceFile]]:
    """The folder detector, for tests that need it on their own folders."""
    return detect_folder


@pytest.fixture(scope="session")
def pcs_fixtures(fixtures_dir: Path) -> Path:
    return fixtures_dir / "icd10pcs"


@pytest.fixture(scope="session")
def fixture_sources(pcs_fixtures: Path) -> list[SourceFile]:
    return detect_folder(pcs_fixtures)


@pytest.fixture(scope="session")
def fixture_build(fixture_sources: list[SourceFile]) -> tuple[Parsed, list[str]]:
    lines: list[str] = []
    return icd10pcs.build(fixture_sources, lines.append), lines

"""Fixtures for the ICD-10-CM parser tests: the fixture folder and detected fixture files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index_build.sources import icd10cm
from index_build.sources.base import SourceFile


@pytest.fixture(scope="session")
def cm_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "icd10cm"


def detect_file(path: Path) -> SourceFile:
    """Detect a file the way the builder does (first 64 KiB) and insist it is recognised."""
    source = icd10cm.detect(path, "", path.read_bytes()[:65536])
    assert source is not None, f"{path.name} not recognised"
    return source


@pytest.fixture(scope="session")
def cm_source(cm_dir: Path) -> Callable[[str], SourceFile]:
    """A fixture file of tests/fixtures/icd10cm, detected."""
    return lambda name: detect_file(cm_dir / name)

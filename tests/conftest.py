"""Shared test set-up: offscreen Qt, fixture paths and the real source files when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def real_sources() -> Path:
    """The folder of official source files (CODEATLAS_SOURCES); skips the test when absent."""
    value = os.environ.get("CODEATLAS_SOURCES", "")
    if not value or not Path(value).is_dir():
        pytest.skip("CODEATLAS_SOURCES is not set to a folder of official source files")
    return Path(value)


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Whoosh index written by the real writer from tests/sample_data.py."""
    from index_build.manifest import make_manifest
    from index_build.writer import write_index
    from tests.sample_data import sample_parsed

    parsed = sample_parsed()
    folder = tmp_path_factory.mktemp("index") / "index"
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    return folder

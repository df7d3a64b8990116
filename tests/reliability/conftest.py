"""Reliability set-up: a small index built from the fixture files, installed in a temp user data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core import paths
from tests.reliability.helpers import CODE_SET_FIXTURES, FIXTURES, Installed


@pytest.fixture(scope="session")
def fixture_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good fixture files of the three code sets in one folder, like an official download folder."""
    folder = tmp_path_factory.mktemp("official")
    for name in CODE_SET_FIXTURES:
        shutil.copytree(FIXTURES / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def built_index(fixture_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index_build.build import build_index

    folder = tmp_path_factory.mktemp("built") / "index"
    build_index(folder, fixture_sources, lambda line: None)
    return folder


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_sources: Path, built_index: Path) -> Installed:
    data = tmp_path / "userdata"
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(data))
    monkeypatch.setenv(paths.ENV_SOURCES, str(fixture_sources))
    monkeypatch.delenv(paths.ENV_INDEX, raising=False)
    shutil.copytree(built_index, paths.user_index_dir())
    return Installed(data, paths.user_index_dir(), fixture_sources, data / "sources")


@pytest.fixture(autouse=True)
def no_bundled_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout that was packaged has resources/sources: these tests must not rebuild from it."""
    monkeypatch.setattr(paths, "bundled_sources_dir", lambda: tmp_path / "no-bundled-sources")

"""Shared test set-up: offscreen Qt, markers, Qt kept out of core and builder tests, fixture paths, real sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
# The core and the builder are tested as they run in index_build and on a machine without Qt.
HEADLESS_FOLDERS = (HERE / "core", HERE / "index_build")
QT_FIXTURES = {"qapp", "qtbot", "qtmodeltester", "qapp_args", "qapp_cls"}
SLOW_FIXTURES = {"full_index"}  # the whole real index, built once per run: minutes


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    headless_with_qt = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "real_sources" in names:
            item.add_marker(pytest.mark.real_sources)
        if names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        path = Path(str(item.path)).resolve()
        if any(folder in path.parents for folder in HEADLESS_FOLDERS) and names & QT_FIXTURES:
            headless_with_qt.append(item.nodeid)
    if headless_with_qt:
        raise pytest.UsageError(
            "core and builder tests run without a QApplication; move these to tests/desktop: "
            + ", ".join(headless_with_qt)
        )


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

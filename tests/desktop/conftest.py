"""Desktop test set-up: user data stays in a temp folder, a real small index (Qt warnings fail: pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.userdata import UserData
from desktop.gc_guard import GuiThreadCollector
from desktop.theme import ThemeManager


@pytest.fixture(scope="session", autouse=True)
def collect_on_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: windows left over by one test are never collected by a worker thread."""
    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data folder; nothing reaches the real one."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("CODEATLAS_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def userdata(user_data_dir: Path) -> UserData:
    return UserData(user_data_dir)


@pytest.fixture(scope="session")
def theme(qapp: QApplication) -> ThemeManager:
    manager = ThemeManager(qapp, "light")
    return manager


@pytest.fixture(scope="module")
def engine(small_index: Path) -> Iterator[object]:
    from desktop.core.engine import open_engine

    opened = open_engine(small_index)
    yield opened
    opened.close()


@pytest.fixture
def light(theme: ThemeManager) -> Iterator[ThemeManager]:
    """The light theme for a test, put back afterwards whatever the test chose."""
    theme.set_preference("light")
    yield theme
    theme.set_preference("light")

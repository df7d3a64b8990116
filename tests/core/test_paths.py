"""Where files live is decided in desktop/core/paths.py only: the user's folders follow CODEATLAS_DATA_DIR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.core import paths
from desktop.core.search import cache as search_cache

ROOT = Path(__file__).resolve().parents[2]


def test_every_user_folder_follows_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path))
    assert paths.user_index_dir() == tmp_path / "index"
    assert paths.cpt_index_dir() == tmp_path / "cpt"
    assert paths.user_sources_dir() == tmp_path / "sources"
    assert paths.replaced_sources_dir() == tmp_path / "sources-replaced"
    assert paths.search_cache_dir() == tmp_path / "search-cache"
    index = tmp_path / "elsewhere" / "index"
    assert search_cache.locations(index, "abc") == [
        index / search_cache.FILE_NAME,
        tmp_path / "search-cache" / "abc.cache",
    ]


def test_no_other_module_builds_a_user_folder() -> None:
    # A path under the user's data folder is built from user_data_dir() in paths.py and nowhere else.
    built_here = re.compile(r"user_data_dir\(\)\s*/")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("desktop", "index_build")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "paths.py" and built_here.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

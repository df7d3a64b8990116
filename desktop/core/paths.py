"""The one module that knows where files live: the bundle, the user's folders, the index."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from desktop.core.manifest import MANIFEST_NAME

APP_NAME = "CodeAtlas"
APP_AUTHOR = "CodeAtlas"

ENV_SOURCES = "CODEATLAS_SOURCES"
ENV_INDEX = "CODEATLAS_INDEX"
ENV_DATA_DIR = "CODEATLAS_DATA_DIR"
SEARCH_CACHE_FOLDER = "search-cache"


def bundle_dir() -> Path:
    """Read-only files shipped with the program: the frozen bundle or the source checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return bundle_dir() / "resources"


def bundled_index_dir() -> Path:
    """The prebuilt index shipped inside the installer (or built into a checkout)."""
    return resources_dir() / "index"


def user_data_dir() -> Path:
    """Favourites, recent codes, settings and user-built indexes; CODEATLAS_DATA_DIR overrides."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_index_dir() -> Path:
    """An index the user built or updated from inside the app (takes precedence over the bundle)."""
    return user_data_dir() / "index"


def user_sources_dir() -> Path:
    """The official files the user added from inside the app, one folder per code set and release."""
    return user_data_dir() / "sources"


def replaced_sources_dir() -> Path:
    """Where a file goes when the user adds a different file of the same name and release: kept, unused."""
    return user_data_dir() / "sources-replaced"


def bundled_sources_dir() -> Path:
    """The official files an installer ships beside its prebuilt index (packaging/spec_support.py)."""
    return resources_dir() / "sources"


def search_cache_dir() -> Path:
    """Search caches of indexes in read-only places (a bundled index), one file per index build."""
    return user_data_dir() / SEARCH_CACHE_FOLDER


def cpt_index_dir() -> Path:
    """The user's own imported CPT data, kept apart from the code-set index."""
    return user_data_dir() / "cpt"


def index_dir() -> Path:
    """The index to open: CODEATLAS_INDEX, else the user's own build, else the bundled one."""
    override = os.environ.get(ENV_INDEX)
    if override:
        return Path(override)
    user = user_index_dir()
    if (user / MANIFEST_NAME).is_file():
        return user
    return bundled_index_dir()


def sources_dir() -> Path | None:
    """The folder of official source files named by CODEATLAS_SOURCES, if any."""
    value = os.environ.get(ENV_SOURCES)
    return Path(value) if value else None

"""Loads the packaging/ scripts by path: packaging/ is no package (it would shadow PyPI's `packaging`)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def load_script(name: str) -> ModuleType:
    """Import packaging/<name>.py under a private module name (standalone scripts only)."""
    module_name = f"_codeatlas_packaging_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and typing look modules up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def packaging_dir() -> Path:
    return PACKAGING


@pytest.fixture(scope="session")
def load() -> Callable[[str], ModuleType]:
    return load_script

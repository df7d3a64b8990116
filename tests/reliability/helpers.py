"""Shared by the reliability tests: fixture paths, the installed-index record, folder snapshots."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _broken_sources() -> Path:
    """Damaged files are made fresh for each test run rather than kept as binary files in the repo."""
    from tests.reliability.make_broken import main as make_broken

    folder = Path(tempfile.mkdtemp(prefix="codeatlas-broken-"))
    atexit.register(shutil.rmtree, folder, True)
    make_broken(folder)
    return folder


BROKEN = _broken_sources()
CODE_SET_FIXTURES = ("icd10cm", "icd10pcs", "hcpcs")
# The mini tabular has the packaged tabular's release, so the builder prefers it and never parses the
# 40 MB packaged copy: every build here takes about a second.
MINI_TABULAR = FIXTURES / "icd10cm" / "icd10cm-tabular-April-1-2026-mini.xml"


@dataclass(frozen=True)
class Installed:
    """A user data folder holding an index built from `sources`, as after a first build in the app."""

    data: Path
    index: Path
    sources: Path  # the folder the index was built from (CODEATLAS_SOURCES)
    user_sources: Path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder by relative path, with its sha256: compare before and after."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


APRIL = FIXTURES / "hcpcs" / "HCPC2030_APR_ANWEB_03152030.txt"


def release_file(folder: Path, month: str, stamp: str, title: str = "") -> Path:
    """A later HCPCS quarter: the April fixture under that quarter's official name, one title changed."""
    folder.mkdir(parents=True, exist_ok=True)
    text = APRIL.read_text(encoding="cp1252")
    if title:
        old = "Left side (synthetic fixture modifier)"
        text = text.replace(old, title.ljust(len(old))[: len(old)], 1)
    path = folder / f"HCPC2030_{month}_ANWEB_{stamp}.txt"
    path.write_text(text, encoding="cp1252", newline="")
    return path

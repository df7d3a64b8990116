"""The one staging step: an index is written complete into a private sibling folder, then swapped in."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.manifest import MANIFEST_NAME

# Files Whoosh writes: a folder holding only these is a damaged index (manifest lost), safe to replace.
_INDEX_FILE_SUFFIXES = (".toc", ".seg", ".pst", ".trm", ".fdt", ".fdi", ".dci", ".dcz", ".lock", ".cache")


def replaceable(out_dir: Path) -> bool:
    """Empty, an index, or an index that lost its manifest: never a folder of the user's own files."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    names = [path.name for path in out_dir.iterdir()]
    if not names or MANIFEST_NAME in names:
        return True
    return all(name.endswith(_INDEX_FILE_SUFFIXES) or name.endswith("WRITELOCK") for name in names)


def check_replaceable(out_dir: Path) -> None:
    if not replaceable(out_dir):
        raise FileExistsError(f"{out_dir} exists and is not a CodeAtlas index; choose an empty or new folder")


@contextmanager
def staged(out_dir: Path, before_swap: Callable[[], None] | None = None) -> Iterator[Path]:
    """A fresh private folder beside out_dir to write the new index into; swapped in when the block ends.

    before_swap runs just before the swap (a cancel check; the app closes its open index there on
    Windows). An exception in the block or in before_swap removes the staging folder and leaves any
    previous index at out_dir untouched.
    """
    out_dir = Path(out_dir).resolve()
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        yield staging
        if before_swap is not None:
            before_swap()
        swap_in(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames; the old folder is removed last."""
    retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        if retired.exists():
            shutil.rmtree(retired)
        os.replace(out_dir, retired)
    try:
        os.replace(staging, out_dir)
    except OSError:
        if retired.exists():
            os.replace(retired, out_dir)
        raise
    if retired.exists():
        shutil.rmtree(retired, ignore_errors=True)

"""A real index built by the real parsers and writer from the official-format excerpts in fixtures/tabs/."""

from __future__ import annotations

from pathlib import Path

from index_build.build import code_set_modules, discover
from index_build.manifest import make_manifest
from index_build.sources.base import Parsed
from index_build.writer import write_index

TABS_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tabs"


def build_tabs_index(folder: Path) -> Path:
    """Parse every file of fixtures/tabs with its code set's build() and write the index to folder."""
    modules = code_set_modules()
    found, skipped = discover([TABS_FIXTURES], modules, None)
    assert not skipped, skipped
    combined = Parsed()
    by_set: dict[str, Parsed] = {}
    for code_set, module in modules.items():
        files = [source for source in found if source.code_set is code_set]
        if files:
            parsed = module.build(files, lambda line: None)
            by_set[str(code_set)] = parsed
            combined.extend(parsed)
    write_index(folder, combined, make_manifest(by_set, [], 0.0), lambda line: None)
    return folder

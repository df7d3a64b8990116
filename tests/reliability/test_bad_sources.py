"""Damaged or unrelated source files: a message naming the file and the fault, and nothing built changes."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from index_build import update
from index_build.build import build_index
from index_build.sources.base import SourceError
from tests.reliability.helpers import BROKEN, MINI_TABULAR, Installed, snapshot

# Files inspect() recognises by their first bytes; the fault shows when they are parsed.
FAILS_TO_PARSE = {
    "icd10pcs_tables_2026_mismatched_tag.xml": ("ICD-10-PCS", "line 26: malformed XML (mismatched tag"),
    "icd10pcs_tables_2026_truncated.xml": ("ICD-10-PCS", "malformed XML (unclosed token"),
    "icd10pcs_definitions_2026_latin1.xml": ("ICD-10-PCS", "malformed XML (not well-formed (invalid token)"),
    "icd10cm-eindex-April-1-2026-unknown-encoding.xml": ("ICD-10-CM", "unknown encoding: x-mac-roman"),
    "HCPC2030_JUL_ANWEB_06152030_no_action_code.xlsx": ("HCPCS", "missing columns PROCNOTE, ACTION CD"),
}
# Files inspect() turns down, with the reason shown to the user.
NOT_USED = {
    "april-2030-alpha-numeric-hcpcs-file-truncated.zip": "damaged or truncated zip archive (File is not a zip file)",
    "april-2030-alpha-numeric-hcpcs-file-corrupt.zip": "damaged or truncated zip archive (Error -3 while "
    "decompressing data",
    "icd10cm-tabular-April-1-2026-utf16.xml": 'is saved as UTF-16 ("Unicode") text',
    "HCPC2030_JUL_ANWEB_06152030_no_long_description.xlsx": "header row lacks the column(s) LONG DESCRIPTION",
    "meeting-notes.txt": "is not a recognised code-set file",
    "icd10pcs_tables_2026_empty.xml": "is empty",
}


def _state(installed: Installed) -> tuple[dict[str, str], dict[str, str]]:
    return snapshot(installed.index), snapshot(installed.data / "sources")


def test_every_broken_fixture_is_covered() -> None:
    on_disk = {path.name for path in BROKEN.iterdir() if path.suffix != ".py"}
    assert on_disk == set(FAILS_TO_PARSE) | set(NOT_USED)


@pytest.mark.parametrize("name", sorted(FAILS_TO_PARSE))
def test_damaged_file_is_named_and_the_index_is_unchanged(installed: Installed, name: str) -> None:
    code_set, fault = FAILS_TO_PARSE[name]
    before = _state(installed)
    plan = update.inspect([BROKEN / name])
    assert [str(source.code_set) for picked in plan.recognised for source in picked.contents] == [code_set]

    with pytest.raises(SourceError) as caught:
        update.apply(plan, lambda line: None, threading.Event())
    message = str(caught.value)
    assert message.startswith(name) and fault in message, message
    assert _state(installed) == before
    assert sorted(p.name for p in installed.data.iterdir()) == ["index"]  # no staging left behind


@pytest.mark.parametrize("name", sorted(NOT_USED))
def test_unusable_file_is_listed_with_the_reason(installed: Installed, name: str) -> None:
    before = _state(installed)
    plan = update.inspect([BROKEN / name])
    assert [picked.name for picked in plan.files] == [name]
    assert NOT_USED[name] in plan.files[0].rejected, plan.files[0].rejected
    assert not plan.buildable
    with pytest.raises(ValueError, match="Nothing to add"):
        update.apply(plan, lambda line: None)
    assert _state(installed) == before


def test_a_good_file_picked_with_a_broken_one_is_still_offered(installed: Installed, tmp_path: Path) -> None:
    empty = "icd10pcs_tables_2026_empty.xml"
    plan = update.inspect([BROKEN / "meeting-notes.txt", MINI_TABULAR, BROKEN / empty])
    assert [picked.name for picked in plan.recognised] == [MINI_TABULAR.name]
    assert [picked.name for picked in plan.rejected] == ["meeting-notes.txt", empty]


@pytest.mark.parametrize(
    "name",
    [
        "april-2030-alpha-numeric-hcpcs-file-truncated.zip",
        "april-2030-alpha-numeric-hcpcs-file-corrupt.zip",
        *sorted(FAILS_TO_PARSE),
    ],
)
def test_builder_stops_on_a_damaged_file_in_a_sources_folder(
    tmp_path: Path, built_index: Path, fixture_sources: Path, name: str
) -> None:
    """The command-line and first-run builds read whole folders: the same files stop them, named."""
    index = tmp_path / "index"
    shutil.copytree(built_index, index)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(BROKEN / name, extra)
    before = snapshot(index)
    with pytest.raises(SourceError) as caught:
        build_index(index, [fixture_sources, extra], lambda line: None)
    assert str(caught.value).startswith(name)
    assert snapshot(index) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extra", "index"]


def test_builder_skips_unrelated_and_empty_files_with_a_log_line(tmp_path: Path, fixture_sources: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    for name in ("meeting-notes.txt", "icd10pcs_tables_2026_empty.xml"):
        shutil.copy(BROKEN / name, extra)
    lines: list[str] = []
    manifest = build_index(tmp_path / "index", [fixture_sources, extra], lines.append)
    assert sorted(manifest.skipped) == ["icd10pcs_tables_2026_empty.xml", "meeting-notes.txt"]
    assert "  skipped meeting-notes.txt: not a recognised code-set file" in lines

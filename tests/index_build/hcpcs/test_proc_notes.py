"""Processing notes: NNNN-- blocks, the '*' margin, tab-indented notes, code references."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.records import CodeRef
from index_build.sources.base import SourceError
from index_build.sources.hcpcs.proc_notes import looks_like_proc_notes, note_refs, parse_proc_notes


def test_notes_are_joined_without_margin(fixture_notes: Path) -> None:
    notes = parse_proc_notes(fixture_notes.read_bytes(), fixture_notes.name)
    assert list(notes) == ["0001", "0002", "0003"]
    assert notes["0001"] == "THIS PROCESSING NOTE DELETED 1/1/97."
    assert notes["0002"] == (
        "SYNTHETIC NOTE FOR THE FIXTURE: BILL A9901 WITH J9902 OR A9000-A9010 WHEN APPROPRIATE (SEE ALSO 99999)."
    )
    assert notes["0003"] == "A TAB-INDENTED NOTE WRITTEN THE WAY THE NEWER NOTES ARE."


def test_refs_link_level_ii_codes_only() -> None:
    refs = note_refs("BILL A9901 WITH J9902 OR A9000-A9010; CPT 99999 AND D4211 ARE NOT LINKED.")
    assert refs == (CodeRef("A9901", "A9901"), CodeRef("J9902", "J9902"), CodeRef("A9000-A9010", "A9000", "A9010"))


def test_sniffing(fixture_notes: Path, fixture_txt: Path) -> None:
    assert looks_like_proc_notes(fixture_notes.read_text())
    assert not looks_like_proc_notes(fixture_txt.read_bytes().decode("cp1252"))


def test_malformed_notes() -> None:
    with pytest.raises(SourceError, match="no 'NNNN--' processing notes"):
        parse_proc_notes(b"PROCESSING NOTES\r\n\r\n", "proc_notes_X.txt")
    twice = b"PROCESSING NOTES\r\n  0001--ONE *\r\n  0001--AGAIN *\r\n"
    with pytest.raises(SourceError, match="0001 appears twice") as info:
        parse_proc_notes(twice, "proc_notes_X.txt")
    assert info.value.line == 3
    with pytest.raises(SourceError, match="text before the first") as info:
        parse_proc_notes(b"PROCESSING NOTES\r\nSTRAY TEXT\r\n  0001--ONE *\r\n", "proc_notes_X.txt")
    assert info.value.line == 2

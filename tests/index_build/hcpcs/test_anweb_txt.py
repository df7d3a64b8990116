"""The fixed-width ANWEB parser on the fixture file and on malformed records."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_build.sources.base import SourceError
from index_build.sources.hcpcs.anweb_txt import looks_like_anweb, parse_anweb_txt


@pytest.fixture
def rows(fixture_txt: Path):
    return {row.code: row for row in parse_anweb_txt(fixture_txt.read_bytes(), fixture_txt.name)}


def test_every_record_is_read_in_file_order(fixture_txt: Path) -> None:
    rows = parse_anweb_txt(fixture_txt.read_bytes(), fixture_txt.name)
    assert [row.code for row in rows] == ["LT", "ZX", "A9901", "J9902", "Q9903"]  # blank last line skipped
    assert [row.is_modifier for row in rows] == [True, True, False, False, False]


def test_continuation_records_join_with_a_space(rows) -> None:
    assert rows["ZX"].long_description == (
        "Synthetic modifier whose long description is deliberately long enough to wrap onto a second physical record"
    )
    assert rows["A9901"].long_description.endswith(
        "with a descriptor long enough to need a continuation record, per unit"
    )
    assert rows["A9901"].short_description == "Synthetic supply item"


def test_fields_are_sliced_by_position(rows) -> None:
    item = rows["A9901"]
    assert item.pricing == ("51",)
    assert item.multiple_pricing == "A"
    assert item.cim == ("60-9",)
    assert item.mcm == ("2049",)
    assert item.statute == "1833(t)"
    assert item.lab_cert == ("310",)
    assert item.xref == ("J9902",)
    assert (item.coverage, item.asc_group, item.asc_date) == ("D", "YY", "20080101")
    assert item.proc_note == "0002"
    assert item.betos == "O1D"
    assert item.tos == ("1", "P")
    assert (item.add_date, item.action_date, item.term_date, item.action) == ("20050101", "20300401", "", "C")
    assert not item.terminated
    assert rows["J9902"].term_date == "20300331"
    assert rows["J9902"].terminated


def test_wide_record_and_cp1252_text(rows) -> None:
    # the fixture's Q9903 is 546 characters wide (like G9871 in January 2026) and holds a cp1252 apostrophe
    assert rows["Q9903"].long_description == "Synthetic screening service, per visit (patient\u2019s home)"
    assert rows["Q9903"].action == "A"


def test_modifier_codes_lose_their_padding(rows) -> None:
    assert rows["LT"].long_description == "Left side (synthetic fixture modifier)"
    assert rows["LT"].add_date == "19840101"


def test_short_record_names_its_line(make_line) -> None:
    data = (make_line("A0001", "3", "Fine", "Fine") + "\r\n" + "A0002001003Too short\r\n").encode()
    with pytest.raises(SourceError) as info:
        parse_anweb_txt(data, "bad.txt")
    assert info.value.line == 2
    assert "bad.txt, line 2" in str(info.value)


def test_orphan_continuation_is_an_error(make_line) -> None:
    data = (make_line("A0001", "3", "One", "One") + "\r\n" + make_line("A0002", "4", "stray") + "\r\n").encode()
    with pytest.raises(SourceError, match="continuation record for 'A0002'") as info:
        parse_anweb_txt(data, "bad.txt")
    assert info.value.line == 2


def test_unknown_record_type_and_bad_date(make_line) -> None:
    with pytest.raises(SourceError, match="record identification code '9'"):
        parse_anweb_txt(make_line("A0001", "9", "x", "x").encode(), "bad.txt")
    bad_date = make_line("A0001", "3", "x", "x", {269: "2005-1-1"})
    with pytest.raises(SourceError, match="not YYYYMMDD") as info:
        parse_anweb_txt(bad_date.encode(), "bad.txt")
    assert info.value.line == 1


def test_content_sniffing(fixture_txt: Path, fixtures_dir: Path) -> None:
    assert looks_like_anweb(fixture_txt.read_bytes().decode("cp1252"))
    assert not looks_like_anweb("  CMS RIF REPORT\r\n  AS OF: 11/12/2025\r\n" + " " * 300 + "\r\n")
    assert not looks_like_anweb((fixtures_dir / "hcpcs" / "proc_notes_APR2030.txt").read_text())

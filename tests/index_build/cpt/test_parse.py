"""The CPT parser on synthetic files: layouts found, bad rows named by line, bad files rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_build.sources.base import SourceError
from index_build.sources.cpt import ColumnChoice, Delimiter, descriptor_role, read_cpt_file, section_for


@pytest.fixture(scope="module")
def cpt_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "cpt"


def test_tab_file_without_header(cpt_dir: Path) -> None:
    parsed = read_cpt_file(cpt_dir / "LONGULT.txt")
    assert parsed.role == "long" and not parsed.header and not parsed.needs_columns
    assert parsed.layout.delimiter is Delimiter.TAB
    assert (parsed.layout.code, parsed.layout.descriptor) == (0, 1)
    assert len(parsed.rows) == 12 and parsed.problems == []
    first = parsed.rows[0]
    assert (first.code, first.descriptor, first.line) == (
        "00199",
        "Synthetic test procedure anesthesia one, long form",
        1,
    )
    assert not first.descriptor.endswith("\r")  # CRLF line ends leave nothing behind
    assert [row.code for row in parsed.rows][7:11] == ["0599F", "0599T", "0599U", "0099M"]


def test_header_and_concept_id_column(cpt_dir: Path) -> None:
    parsed = read_cpt_file(cpt_dir / "MEDU.txt")
    assert parsed.role == "medium" and parsed.header
    assert (parsed.layout.code, parsed.layout.descriptor) == (1, 2)  # the concept id column is skipped
    assert parsed.rows[0].code == "00199" and parsed.rows[0].line == 2
    assert parsed.rows[0].descriptor == "Synthetic med ANESTHESIA ONE"
    assert len(parsed.rows) == 8


def test_modifier_file(cpt_dir: Path) -> None:
    parsed = read_cpt_file(cpt_dir / "MODUL.txt")
    assert [row.code for row in parsed.rows] == ["25", "59", "TC", "1P", "99"]
    assert parsed.rows[2].descriptor == "Synthetic modifier technical part"


def test_csv_needs_columns_then_uses_the_picked_ones(cpt_dir: Path) -> None:
    guessed = read_cpt_file(cpt_dir / "charges.csv")
    assert guessed.needs_columns  # a CSV is never imported on a guess
    assert (guessed.layout.code, guessed.layout.descriptor) == (2, 3)  # but the guess is offered
    assert guessed.preview[0] == ("Row", "Fee", "Procedure Code", "Description", "Department")
    picked = read_cpt_file(cpt_dir / "charges.csv", ColumnChoice(code=2, descriptor=3))
    assert not picked.needs_columns and picked.header
    assert [(row.code, row.descriptor) for row in picked.rows] == [
        ("99201", "Synthetic charge item, with a comma"),
        ("0598T", 'Synthetic charge item with "quotes"'),
        ("59", "Synthetic charge modifier"),
        ("99202", "Synthetic charge item four"),
    ]


def test_wrong_column_pick_reports_every_row(cpt_dir: Path) -> None:
    with pytest.raises(SourceError, match=r"charges\.csv: has no valid rows \(line 2: \"120\.00\" is not"):
        read_cpt_file(cpt_dir / "charges.csv", ColumnChoice(code=1, descriptor=3))
    with pytest.raises(SourceError, match="choose two different columns"):
        read_cpt_file(cpt_dir / "charges.csv", ColumnChoice(code=2, descriptor=9))


def test_bad_rows_are_named_with_line_numbers(cpt_dir: Path) -> None:
    parsed = read_cpt_file(cpt_dir / "bad_rows.txt")
    assert [(p.line, p.message.split()[0]) for p in parsed.problems] == [
        (2, '"9999"'),
        (3, "99991"),
        (5, '"ABCDE"'),
        (6, "99990"),
        (7, '"0500X"'),
    ]
    assert "no descriptor" in parsed.problems[1].message
    assert "first on line 1" in parsed.problems[3].message
    assert str(parsed.problems[0]).startswith("bad_rows.txt, line 2: ")
    assert [row.code for row in parsed.rows] == ["99990", *(f"9999{n}" for n in range(2, 8)), "TC"]
    assert parsed.rows[0].descriptor == "Synthetic good row one"  # the first of a repeated code wins


def test_empty_prose_and_binary_files_are_rejected(cpt_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"empty\.txt: is empty"):
        read_cpt_file(cpt_dir / "empty.txt")
    with pytest.raises(SourceError, match=r"notes\.txt: holds no CPT codes"):
        read_cpt_file(cpt_dir / "notes.txt")
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SourceError, match=r"picture\.png: is not a text file"):
        read_cpt_file(binary)
    workbook = tmp_path / "codes.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(SourceError, match="save the sheet as CSV"):
        read_cpt_file(workbook)
    with pytest.raises(SourceError, match="cannot be read"):
        read_cpt_file(tmp_path / "missing.txt")


def test_encodings(tmp_path: Path) -> None:
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes("99999\tSynthetic caf\u00e9 procedure \u2013 one\n".encode("cp1252"))
    parsed = read_cpt_file(ansi)
    assert parsed.encoding == "Windows-1252"
    assert parsed.rows[0].descriptor == "Synthetic caf\u00e9 procedure \u2013 one"
    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes("\ufeff99999\tSynthetic na\u00efve procedure\n".encode())
    parsed = read_cpt_file(utf8)
    assert parsed.encoding == "UTF-8" and parsed.rows[0].code == "99999"  # the BOM is not part of the code
    wide = tmp_path / "unicode.txt"
    wide.write_bytes("Code\tDescriptor\n0500T\tSynthetic wide procedure\n".encode("utf-16"))
    parsed = read_cpt_file(wide)
    assert parsed.encoding == "UTF-16" and [r.code for r in parsed.rows] == ["0500T"]


def test_fixed_width_style_joins_continuation_lines(tmp_path: Path) -> None:
    fixed = tmp_path / "LONGULF.txt"
    fixed.write_text(
        "99998 Synthetic procedure whose descriptor\n99998 continues on a second line\n"
        "0598t Synthetic lower case code\n",
        encoding="utf-8",
    )
    parsed = read_cpt_file(fixed)
    assert parsed.layout.delimiter is Delimiter.SPACE
    assert [(r.code, r.descriptor) for r in parsed.rows] == [
        ("99998", "Synthetic procedure whose descriptor continues on a second line"),
        ("0598T", "Synthetic lower case code"),
    ]


def test_descriptor_role_from_name() -> None:
    assert [descriptor_role(n) for n in ("LONGULT.txt", "MEDU.txt", "SHORTU.txt", "MODUL.txt", "x.csv")] == [
        "long",
        "medium",
        "short",
        "long",
        "long",
    ]


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("00199", "00100-01999"),
        ("33999", "33016-37799"),
        ("10099", "10030-19499"),
        ("69990", "69990-69990"),
        ("99299", "99202-99499"),
        ("99500", "90281-99607"),
        ("0599F", "0001F-9007F"),
        ("0599T", "0042T-0999T"),
    ],
)
def test_section_by_number(code: str, section: str) -> None:
    found = section_for(code)
    assert found is not None and found.code == section


def test_codes_outside_every_range_have_no_section() -> None:
    assert section_for("99999") is None
    assert section_for("0001T") is None

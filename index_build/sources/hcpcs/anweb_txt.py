"""The fixed-width ANWEB file (HCPCyyyy_MMM_ANWEB_*.txt): 320-column records, sliced by position."""

from __future__ import annotations

from dataclasses import replace

from index_build.sources.base import SourceError
from index_build.sources.hcpcs.row import (
    MODIFIER_RICS,
    PROCEDURE_RICS,
    HcpcsRow,
    check_date,
    clean_text,
    values,
)

# 1-based inclusive positions from HCPC2026_recordlayout.txt ("HCPCS Contractor Record - 2026").
RECORD_WIDTH = 320
RIC_COLUMN = 11
_MIN_WIDTH = 293  # through the action code; the rest is filler


def _cols(line: str, first: int, last: int) -> str:
    return line[first - 1 : last].strip()


def _repeat(line: str, first: int, width: int, count: int) -> tuple[str, ...]:
    return values(*(line[first - 1 + i * width : first - 1 + (i + 1) * width] for i in range(count)))


def _first_line(line: str, is_modifier: bool) -> HcpcsRow:
    """A RIC 3/7 line: code and detail fields (positions 92-293); the description is joined later."""
    return HcpcsRow(
        code=_cols(line, 1, 5),
        is_modifier=is_modifier,
        long_description="",
        short_description=clean_text(_cols(line, 92, 119)),
        pricing=_repeat(line, 120, 2, 4),
        multiple_pricing=_cols(line, 128, 128),
        cim=_repeat(line, 129, 6, 3),
        mcm=_repeat(line, 147, 8, 3),
        statute=_cols(line, 171, 180),
        lab_cert=_repeat(line, 181, 3, 8),
        xref=_repeat(line, 205, 5, 5),
        coverage=_cols(line, 230, 230),
        asc_group=_cols(line, 231, 232),
        asc_date=_cols(line, 233, 240),
        opps=_cols(line, 241, 243),
        opps_indicator=_cols(line, 244, 244),
        opps_date=_cols(line, 245, 252),
        proc_note=_cols(line, 253, 256),
        betos=_cols(line, 257, 259),
        tos=_repeat(line, 261, 1, 5),
        anesthesia_units=_cols(line, 266, 268),
        add_date=_cols(line, 269, 276),
        action_date=_cols(line, 277, 284),
        term_date=_cols(line, 285, 292),
        action=_cols(line, 293, 293),
    )


def looks_like_anweb(text: str) -> bool:
    """True when the first non-blank lines are ANWEB records (code, sequence, RIC 3/4/7/8 in col 11)."""
    lines = [line.rstrip("\r") for line in text.split("\n")[:20] if line.strip()]
    if not lines:
        return False
    for line in lines[:-1]:  # the last one may be cut off by the 64 KiB head
        if len(line) < _MIN_WIDTH or line[RIC_COLUMN - 1] not in "3478" or not line[5:10].isdigit():
            return False
    return len(lines) > 1 or len(lines[0]) >= _MIN_WIDTH


def parse_anweb_txt(data: bytes, file_name: str) -> list[HcpcsRow]:
    """Every code and modifier of the file, in file order, continuation lines joined with a space."""
    text = data.decode("cp1252", errors="replace")  # older releases carry cp1252 punctuation
    rows: list[HcpcsRow] = []
    current: HcpcsRow | None = None
    current_ric = ""
    description: list[str] = []
    # split("\n") rather than splitlines(): a stray \x0c or \x85 must not break a record in two
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue  # the last line of a release is a row of blanks
        code = _cols(line, 1, 5)
        ric = line[RIC_COLUMN - 1] if len(line) >= RIC_COLUMN else ""
        if ric in (PROCEDURE_RICS[0], MODIFIER_RICS[0]):
            if len(line) < _MIN_WIDTH:
                raise SourceError(file_name, f"record is {len(line)} characters, expected {RECORD_WIDTH}", line=number)
            if current is not None:
                rows.append(replace(current, long_description=clean_text(" ".join(description))))
            current, current_ric, description = _first_line(line, ric == MODIFIER_RICS[0]), ric, [line[11:91]]
            _check(current, file_name, number)
        elif ric in (PROCEDURE_RICS[1], MODIFIER_RICS[1]):
            if current is None or current.code != code or current_ric != chr(ord(ric) - 1):
                raise SourceError(
                    file_name, f"continuation record for {code!r} does not follow its first line", line=number
                )
            description.append(line[11:91])
        else:
            raise SourceError(
                file_name,
                f"unknown record identification code {ric!r} in column {RIC_COLUMN}"
                f" (record is {len(line)} characters, expected {RECORD_WIDTH})",
                line=number,
            )
    if current is not None:
        rows.append(replace(current, long_description=clean_text(" ".join(description))))
    return rows


def _check(row: HcpcsRow, file_name: str, number: int) -> None:
    if not row.code:
        raise SourceError(file_name, "record has no code in columns 1-5", line=number)
    for value in (row.asc_date, row.opps_date, row.add_date, row.action_date, row.term_date):
        problem = check_date(value)
        if problem:
            raise SourceError(file_name, f"{row.code}: {problem}", line=number)

"""The xlsx form of the ANWEB file (CMS's HCPCyyyy_MMM_ANWEB_*.xlsx or a contractor workbook)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import openpyxl

from index_build.sources.base import SourceError
from index_build.sources.hcpcs.row import (
    MODIFIER_RICS,
    PROCEDURE_RICS,
    HcpcsRow,
    check_date,
    clean_text,
    values,
)

# Header names as shipped (row 1); matched ignoring case, blanks and underscores ("ADD DT" = "ADD_DT").
COLUMNS = (
    "HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION",
    "PRICE1", "PRICE2", "PRICE3", "PRICE4", "MULT_PI", "CIM1", "CIM2", "CIM3", "MCM1", "MCM2", "MCM3",
    "STATUTE", *(f"LABCERT{i}" for i in range(1, 9)), *(f"XREF{i}" for i in range(1, 6)),
    "COV", "ASC_GRP", "ASC_DT", "OPPS", "OPPS_PI", "OPPS_DT", "PROCNOTE", "BETOS",
    *(f"TOS{i}" for i in range(1, 6)), "ANEST_BU", "ADD DT", "ACT EFF DT", "TERM DT", "ACTION CD",
)  # fmt: skip
# The columns that identify the workbook; the others are reported missing when these are present.
KEY_COLUMNS = ("HCPC", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION", "ADD DT", "TERM DT")
# Zero-padded code fields that Excel may have turned into numbers (PRICE1 13, PROCNOTE 88).
_WIDTHS = {
    "PRICE": 2,
    "LABCERT": 3,
    "PROCNOTE": 4,
    "ASC_DT": 8,
    "OPPS_DT": 8,
    "ADD DT": 8,
    "ACT EFF DT": 8,
    "TERM DT": 8,
}
_HEADER_ROWS = 10  # how far down a sheet the header row may sit


def _key(name: object) -> str:
    return re.sub(r"[\s_]+", "", str(name or "")).upper()


def _width(column: str) -> int:
    return next((width for prefix, width in _WIDTHS.items() if column.startswith(prefix)), 0)


def cell_text(value: Any, column: str) -> str:
    """A cell as the fixed-width file would hold it: numbers re-padded, dates as YYYYMMDD."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(_width(column))
    return str(value).strip()


def open_workbook(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def find_header(workbook: Any) -> tuple[str, int, dict[str, int]] | None:
    """(sheet name, header row number, column -> index) of the first sheet holding the ANWEB header."""
    for sheet in workbook.worksheets:
        for number, row in enumerate(sheet.iter_rows(max_row=_HEADER_ROWS, values_only=True), start=1):
            keys = {_key(value): index for index, value in enumerate(row) if value is not None}
            if all(_key(name) in keys for name in KEY_COLUMNS):
                return sheet.title, number, {name: keys[_key(name)] for name in COLUMNS if _key(name) in keys}
    return None


def _records(workbook: Any, file_name: str) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(sheet name, row number, column -> cell text) of every non-blank row under the header."""
    header = find_header(workbook)
    if header is None:
        raise SourceError(file_name, "no sheet has the HCPCS header row (" + ", ".join(KEY_COLUMNS) + ")")
    sheet_name, header_row, index = header
    missing = [name for name in COLUMNS if name not in index]
    if missing:
        raise SourceError(file_name, f"sheet {sheet_name!r}: missing columns " + ", ".join(missing), line=header_row)
    sheet = workbook[sheet_name]
    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        cells = {name: cell_text(row[i] if i < len(row) else None, name) for name, i in index.items()}
        if any(cells.values()):
            yield sheet_name, number, cells


def _row(cells: dict[str, str]) -> HcpcsRow:
    get = cells.__getitem__
    return HcpcsRow(
        code=get("HCPC"),
        is_modifier=get("RECID") == MODIFIER_RICS[0],
        long_description=clean_text(get("LONG DESCRIPTION")),
        short_description=clean_text(get("SHORT DESCRIPTION")),
        pricing=values(*(get(f"PRICE{i}") for i in range(1, 5))),
        multiple_pricing=get("MULT_PI"),
        cim=values(get("CIM1"), get("CIM2"), get("CIM3")),
        mcm=values(get("MCM1"), get("MCM2"), get("MCM3")),
        statute=get("STATUTE"),
        lab_cert=values(*(get(f"LABCERT{i}") for i in range(1, 9))),
        xref=values(*(get(f"XREF{i}") for i in range(1, 6))),
        coverage=get("COV"),
        asc_group=get("ASC_GRP"),
        asc_date=get("ASC_DT"),
        opps=get("OPPS"),
        opps_indicator=get("OPPS_PI"),
        opps_date=get("OPPS_DT"),
        proc_note=get("PROCNOTE"),
        betos=get("BETOS"),
        tos=values(*(get(f"TOS{i}") for i in range(1, 6))),
        anesthesia_units=get("ANEST_BU"),
        add_date=get("ADD DT"),
        action_date=get("ACT EFF DT"),
        term_date=get("TERM DT"),
        action=get("ACTION CD"),
    )


def parse_anweb_xlsx(data: bytes, file_name: str) -> tuple[str, list[HcpcsRow]]:
    """(sheet name, every code and modifier in sheet order); RECID 4/8 rows, if any, extend the previous one."""
    try:
        workbook = open_workbook(data)
    except Exception as exc:  # openpyxl raises several unrelated types for damaged files
        raise SourceError(file_name, f"cannot open the workbook ({exc})") from exc
    rows: list[HcpcsRow] = []
    sheet_name = ""
    try:
        for sheet_name, number, cells in _records(workbook, file_name):
            where = f"sheet {sheet_name!r}, row {number}"
            recid = cells["RECID"]
            if recid in (PROCEDURE_RICS[1], MODIFIER_RICS[1]) and rows and rows[-1].code == cells["HCPC"]:
                previous = rows[-1]
                rows[-1] = replace(
                    previous, long_description=clean_text(f"{previous.long_description} {cells['LONG DESCRIPTION']}")
                )
                continue
            if recid not in (PROCEDURE_RICS[0], MODIFIER_RICS[0]):
                raise SourceError(file_name, f"{where}: RECID {recid!r} is not 3 (code) or 7 (modifier)", line=number)
            row = _row(cells)
            if not row.code:
                raise SourceError(file_name, f"{where}: HCPC is empty", line=number)
            for value in (row.asc_date, row.opps_date, row.add_date, row.action_date, row.term_date):
                problem = check_date(value)
                if problem:
                    raise SourceError(file_name, f"{where}: {row.code}: {problem}", line=number)
            rows.append(row)
    finally:
        workbook.close()
    return sheet_name, rows

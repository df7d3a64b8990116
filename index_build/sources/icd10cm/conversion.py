"""The ICD-10-CM conversion table (xlsx): every code added since FY2017, when, and the code(s) it replaced."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from desktop.core.codes import icd10cm_display
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.fiscal import fiscal_release, release_from_text

HEADER = ("current code assignment", "effective", "previous code")
_CODE = re.compile(r"\b[A-Z](?:\d[0-9A-Z]|[A-Z]\d)(?:\.[0-9A-Z]{1,4})?\b")


@dataclass(frozen=True, slots=True)
class Conversion:
    """One row: a code, the release that added it, and what was coded before."""

    code: str  # display form, E11.22
    release: str  # "FY2017", "FY2023 (April 1, 2023 update)"
    effective: str  # ISO date
    previous: tuple[str, ...]  # codes it replaced; empty for 'None'


def is_conversion_header(row: tuple[object, ...]) -> bool:
    cells = [str(cell or "").strip().lower() for cell in row[:3]]
    return len(cells) == 3 and all(cell.startswith(want) for cell, want in zip(cells, HEADER, strict=True))


def _release(value: object) -> tuple[str, str] | None:
    """The conversion table's 'Effective': a year Y means October 1 of Y (fiscal year Y+1), or a date."""
    if isinstance(value, datetime | date):
        return release_from_text(f"{value:%B} {value.day}, {value.year}")
    text = str(value or "").strip()
    if re.fullmatch(r"20\d\d(\.0)?", text):
        return fiscal_release(int(float(text)) + 1)
    return release_from_text(text) if text else None


def parse_conversion(source: SourceFile) -> list[Conversion]:
    """Every row after the header; a row with a code but no readable date raises SourceError."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(source.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise SourceError(source.name, f"unreadable workbook ({type(exc).__name__}: {exc})") from exc
    found: list[Conversion] = []
    try:
        sheet = workbook.worksheets[0]
        started = False
        for number, row in enumerate(sheet.iter_rows(max_col=3, values_only=True), start=1):
            if not started:
                started = is_conversion_header(tuple(row))
                continue
            # a few rows lack the dot (W453XXA): one spelling for every code
            code = icd10cm_display(str(row[0] or "").strip())
            if not code:
                continue
            release = _release(row[1])
            if not _CODE.fullmatch(code) or release is None:
                raise SourceError(source.name, f"unreadable code or effective date {row[:2]!r}", line=number)
            previous = tuple(dict.fromkeys(icd10cm_display(c) for c in _CODE.findall(str(row[2] or "").upper())))
            found.append(Conversion(code, release[0], release[1], previous))
    finally:
        workbook.close()
    if not found:
        raise SourceError(source.name, "no conversion rows after the 'Current code assignment' header")
    return found
